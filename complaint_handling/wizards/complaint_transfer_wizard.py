# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class ComplaintTransferWizard(models.TransientModel):
    """Hand complaints to a partner organisation, reassign them to another one,
    take them back, or order their re-handling."""

    _name = "complaint.transfer.wizard"
    _description = "Complaint Hand-off"

    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        string="Complaints",
        required=True,
        domain="[('kind', '=', 'complaint')]",
    )
    mode = fields.Selection(
        selection=[
            ("transfer", "Hand off"),
            ("reassign", "Reassign to another organisation"),
            ("take_back", "Take back"),
            ("rehandle", "Order re-handling"),
        ],
        required=True,
        default="transfer",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", compute="_compute_company_id"
    )
    partner_org_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner Organisation",
        domain="[('complaint_partner_org', '=', True)]",
    )
    agreement_id = fields.Many2one(
        comodel_name="complaint.partner.agreement",
        domain="[('partner_org_id', '=', partner_org_id), "
        "('company_id', '=', company_id), ('state', '=', 'running')]",
    )
    note = fields.Text(help="Hand-off note, or the reason for the re-handling.")

    @api.depends("ticket_ids")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.ticket_ids.company_id[:1] or self.env.company

    @api.onchange("partner_org_id")
    def _onchange_partner_org_id(self):
        if self.agreement_id.partner_org_id != self.partner_org_id:
            running = self.partner_org_id.complaint_agreement_ids.filtered(
                lambda a: a.state == "running" and a.company_id == self.company_id
            )
            self.agreement_id = running[:1]

    def action_confirm(self):
        self.ensure_one()
        tickets = self.ticket_ids
        if self.mode in ("transfer", "reassign"):
            if not self.agreement_id:
                raise UserError(
                    self.env._(
                        "Choose the partner organisation and the agreement under "
                        "which it receives the complaints."
                    )
                )
            self.env["complaint.transfer"]._hand_off(
                tickets, self.agreement_id, note=self.note
            )
        elif self.mode == "take_back":
            tickets._complaint_take_back(note=self.note)
        else:
            tickets._complaint_order_rehandle(self.note)
        return {"type": "ir.actions.act_window_close"}
