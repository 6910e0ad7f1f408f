# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .complaint_process_record import correction_fields


class ComplaintFeedback(models.Model):
    _name = "complaint.feedback"
    _inherit = "complaint.process.record"
    _complaint_anonymized_fields = {
        "conclusion": True,
        "basis": False,
        "plan": False,
        "execution": False,
    }
    _description = "Complaint Result Feedback"
    _order = "date desc, id desc"
    _complaint_allowed_states = (
        "accepted",
        "handling",
        "solution_confirmed",
        "result_reported",
        "callback_done",
    )

    channel = fields.Selection(
        selection=[
            ("phone", "Phone"),
            ("sms", "SMS"),
            ("email", "E-mail"),
            ("letter", "Letter"),
            ("in_person", "In person"),
        ],
        required=True,
        default="phone",
    )
    conclusion = fields.Text(required=True)
    basis = fields.Text(
        help="Rules, contract terms or findings the conclusion rests on."
    )
    plan = fields.Text(string="Solution Plan")
    execution = fields.Text(help="What was done, and when.")
    user_id = fields.Many2one(string="Reported by")
    correction_of_id, corrected_by_id = correction_fields("complaint.feedback")

    def _complaint_state_error(self, ticket):
        return self.env._(
            "Complaint %(number)s is not in handling: no result can be reported on it.",
            number=ticket.number,
        )

    @api.model_create_multi
    def create(self, vals_list):
        feedbacks = super().create(vals_list)
        for feedback in feedbacks:
            feedback.ticket_id._complaint_log(
                self.env._(
                    "Result reported to the customer by %(channel)s: %(conclusion)s",
                    channel=dict(
                        self._fields["channel"]._description_selection(self.env)
                    )[feedback.channel],
                    conclusion=feedback.conclusion,
                )
            )
        return feedbacks

    def action_send_reply(self):
        """Open the e-mail composer with the written reply template."""
        self.ensure_one()
        template = self.env.ref("complaint_handling.mail_template_complaint_reply")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": "helpdesk.ticket",
                "default_res_ids": self.ticket_id.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
            },
        }
