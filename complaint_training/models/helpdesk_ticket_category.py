# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    qualification_required = fields.Boolean(
        help="Complaints of this type (and of its sub-types) are assigned only "
        "to people with a valid qualification for it.",
    )

    def _complaint_requires_qualification(self):
        """The categories of ``self`` that require a qualification, by
        themselves or by one of their parents. One query for all."""
        ancestor_ids = {
            int(part)
            for category in self
            for part in (category.parent_path or "").split("/")
            if part
        }
        required = set(self.browse(ancestor_ids).filtered("qualification_required").ids)
        return self.filtered(
            lambda c: required & {int(p) for p in (c.parent_path or "").split("/") if p}
        )
