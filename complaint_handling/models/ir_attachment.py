# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def unlink(self):
        by_model = {}
        for attachment in self.sudo():
            if attachment.res_model in ("helpdesk.ticket", "complaint.handling.log"):
                by_model.setdefault(attachment.res_model, set()).add(attachment.res_id)
        tickets = self.env["helpdesk.ticket"].browse(
            by_model.get("helpdesk.ticket", ())
        )
        if by_model.get("complaint.handling.log"):
            tickets |= (
                self.env["complaint.handling.log"]
                .sudo()
                .browse(by_model["complaint.handling.log"])
                .exists()
                .ticket_id
            )
        kept = tickets.exists()._complaint_kept()
        if kept:
            raise UserError(
                self.env._(
                    "The files of complaint %(number)s are kept until the end of its "
                    "retention period.",
                    number=kept[0].number,
                )
            )
        return super().unlink()
