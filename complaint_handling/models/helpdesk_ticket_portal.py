# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.mail.tools.discuss import Store

from ..tools.constants import CONCLUDED_STEPS
from .complaint_callback import SATISFACTION


# helpdesk.ticket is split by concern on purpose, one file each (as Odoo
# splits mail.thread): pylint-odoo would have one class.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    """What the customer sees and does in the portal."""

    _inherit = "helpdesk.ticket"

    # Staff only: a portal user who could read it would hand out the access
    # of a link (portal pages and e-mails read it as superuser).
    access_token = fields.Char(groups="base.group_user")
    contact_phone_portal = fields.Char(
        string="Contact Phone (portal)",
        compute="_compute_contact_phone_portal",
        compute_sudo=True,
        help="The contact phone for the customer and for the partner agents while "
        "the complaint is theirs and open; masked otherwise.",
    )

    @api.depends_context("uid")
    @api.depends("contact_phone", "partner_org_id", "stage_id")
    def _compute_contact_phone_portal(self):
        user = self.env.user
        for ticket in self:
            phone = ticket.contact_phone or ""
            visible = ticket._complaint_sees_personal_data_as(user) or (
                ticket.partner_id
                and ticket.partner_id.commercial_partner_id
                == user.commercial_partner_id
            )
            if not visible and ticket._complaint_is_agent(user):
                visible = not ticket.closed and ticket.complaint_state not in (
                    CONCLUDED_STEPS
                )
            ticket.contact_phone_portal = (
                phone if visible else ticket._complaint_mask("contact_phone", phone)
            )

    # What mail's thread route (/mail/thread/data) gives portal users and
    # token holders: no activities, followers, suggested recipients or
    # scheduled messages; of the files, only those the customer may see.
    _complaint_portal_thread_requests = frozenset({"attachments"})

    def _thread_to_store(self, store, /, *, fields=None, request_list=None):
        if not request_list or self.env.user._is_internal():
            return super()._thread_to_store(
                store, fields=fields, request_list=request_list
            )
        allowed = [
            r for r in request_list if r in self._complaint_portal_thread_requests
        ]
        super()._thread_to_store(
            store,
            fields=fields,
            request_list=[r for r in allowed if r != "attachments"] or ["none"],
        )
        if "attachments" in allowed:
            for ticket in self:
                store.add(
                    ticket,
                    {
                        "attachments": Store.many(ticket._portal_visible_attachments()),
                        "areAttachmentsLoaded": True,
                        "isLoadingAttachments": False,
                    },
                    as_thread=True,
                )

    # helpdesk_mgmt's stage e-mails (e.g. "ticket closed") are sent from
    # the company's address. Without one, Odoo falls back on the default
    # sender (the alias domain's, or --email-from); when there is none
    # either, the mail fails and logs an ERROR: it is not sent, and the ticket
    # says why instead.
    def _track_template(self, changes):
        res = super()._track_template(changes)
        for field_name, (template, _options) in list(res.items()):
            if template and not self._complaint_mail_sender(template):
                del res[field_name]
                self._complaint_log(
                    self.env._(
                        'The e-mail "%(template)s" was not sent: it has no sender '
                        "address. Give the company %(company)s an e-mail address "
                        "(or its alias domain a default sender) to send it.",
                        template=template.sudo().name,
                        company=self.sudo().company_id.name,
                    )
                )
        return res

    def _complaint_mail_sender(self, template):
        """The sender of ``template``'s e-mail on this ticket, as the mail
        would have it: the address the template renders (the composer's
        fallback, the current user's, when it names none), else the default
        sender of the ticket's company; empty when there is none."""
        self.ensure_one()
        template = template.sudo()
        if template.email_from:
            sender = template._render_field("email_from", self.ids)[self.id]
        else:
            sender = self.env.user.email_formatted
        if sender:
            return sender
        company = self.sudo().company_id or self.env.company
        return (
            self.env["ir.mail_server"]
            .sudo()
            .with_company(company)
            ._get_default_from_address()
        )

    def _compute_access_url(self):
        res = super()._compute_access_url()
        # Complaints have their own portal page (see controllers/portal.py).
        for ticket in self.filtered(lambda t: t.kind == "complaint"):
            ticket.access_url = f"/my/complaints/{ticket.id}"
        return res

    def _portal_visible_attachments(self):
        """The ticket's files a customer may see: those of the messages he
        can read and those customers put on it; not the files of internal
        notes nor those staff attached to the ticket without a message."""
        self.ensure_one()
        files = self.sudo().attachment_ids
        messages = self.sudo().message_ids.filtered("attachment_ids")
        public = messages.filtered(
            lambda m: not m.is_internal and not m.subtype_id.internal
        ).attachment_ids
        return files.filtered(lambda f: f in public or f.create_uid.share)

    def _portal_customer_check(self):
        self.ensure_one()
        self.check_access("read")
        user = self.env.user
        if (
            self.kind != "complaint"
            or not self.partner_id
            or self.partner_id.commercial_partner_id != user.commercial_partner_id
        ):
            raise AccessError(
                self.env._("Complaint %(number)s is not yours.", number=self.number)
            )
        return self.sudo()

    def action_portal_confirm_solution(self):
        """The customer agrees to the proposed solution, in the portal."""
        ticket = self._portal_customer_check()
        if ticket.complaint_state != "handling" or not ticket.solution_measures:
            raise UserError(self.env._("There is no proposed solution to confirm."))
        ticket.action_complaint_confirm_solution()
        ticket._complaint_log(
            self.env._("The customer agreed to the solution in the portal.")
        )
        return True

    @api.returns("complaint.callback", lambda record: record.id)
    def action_portal_rate(self, satisfaction, problem_solved=False, comment=None):
        """The customer rates the handling once the result is reported."""
        ticket = self._portal_customer_check()
        if ticket.complaint_state != "result_reported":
            raise UserError(
                self.env._("You can rate the handling once the result is reported.")
            )
        if satisfaction not in dict(SATISFACTION):
            raise UserError(self.env._("Choose how satisfied you are."))
        return (
            self.env["complaint.callback"]
            .sudo()
            .create(
                {
                    "ticket_id": ticket.id,
                    "channel": "portal",
                    "reached": True,
                    "satisfaction": satisfaction,
                    "problem_solved": bool(problem_solved),
                    "comment": comment,
                }
            )
        )
