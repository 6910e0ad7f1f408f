# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ComplaintQaDisputeWizard(models.TransientModel):
    """The reviewed person disputes a spot check's result, with a reason."""

    _name = "complaint.qa.dispute.wizard"
    _description = "Dispute a Spot Check"

    review_id = fields.Many2one(
        comodel_name="complaint.qa.review", string="Spot Check", required=True
    )
    reason = fields.Text(required=True)

    def action_dispute(self):
        self.ensure_one()
        self.review_id.action_dispute(self.reason)
        return {"type": "ir.actions.act_window_close"}
