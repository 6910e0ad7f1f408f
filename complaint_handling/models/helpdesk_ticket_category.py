# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    billing_dispute = fields.Boolean(
        help="Complaints of this type are billing disputes: the shorter billing "
        "time bar applies to them.",
    )
    kb_article_ids = fields.Many2many(
        comodel_name="complaint.kb.article",
        relation="complaint_kb_article_category_rel",
        column1="category_id",
        column2="article_id",
        string="Knowledge Articles",
    )

    def _complaint_lineage_ids(self):
        """Ids of the type and of the types above it: what is set on a parent
        type (knowledge articles, agreements, SLA policies) applies to it."""
        self.ensure_one()
        return {int(i) for i in (self.parent_path or "").split("/") if i}
