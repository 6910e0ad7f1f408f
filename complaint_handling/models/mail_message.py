# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

# What a message of a kept complaint never changes: its content, its author and
# date, and the record it belongs to (mail's edit route, moves between threads
# as merge wizards do).
FROZEN_MESSAGE_FIELDS = {
    "body",
    "subject",
    "model",
    "res_id",
    "author_id",
    "email_from",
    "date",
    "message_type",
    "attachment_ids",
}


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _complaint_kept_of(self):
        """The kept complaints some of these messages belong to: on the
        complaint's thread or on the thread of one of its records (remedies)."""
        return (
            self.env["ir.attachment"]
            ._complaint_tickets_of(
                (message.model, message.res_id) for message in self.sudo()
            )
            ._complaint_kept()
        )

    def write(self, vals):
        # Also as superuser: the trail is complete for the retention period.
        if FROZEN_MESSAGE_FIELDS & set(vals):
            kept = self._complaint_kept_of()
            if kept:
                raise UserError(
                    self.env._(
                        "The messages of complaint %(number)s are kept as they "
                        "are until the end of its retention period: post a new "
                        "message to correct one.",
                        number=kept[0].number,
                    )
                )
        return super().write(vals)

    def unlink(self):
        kept = self._complaint_kept_of()
        if kept:
            raise UserError(
                self.env._(
                    "The messages of complaint %(number)s are kept until the end "
                    "of its retention period.",
                    number=kept[0].number,
                )
            )
        return super().unlink()

    def _get_forbidden_access(self, operation):
        """Besides mail's rule (internal *comments* are for employees), the
        other internal messages of tickets and complaint records (the process
        trail, tracking, hand-over notes: notifications on an internal
        subtype) are not for portal users or token holders either, read by
        id included. Their own messages stay theirs."""
        forbidden = super()._get_forbidden_access(operation)
        user = self.env.user
        if user._is_internal() or not (self - forbidden):
            return forbidden
        models_ = [
            "helpdesk.ticket",
            *self.env.registry.descendants(["complaint.record.mixin"], "_inherit"),
        ]
        rows = self.env.execute_query(
            SQL(
                """SELECT message.id
                     FROM mail_message AS message
                LEFT JOIN mail_message_subtype AS subtype
                       ON message.subtype_id = subtype.id
                    WHERE message.id = ANY(%s)
                      AND message.model = ANY(%s)
                      AND message.author_id IS DISTINCT FROM %s
                      AND (message.is_internal IS TRUE
                           OR message.subtype_id IS NULL
                           OR subtype.internal IS TRUE)""",
                (self - forbidden).ids,
                models_,
                user.partner_id.id,
            )
        )
        return forbidden + self.browse(id_ for (id_,) in rows)
