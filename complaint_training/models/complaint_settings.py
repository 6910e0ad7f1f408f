# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ComplaintSettings(models.TransientModel):
    _inherit = "complaint.settings"

    complaint_qa_pass_score = fields.Float(
        related="company_id.complaint_qa_pass_score", readonly=False
    )
    complaint_qa_repeat_failures = fields.Integer(
        related="company_id.complaint_qa_repeat_failures", readonly=False
    )
    complaint_qualification_warn_days = fields.Integer(
        related="company_id.complaint_qualification_warn_days", readonly=False
    )
    complaint_qa_dispute_reviewer_id = fields.Many2one(
        related="company_id.complaint_qa_dispute_reviewer_id", readonly=False
    )
