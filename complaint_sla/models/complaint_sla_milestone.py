# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.complaint_handling.tools.constants import COMPLAINT_EVENTS

# Events of the complaint process that start or fulfil a clock (labels and
# order from complaint_handling's list of the process's events).
SLA_EVENTS = [
    (event, label)
    for event, label in COMPLAINT_EVENTS
    if event
    in {
        "received",
        "accepted",
        "transferred",
        "acknowledged",
        "handling",
        "first_contact",
        "solution_confirmed",
        "result_reported",
        "callback_done",
        "closed",
        "escalated",
    }
]


class ComplaintSlaMilestone(models.Model):
    _name = "complaint.sla.milestone"
    _description = "Complaint SLA Milestone"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one(
        comodel_name="complaint.sla.policy", required=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    target = fields.Integer(required=True, default=24)
    unit = fields.Selection(
        selection=[
            ("minutes", "Minutes"),
            ("hours", "Hours"),
            ("days", "Days"),
            ("working_days", "Working days"),
        ],
        required=True,
        default="hours",
    )
    calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Calendar",
        help="Empty: the clock runs round the clock. Set: it runs in the working "
        "hours of the calendar, less its public holidays, plus its make-up days.",
    )
    start_event = fields.Selection(
        selection=SLA_EVENTS, required=True, default="received"
    )
    fulfil_event = fields.Selection(
        selection=SLA_EVENTS, string="Fulfilled by", required=True, default="closed"
    )
    pause_stage_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.stage",
        string="Pausing Stages",
        help="While the complaint is in one of these stages (e.g. waiting for "
        "the customer), the clock stops.",
    )
    warning_percents = fields.Char(
        string="Warnings at (%)",
        default="50,80",
        help="Comma-separated shares of the allowed time after which the owner is "
        "warned.",
    )
    escalate_on_breach = fields.Boolean(default=True)

    _sql_constraints = [
        ("target_positive", "CHECK(target > 0)", "A time limit must be positive."),
    ]

    @api.constrains("unit", "calendar_id")
    def _check_calendar(self):
        for milestone in self:
            if milestone.unit == "working_days" and not milestone.calendar_id:
                raise ValidationError(
                    self.env._("A limit in working days needs a working calendar.")
                )

    @api.constrains("start_event", "fulfil_event")
    def _check_events(self):
        for milestone in self:
            if milestone.start_event == milestone.fulfil_event:
                raise ValidationError(
                    self.env._("A milestone cannot start and end on the same event.")
                )

    @api.constrains("warning_percents")
    def _check_warning_percents(self):
        for milestone in self:
            try:
                percents = milestone._warning_percents()
            except ValueError:
                percents = None
            if percents is None or any(not 0 < p < 100 for p in percents):
                raise ValidationError(
                    self.env._(
                        "Warnings are percentages between 0 and 100, separated by "
                        "commas, e.g. 50,80."
                    )
                )

    def _warning_percents(self):
        self.ensure_one()
        text = (self.warning_percents or "").replace(" ", "")
        return sorted({int(part) for part in text.split(",") if part})

    def _minutes(self):
        """The target in minutes, for units measured in time."""
        self.ensure_one()
        return self.target * {"minutes": 1, "hours": 60, "days": 1440}.get(self.unit, 0)
