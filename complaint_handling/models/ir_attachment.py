# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError

COMPLAINT_FILE_MODELS = ("helpdesk.ticket", "complaint.handling.log")


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _complaint_tickets(self):
        """The tickets the attachments belong to, directly or through a
        handling log."""
        by_model = {}
        for attachment in self.sudo():
            if attachment.res_model in COMPLAINT_FILE_MODELS and attachment.res_id:
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
        return tickets.sudo().exists()

    def _complaint_check_portal_upload(self):
        """Files that portal users (customers, partner agents) put on a
        complaint follow the company's portal limits, whatever the way: the
        complaint forms, or the chatter's upload (mail's upload route creates
        the attachment as superuser, for the user, on the thread or on a
        pending message that posting then moves to the thread)."""
        if not self.env.user.share:
            return
        for attachment in self.sudo():
            complaints = attachment._complaint_tickets().filtered(
                lambda t: t.kind == "complaint"
            )
            if complaints:
                company = complaints[0].company_id or self.env.company
                company._complaint_check_portal_file(
                    attachment.name, attachment.file_size
                )

    @api.model_create_multi
    def create(self, vals_list):
        attachments = super().create(vals_list)
        attachments._complaint_check_portal_upload()
        return attachments

    def write(self, vals):
        res = super().write(vals)
        if {"res_model", "res_id", "name", "raw", "datas"} & set(vals):
            self._complaint_check_portal_upload()
        return res

    def unlink(self):
        kept = self._complaint_tickets()._complaint_kept()
        if kept:
            raise UserError(
                self.env._(
                    "The files of complaint %(number)s are kept until the end of its "
                    "retention period.",
                    number=kept[0].number,
                )
            )
        return super().unlink()
