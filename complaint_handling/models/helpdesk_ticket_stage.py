# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

COMPLAINT_STEPS = [
    ("received", "Received"),
    ("accepted", "Accepted"),
    ("handling", "In Handling"),
    ("solution_confirmed", "Solution Confirmed"),
    ("result_reported", "Result Reported"),
    ("callback_done", "Callback Done"),
    ("closed", "Closed"),
    ("refused", "Not Accepted"),
]


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    complaint_step = fields.Selection(
        selection=COMPLAINT_STEPS,
        index=True,
        help="Step of the complaint process this stage stands for. Moving a "
        "complaint into the stage checks the conditions of the step.",
    )
