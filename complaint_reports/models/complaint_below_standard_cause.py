# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ComplaintBelowStandardCause(models.Model):
    """Why a case fell below standard (network, billing system, policy, staff
    attitude, process, customer misunderstanding, other): a configurable
    list, recorded on each case by the party responsible for it."""

    _name = "complaint.below.standard.cause"
    _description = "Below-Standard Cause"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        help="Stable key of the cause for integrations and reports.",
    )
    description = fields.Text(
        translate=True, help="When to choose this cause, shown to who records it."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "code_unique",
            "UNIQUE (code)",
            "Another cause has this code.",
        ),
    ]
