# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ComplaintRefuseReason(models.Model):
    _name = "complaint.refuse.reason"
    _description = "Complaint Refusal Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    reason_type = fields.Selection(
        selection=[
            ("outside_scope", "Outside the company's responsibility"),
            ("time_barred", "Time-barred"),
            ("repeated", "Repeated complaint already concluded"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        help="Time-barred reasons are only accepted for complaints past the "
        "configured time bar; repeated-complaint reasons require the concluded "
        "complaint it repeats.",
    )
    company_id = fields.Many2one(comodel_name="res.company")
