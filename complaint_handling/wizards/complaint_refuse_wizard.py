# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class ComplaintRefuseWizard(models.TransientModel):
    _name = "complaint.refuse.wizard"
    _description = "Refuse a Complaint"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", required=True, ondelete="cascade"
    )
    reason_id = fields.Many2one(comodel_name="complaint.refuse.reason", required=True)
    reason_type = fields.Selection(related="reason_id.reason_type")
    explanation = fields.Text(
        string="Explanation to the Customer",
        required=True,
        help="What the customer is told about the refusal.",
    )
    related_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Concluded Complaint",
        domain="[('kind', '=', 'complaint'), ('complaint_state', '=', 'closed'), "
        "('id', '!=', ticket_id)]",
        help="The concluded complaint this one repeats.",
    )

    @api.onchange("ticket_id", "reason_id")
    def _onchange_reason_id(self):
        if self.reason_type == "repeated" and not self.related_ticket_id:
            self.related_ticket_id = self.ticket_id.repeat_of_ids.filtered(
                lambda t: t.complaint_state == "closed"
            )[:1]

    def action_refuse(self):
        self.ensure_one()
        ticket = self.ticket_id
        if not (self.explanation or "").strip():
            raise UserError(self.env._("Give the explanation for the customer."))
        if self.reason_type == "time_barred" and not ticket.is_time_barred:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is not time-barred: its problem date is "
                    "within the configured time bar.",
                    number=ticket.number,
                )
            )
        if self.reason_type == "repeated":
            related = self.related_ticket_id
            if not related or related == ticket or related.complaint_state != "closed":
                raise UserError(
                    self.env._(
                        "A repeated complaint is refused with a link to the "
                        "concluded complaint it repeats."
                    )
                )
        ticket.check_access("write")
        ticket._complaint_write(
            {
                "refuse_reason_id": self.reason_id.id,
                "refuse_explanation": self.explanation,
                "refused_related_ticket_id": self.related_ticket_id.id,
            }
        )
        ticket._complaint_move_to_step("refused")
        ticket._complaint_log(
            self.env._(
                "Complaint not accepted (%(reason)s). Explanation given to the "
                "customer: %(explanation)s",
                reason=self.reason_id.name,
                explanation=self.explanation,
            )
        )
        return {"type": "ir.actions.act_window_close"}
