# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ComplaintPeriodicReportReturn(models.TransientModel):
    """The reviewer's comment when a periodic report goes back to its
    preparers."""

    _name = "complaint.periodic.report.return"
    _description = "Return a Periodic Report"

    report_id = fields.Many2one(
        comodel_name="complaint.periodic.report", required=True, ondelete="cascade"
    )
    comment = fields.Text(
        required=True, help="What must change; the preparers read it."
    )

    def action_confirm(self):
        self.ensure_one()
        self.report_id._complaint_return(self.comment)
        return {"type": "ir.actions.act_window_close"}
