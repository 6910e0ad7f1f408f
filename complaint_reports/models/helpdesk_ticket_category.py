# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

# The regulator's three complaint categories (工信部申诉分类).
REGULATOR_CATEGORIES = [
    ("network_quality", "Network quality"),
    ("billing_dispute", "Billing dispute"),
    ("customer_service", "Customer service"),
]


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    complaint_regulator_category = fields.Selection(
        selection=REGULATOR_CATEGORIES,
        string="Regulator Category",
        help="The regulator's category complaints of this type are reported in: "
        "network quality (网络质量), billing dispute (收费争议) or customer service "
        "(用户服务). A sub-type without its own category takes its parent's; a type "
        "with none is counted apart as unmapped on the regulator statistics.",
    )
