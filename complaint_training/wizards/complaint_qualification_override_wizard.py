# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.helpdesk_ticket import OVERRIDE_KEY


class ComplaintQualificationOverrideWizard(models.TransientModel):
    """A supervisor assigns complaints to a handler who lacks the
    qualification they need, with the reason (logged on each complaint)."""

    _name = "complaint.qualification.override.wizard"
    _description = "Assign Without Qualification"

    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket", string="Complaints", required=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Assign to",
        required=True,
        domain="[('share', '=', False)]",
    )
    missing = fields.Text(compute="_compute_missing")
    reason = fields.Text(required=True)

    @api.depends("ticket_ids", "user_id")
    def _compute_missing(self):
        for wizard in self:
            unqualified = (
                wizard.ticket_ids._complaint_unqualified(wizard.user_id)
                if wizard.user_id
                else wizard.ticket_ids.browse()
            )
            wizard.missing = (
                unqualified._complaint_unqualified_message(wizard.user_id)
                if unqualified
                else False
            )

    def action_assign(self):
        self.ensure_one()
        if not self.reason.strip():
            raise UserError(self.env._("Give the reason for the assignment."))
        self.ticket_ids.with_context(**{OVERRIDE_KEY: self.reason}).write(
            {"user_id": self.user_id.id}
        )
        return {"type": "ir.actions.act_window_close"}
