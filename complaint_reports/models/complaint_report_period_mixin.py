# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

PERIOD_MONTHS = {"month": 1, "quarter": 3}


class ComplaintReportPeriodMixin(models.AbstractModel):
    """A month or a quarter reported on: its first day, its last day derived,
    its label (``2026-11``, ``2026 Q4``). Models choose their own labels of
    the period types by redefining ``period_type``'s selection."""

    _name = "complaint.report.period.mixin"
    _description = "Complaint Report Period"

    period_type = fields.Selection(
        selection=[("month", "By Month"), ("quarter", "By Quarter")],
        string="Period",
        required=True,
        default="month",
    )
    date_from = fields.Date(
        string="Period Start",
        required=True,
        help="First day of the month or quarter.",
    )
    date_to = fields.Date(
        string="Period End", compute="_compute_date_to", store=True, index=True
    )

    @api.depends("period_type", "date_from")
    def _compute_date_to(self):
        for record in self:
            months = PERIOD_MONTHS[record.period_type or "month"]
            record.date_to = record.date_from and (
                record.date_from + relativedelta(months=months, days=-1)
            )

    @api.constrains("period_type", "date_from")
    def _check_period_start(self):
        for record in self:
            months = PERIOD_MONTHS[record.period_type]
            if record.date_from.day != 1 or (record.date_from.month - 1) % months:
                raise ValidationError(
                    self.env._(
                        "A period starts on the first day of a month or quarter."
                    )
                )

    def _complaint_period_label(self):
        """``2026-11`` for a month, ``2026 Q4`` for a quarter."""
        self.ensure_one()
        if self.period_type == "quarter":
            return f"{self.date_from.year} Q{(self.date_from.month - 1) // 3 + 1}"
        return self.date_from.strftime("%Y-%m")
