# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError

# What a file of a kept complaint never changes: its content and the record
# it belongs to.
FROZEN_FILE_FIELDS = {"res_model", "res_id", "raw", "datas", "db_datas", "store_fname"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _complaint_tickets_of(self, pairs):
        """The complaints that the (model, id) ``pairs`` belong to: complaints
        themselves, or records of a complaint (``complaint.record.mixin``)."""
        by_model = {}
        for model, res_id in pairs:
            if model and res_id:
                by_model.setdefault(model, set()).add(res_id)
        tickets = self.env["helpdesk.ticket"].sudo()
        if not by_model:
            return tickets
        # The registry's inheritance graph (no public API lists the models
        # inheriting a mixin): the records of complaints of every addon.
        records = set(
            self.env.registry.descendants(["complaint.record.mixin"], "_inherit")
        )
        for model, ids in by_model.items():
            if model == "helpdesk.ticket":
                tickets |= tickets.browse(ids)
            elif model in records:
                tickets |= self.env[model].sudo().browse(ids).exists().ticket_id
        return tickets.exists()

    def _complaint_tickets(self):
        """The tickets the attachments belong to, directly or through one of
        their records."""
        return self._complaint_tickets_of(
            (attachment.res_model, attachment.res_id) for attachment in self.sudo()
        )

    def _complaint_check_portal_upload(self):
        """Files that portal users (customers, partner agents) put on a
        complaint follow the company's portal limits, whatever the way: the
        complaint forms, or the chatter's upload (mail's upload route creates
        the attachment as superuser, for the user, on the thread or on a
        pending message that posting then moves to the thread)."""
        if not self.env.user.share:
            return
        per_complaint = defaultdict(int)
        for attachment in self.sudo():
            complaints = attachment._complaint_tickets().filtered(
                lambda t: t.kind == "complaint"
            )
            if complaints:
                company = complaints[0].company_id or self.env.company
                company._complaint_check_portal_file(
                    attachment.name, attachment.file_size
                )
                per_complaint[complaints[0]] += 1
        # The count: files put on a complaint at once (a form's files, or the
        # files of one chatter message, moved onto the complaint together).
        for complaint, count in per_complaint.items():
            limit = (
                complaint.company_id or self.env.company
            ).complaint_portal_max_files
            if count > limit:
                raise UserError(
                    self.env._("Attach at most %(count)s files.", count=limit)
                )

    @api.model_create_multi
    def create(self, vals_list):
        attachments = super().create(vals_list)
        attachments._complaint_check_portal_upload()
        return attachments

    def write(self, vals):
        # Also as superuser: nothing of a kept complaint is moved or replaced
        # (files put on a complaint, from a pending upload, are welcome).
        if FROZEN_FILE_FIELDS & set(vals):
            kept = self._complaint_tickets()._complaint_kept()
            if kept:
                raise UserError(
                    self.env._(
                        "The files of complaint %(number)s are kept as they are "
                        "until the end of its retention period: add a new file "
                        "instead.",
                        number=kept[0].number,
                    )
                )
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
