# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ComplaintRemedyRefuseWizard(models.TransientModel):
    _name = "complaint.remedy.refuse.wizard"
    _description = "Refuse a Remedy"

    remedy_id = fields.Many2one(
        comodel_name="complaint.remedy", required=True, ondelete="cascade"
    )
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.remedy_id.action_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
