# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class ComplaintReportAccessMixin(models.AbstractModel):
    """Report rows about complaints (``ticket_id``) are read only by who may
    read the complaint: the tickets' own record rules decide, whatever the
    report's domain (searches, groupings, reads by id)."""

    _name = "complaint.report.access.mixin"
    _description = "Complaint Report Access"

    @property
    def _table_query(self):
        """The report's query, from parts other addons extend."""
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            tickets = self.env["helpdesk.ticket"].with_context(active_test=False)
            domain = [*(domain or []), ("ticket_id", "in", tickets._search([]))]
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if self.env.su or not self:
            return result
        rows = self - result[0] if result else self
        allowed = self.browse(self._search([("id", "in", rows.ids)]))
        forbidden = rows - allowed
        if not forbidden:
            return result
        if result:
            forbidden |= result[0]
        return forbidden, lambda: forbidden._make_access_error(operation)
