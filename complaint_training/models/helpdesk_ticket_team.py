# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    qualification_required = fields.Boolean(
        help="The team's complaints are assigned only to people qualified for "
        "their type and business line.",
    )
