# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

SATISFACTION = [
    ("5", "Very satisfied"),
    ("4", "Satisfied"),
    ("3", "Neutral"),
    ("2", "Unsatisfied"),
    ("1", "Very unsatisfied"),
]
UNSATISFIED = ("1", "2")


class ComplaintCallback(models.Model):
    _name = "complaint.callback"
    _inherit = "complaint.process.record"
    _complaint_anonymized_fields = {"comment": False}
    _description = "Complaint Callback"
    _order = "date desc, id desc"
    _complaint_allowed_states = ("result_reported",)

    channel = fields.Selection(
        selection=[("phone", "Callback call"), ("portal", "Customer in the portal")],
        default="phone",
        required=True,
    )
    reached = fields.Boolean(string="Customer Reached")
    satisfaction = fields.Selection(selection=SATISFACTION)
    problem_solved = fields.Boolean(string="Problem Confirmed Solved")
    comment = fields.Text()
    user_id = fields.Many2one(string="Called by")
    unsatisfied = fields.Boolean(compute="_compute_unsatisfied", store=True)
    # Shown in the dialog: what saving an unsatisfied callback will do.
    escalate_unsatisfied = fields.Boolean(
        related="ticket_id.company_id.complaint_escalate_unsatisfied"
    )

    @api.depends("reached", "satisfaction", "problem_solved")
    def _compute_unsatisfied(self):
        for callback in self:
            callback.unsatisfied = callback.reached and (
                callback.satisfaction in UNSATISFIED or not callback.problem_solved
            )

    @api.constrains("reached", "satisfaction")
    def _check_satisfaction(self):
        for callback in self:
            if callback.reached and not callback.satisfaction:
                raise ValidationError(
                    self.env._("Record the satisfaction of the customer reached.")
                )
            if not callback.reached and callback.satisfaction:
                raise ValidationError(
                    self.env._(
                        "A customer who was not reached cannot give a satisfaction."
                    )
                )

    def _complaint_state_error(self, ticket):
        return self.env._(
            "Complaint %(number)s: the callback comes after the result was "
            "reported to the customer.",
            number=ticket.number,
        )

    @api.model_create_multi
    def create(self, vals_list):
        callbacks = super().create(vals_list)
        callbacks.ticket_id._complaint_apply_callbacks(callbacks)
        return callbacks
