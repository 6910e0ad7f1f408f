# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..models.complaint_escalation import ESCALATION_LEVELS, ESCALATION_REASONS


class ComplaintEscalateWizard(models.TransientModel):
    _name = "complaint.escalate.wizard"
    _description = "Escalate a Complaint"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", required=True, ondelete="cascade"
    )
    from_level = fields.Selection(related="ticket_id.escalation_level")
    to_level = fields.Selection(
        selection=ESCALATION_LEVELS,
        required=True,
        compute="_compute_to_level",
        store=True,
        readonly=False,
    )
    reason = fields.Selection(selection=ESCALATION_REASONS, required=True)
    note = fields.Text(string="Hand-over Note", required=True)

    @api.depends("ticket_id")
    def _compute_to_level(self):
        for wizard in self:
            wizard.to_level = str(
                min(3, int(wizard.ticket_id.escalation_level or 1) + 1)
            )

    def action_escalate(self):
        self.ensure_one()
        ticket = self.ticket_id
        ticket._complaint_escalate(self.reason, self.note, int(self.to_level))
        # The user keeps sight of what he escalated (record rule
        # helpdesk_ticket_rule_escalated_from_me): read it as him.
        return ticket._complaint_notification(
            self.env._(
                "Complaint %(number)s escalated to %(level)s, now with %(who)s.",
                number=ticket.number,
                level=dict(self._fields["to_level"]._description_selection(self.env))[
                    self.to_level
                ],
                who=ticket.user_id.name or ticket.team_id.name,
            )
        )
