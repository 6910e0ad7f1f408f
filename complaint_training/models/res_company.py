# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_qa_pass_score = fields.Float(
        string="Quality Pass Score",
        default=80.0,
        help="A spot check scoring below this (0-100) proposes a training need.",
    )
    complaint_qa_repeat_failures = fields.Integer(
        string="Repeated Criterion Failures",
        default=2,
        help="A criterion failed in this many of a person's latest spot checks "
        "proposes a training need.",
    )
    complaint_qualification_warn_days = fields.Integer(
        string="Qualification Expiry Warning (days)",
        default=30,
        help="Holders and their supervisors are warned this many days before a "
        "qualification expires.",
    )
    complaint_qa_dispute_reviewer_id = fields.Many2one(
        comodel_name="res.users",
        string="Dispute Reviewer",
        help="Reviews disputed spot checks again; any other quality reviewer "
        "when empty.",
    )
