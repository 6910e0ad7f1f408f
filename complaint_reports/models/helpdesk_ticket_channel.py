# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketChannel(models.Model):
    _inherit = "helpdesk.ticket.channel"

    complaint_regulator = fields.Boolean(
        string="Regulator Transfer",
        help="Complaints received through this channel were transferred by the "
        "regulator (申诉): reports count them apart from direct complaints (投诉).",
    )
