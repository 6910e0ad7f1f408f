# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

# Milestone events that conclude a time limit a KPI can measure.
SLA_KPI_EVENTS = [
    ("acknowledged", "Acknowledged by the partner organisation"),
    ("first_contact", "Customer reached"),
    ("result_reported", "Result reported"),
    ("callback_done", "Callback done"),
    ("closed", "Closed"),
]
KPI_SOURCES = [
    ("sla", "Time limit"),
    ("fcr", "First-contact resolution"),
    ("satisfaction", "Satisfaction"),
    ("quality", "Quality spot checks"),
    ("external", "Partner call system"),
]


class ComplaintScorecardKpi(models.Model):
    """A figure a partner organisation is measured on: where it comes from
    (the complaints' data or the partner's call system), its unit and
    whether more is better. The agreement's KPI terms give its target and
    weight."""

    _name = "complaint.scorecard.kpi"
    _description = "Partner Scorecard KPI"
    _order = "sequence, id"

    code = fields.Char(
        required=True,
        help="Short unique code, used by the CSV import and the API of the "
        "partner's call system.",
    )
    name = fields.Char(required=True, translate=True)
    definition = fields.Text(
        translate=True,
        help="How the figure is measured, as shown on the scorecard.",
    )
    source = fields.Selection(selection=KPI_SOURCES, required=True, default="sla")
    sla_event = fields.Selection(
        selection=SLA_KPI_EVENTS,
        string="Time Limit Met By",
        help="The time limits measured: those whose milestone is fulfilled by "
        "this event.",
    )
    unit = fields.Selection(
        selection=[("percent", "%"), ("score", "Score"), ("hours", "Hours")],
        required=True,
        default="percent",
    )
    higher_is_better = fields.Boolean(
        default=True,
        help="Met when the value reaches the target; otherwise when it stays at "
        "or below it.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE (code)", "A KPI code is used once."),
        (
            "sla_event_required",
            "CHECK (source != 'sla' OR sla_event IS NOT NULL)",
            "A time-limit KPI names the event that meets the time limit.",
        ),
    ]

    def _complaint_status(self, value, target, has_data):
        """met, missed or no_data for ``value`` against ``target``."""
        self.ensure_one()
        if not has_data:
            return "no_data"
        if self.higher_is_better:
            return "met" if value >= target else "missed"
        return "met" if value <= target else "missed"
