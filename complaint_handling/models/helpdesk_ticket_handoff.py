# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, is_html_empty

from ..tools.constants import (
    PARTNER_AGENT_GROUP,
    PARTNER_SUPERVISOR_GROUP,
    SUPERVISOR_GROUP,
)


# helpdesk.ticket is split by concern on purpose, one file each (as Odoo
# splits mail.thread): pylint-odoo would have one class.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    """The complaint's side of the hand-off to partner organisations (转派):
    who has it now, what the organisation needs, the carrier's buttons. The
    hand-off itself is ``complaint.transfer``'s."""

    _inherit = "helpdesk.ticket"

    partner_org_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner Organisation",
        readonly=True,
        index="btree_not_null",
        tracking=True,
        copy=False,
        help="The organisation the complaint is currently handed to.",
    )
    transfer_id = fields.Many2one(
        comodel_name="complaint.transfer",
        string="Current Hand-off",
        readonly=True,
        copy=False,
    )
    transfer_state = fields.Selection(
        related="transfer_id.state", string="Hand-off Status", store=True
    )
    transfer_ids = fields.One2many(
        comodel_name="complaint.transfer",
        inverse_name="ticket_id",
        string="Hand-offs",
    )
    partner_agent_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        tracking=True,
        copy=False,
        help="The partner organisation's agent working on the complaint.",
    )

    def _complaint_is_agent(self, user=None, supervisor=False):
        """Whether ``user`` is an agent (or supervisor agent) of the partner
        organisation the complaint is currently handed to."""
        self.ensure_one()
        user = user or self.env.user
        group = PARTNER_SUPERVISOR_GROUP if supervisor else PARTNER_AGENT_GROUP
        return bool(
            self.partner_org_id
            and user.commercial_partner_id == self.partner_org_id
            and user.has_group(group)
        )

    def _complaint_transfer_missing_info(self):
        """Labels of the information a partner organisation needs and that is
        missing on the complaint."""
        self.ensure_one()
        ticket = self.sudo()
        missing = []
        if not (ticket.partner_name or ticket.partner_id.name):
            missing.append(self.env._("customer name"))
        if not (
            ticket.contact_phone
            or ticket.partner_email
            or ticket.partner_id.phone
            or ticket.partner_id.email
        ):
            missing.append(self.env._("contact"))
        if not (ticket.id_number or ticket.account_number):
            missing.append(self.env._("ID document or account number"))
        if is_html_empty(ticket.description):
            missing.append(self.env._("content of the complaint"))
        if not ticket.received_date:
            missing.append(self.env._("time received"))
        return missing

    def _complaint_check_hand_off(self, agreement):
        """Raise unless the complaint can be handed to ``agreement``'s
        organisation now."""
        self.ensure_one()
        org = agreement.partner_org_id
        if self.kind != "complaint" or self.complaint_state not in (
            "accepted",
            "handling",
        ):
            raise UserError(
                self.env._(
                    "Complaint %(number)s cannot be handed over now: only "
                    "accepted complaints, or complaints in handling, can.",
                    number=self.number,
                )
            )
        if self.confidential:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is confidential: it stays with the carrier.",
                    number=self.number,
                )
            )
        if self.partner_org_id == org:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is already handed to %(org)s.",
                    number=self.number,
                    org=org.display_name,
                )
            )
        missing = self._complaint_transfer_missing_info()
        if missing:
            raise UserError(
                self.env._(
                    "Complaint %(number)s cannot be handed over: %(missing)s missing.",
                    number=self.number,
                    missing=", ".join(missing),
                )
            )
        if not agreement._covers(self):
            raise UserError(
                self.env._(
                    "The agreement %(agreement)s of %(org)s does not cover "
                    "complaint %(number)s (period, company, kind or type).",
                    agreement=agreement.name,
                    org=org.display_name,
                    number=self.number,
                )
            )

    def _complaint_check_handoff_vals(self, vals):
        if vals.get("confidential"):
            handed = self.filtered("partner_org_id")
            if handed:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s is handed to a partner organisation: "
                        "take it back before marking it confidential.",
                        number=handed[0].number,
                    )
                )

    def _complaint_rotate_access_tokens(self):
        """New access tokens for the complaints: links sent while they were
        handed to an organisation (its agents' notifications) stop working
        when the hand-off ends."""
        tickets = self.sudo().filtered("access_token")
        if not tickets:
            return
        # One UPDATE for the batch (an ended agreement ends thousands), a new
        # random token each, as portal.mixin would draw them one by one.
        tickets.flush_recordset(["access_token"])
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET access_token = gen_random_uuid()::text "
                "WHERE id IN %s",
                tuple(tickets.ids),
            )
        )
        tickets.invalidate_recordset(["access_token"])

    def _complaint_take_back(self, note=None):
        """The carrier takes the complaints back (see
        ``complaint.transfer.action_recall``)."""
        self.check_access("write")
        not_handed = self.filtered(lambda t: not t.partner_org_id)
        if not_handed:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is not handed to a partner organisation.",
                    number=not_handed[0].number,
                )
            )
        return self.transfer_id.action_recall(note=note)

    def _complaint_notify_org(self, org, subject):
        """Tell the organisation's supervisor agents (all its agents when it has
        none) by e-mail, without making them followers."""
        partners = org._complaint_notice_partners()
        if not partners:
            return
        base_url = self[:1].get_base_url()  # one base URL for the batch
        links = Markup("").join(
            Markup('<li><a href="%s%s">%s</a> %s</li>')
            % (base_url, ticket.access_url, ticket.number, ticket.name)
            for ticket in self
        )
        self[:1].sudo().message_notify(
            partner_ids=partners.ids,
            subject=subject,
            body=Markup("<p>%s</p><ul>%s</ul>") % (subject, links),
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _complaint_order_rehandle(self, reason):
        """Supervisor order: the organisation handles the complaint again (a new
        handling round)."""
        self.check_access("write")
        if not self.env.user.has_group(SUPERVISOR_GROUP):
            raise UserError(self.env._("Only a supervisor can order re-handling."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for the re-handling."))
        for ticket in self:
            if ticket.complaint_state not in (
                "solution_confirmed",
                "result_reported",
                "callback_done",
                "closed",
            ):
                raise UserError(
                    self.env._(
                        "Complaint %(number)s is still in handling: there is "
                        "nothing to handle again yet.",
                        number=ticket.number,
                    )
                )
        self._complaint_move_to_step("handling")
        for transfer in self.transfer_id.sudo():
            transfer.rehandle_count += 1
        self._message_log_batch(
            bodies={
                ticket.id: self.env._(
                    "Re-handling ordered (round %(round)s): %(reason)s",
                    round=ticket.handling_round,
                    reason=reason,
                )
                for ticket in self
            }
        )
        for org, tickets in (
            self.filtered("partner_org_id").grouped("partner_org_id").items()
        ):
            tickets._complaint_notify_org(
                org, self.env._("Re-handling ordered by the carrier")
            )
        return True

    def _complaint_open_transfer_wizard(self, name, mode):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "complaint.transfer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_ids": self.ids, "default_mode": mode},
        }

    def action_complaint_transfer(self):
        return self._complaint_open_transfer_wizard(
            self.env._("Hand Off to a Partner Organisation"),
            "reassign" if any(self.mapped("partner_org_id")) else "transfer",
        )

    def action_complaint_take_back(self):
        return self._complaint_open_transfer_wizard(
            self.env._("Take Back from the Partner Organisation"), "take_back"
        )

    def action_complaint_order_rehandle(self):
        return self._complaint_open_transfer_wizard(
            self.env._("Order Re-handling"), "rehandle"
        )
