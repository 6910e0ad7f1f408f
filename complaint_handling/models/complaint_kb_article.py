# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ComplaintKbArticle(models.Model):
    _name = "complaint.kb.article"
    _description = "Complaint Knowledge Article"
    _inherit = ["mail.thread"]
    _order = "sequence, name"

    name = fields.Char(string="Title", required=True, tracking=True)
    sequence = fields.Integer(default=10)
    article_type = fields.Selection(
        selection=[
            ("method", "Handling method"),
            ("policy", "Policy / regulation"),
            ("technical", "Technical solution"),
            ("script", "Script"),
        ],
        string="Type",
        required=True,
        default="method",
    )
    category_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.category",
        relation="complaint_kb_article_category_rel",
        column1="article_id",
        column2="category_id",
        string="Complaint Types",
    )
    body = fields.Html(sanitize_style=True)
    state = fields.Selection(
        selection=[("draft", "Draft"), ("published", "Published")],
        default="draft",
        required=True,
        tracking=True,
    )
    source_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Source Complaint",
        readonly=True,
        ondelete="set null",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company", default=lambda self: self.env.company
    )

    def action_publish(self):
        self.state = "published"

    def action_draft(self):
        self.state = "draft"
