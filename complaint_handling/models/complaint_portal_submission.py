# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models


class ComplaintPortalSubmission(models.Model):
    """When and from where portal users submitted complaints: the portal form
    refuses floods from one user or one network address. Kept two days."""

    _name = "complaint.portal.submission"
    _description = "Portal Complaint Submission"
    _order = "id desc"
    _log_access = False

    user_id = fields.Many2one(comodel_name="res.users", index=True, required=True)
    ip_address = fields.Char(string="IP Address", index=True)
    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now)

    @api.model
    def _is_flooding(self, user, ip_address, limit):
        since = fields.Datetime.now() - timedelta(hours=1)
        domain = [("date", ">=", since), "|", ("user_id", "=", user.id)]
        domain.append(("ip_address", "=", ip_address) if ip_address else ("id", "=", 0))
        return self.sudo().search_count(domain, limit=limit) >= limit

    @api.autovacuum
    def _gc_submissions(self):
        self.sudo().search(
            [("date", "<", fields.Datetime.now() - timedelta(days=2))]
        ).unlink()
