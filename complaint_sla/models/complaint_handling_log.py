# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ComplaintHandlingLog(models.Model):
    _inherit = "complaint.handling.log"

    @api.model_create_multi
    def create(self, vals_list):
        logs = super().create(vals_list)
        for log in logs.filtered(
            lambda log: log.log_type == "contact" and log.contact_result == "reached"
        ):
            log.ticket_id._sla_fire("first_contact", log.date)
        return logs
