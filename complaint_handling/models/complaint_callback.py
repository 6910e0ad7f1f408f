# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

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
    _description = "Complaint Callback"
    _order = "date desc, id desc"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    handling_round = fields.Integer(readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    reached = fields.Boolean(string="Customer Reached")
    satisfaction = fields.Selection(selection=SATISFACTION)
    problem_solved = fields.Boolean(string="Problem Confirmed Solved")
    comment = fields.Text()
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Called by",
        default=lambda self: self.env.user,
        readonly=True,
    )
    unsatisfied = fields.Boolean(compute="_compute_unsatisfied", store=True)

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

    @api.model_create_multi
    def create(self, vals_list):
        tickets = self.env["helpdesk.ticket"].browse(
            {vals["ticket_id"] for vals in vals_list if vals.get("ticket_id")}
        )
        wrong = tickets.filtered(lambda t: t.complaint_state != "result_reported")
        if wrong:
            raise UserError(
                self.env._(
                    "Complaint %(number)s: the callback comes after the result "
                    "was reported to the customer.",
                    number=wrong[0].number,
                )
            )
        for vals in vals_list:
            if vals.get("ticket_id"):
                vals["handling_round"] = tickets.browse(
                    vals["ticket_id"]
                ).handling_round
        callbacks = super().create(vals_list)
        callbacks.ticket_id._complaint_apply_callbacks(callbacks)
        return callbacks
