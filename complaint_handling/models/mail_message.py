# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class MailMessage(models.Model):
    _inherit = "mail.message"

    def unlink(self):
        ticket_ids = {
            message.res_id
            for message in self.sudo()
            if message.model == "helpdesk.ticket" and message.res_id
        }
        if ticket_ids:
            kept = (
                self.env["helpdesk.ticket"]
                .browse(ticket_ids)
                .exists()
                ._complaint_kept()
            )
            if kept:
                raise UserError(
                    self.env._(
                        "The messages of complaint %(number)s are kept until the end "
                        "of its retention period.",
                        number=kept[0].number,
                    )
                )
        return super().unlink()
