# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ComplaintFeeStatementAnswer(models.TransientModel):
    """The carrier's answer to a disputed fee statement, sent to the
    organisation with the statement (the calculation stays as it was)."""

    _name = "complaint.fee.statement.answer"
    _description = "Answer a Disputed Fee Statement"

    statement_id = fields.Many2one(
        comodel_name="complaint.fee.statement", required=True, ondelete="cascade"
    )
    dispute_reason = fields.Text(related="statement_id.dispute_reason")
    answer = fields.Text(
        required=True,
        help="Why the statement stands as it is; the organisation reads it.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.statement_id._complaint_resend(self.answer)
        return {"type": "ir.actions.act_window_close"}
