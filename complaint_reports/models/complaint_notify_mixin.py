# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ComplaintReaderNotifyMixin(models.AbstractModel):
    """Notices written for each reader, in the reader's language: one
    message per reader (the subject and body are functions of the record in
    that reader's language), sent by e-mail without making them followers."""

    _name = "complaint.reader.notify.mixin"
    _description = "Notices in the Reader's Language"

    def _complaint_notify(self, users, subject, body):
        self.ensure_one()
        for user in users:
            record = self.with_context(lang=user.lang or self.env.lang).sudo()
            record.message_notify(
                partner_ids=user.partner_id.ids,
                subject=subject(record),
                body=body(record),
                email_layout_xmlid="mail.mail_notification_light",
            )
