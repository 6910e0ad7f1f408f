# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

RETURN_REASONS = [
    ("out_of_scope", "Outside the agreement's scope"),
    ("incomplete", "Information incomplete"),
    ("other", "Other"),
]


class ComplaintTransfer(models.Model):
    """One hand-off of a complaint to a partner organisation (转派): who sent it,
    when it was acknowledged or returned, how it ended. History: never deleted,
    written only by the hand-off process."""

    _name = "complaint.transfer"
    _inherit = ["complaint.record.mixin"]
    _description = "Complaint Hand-off to a Partner Organisation"
    _order = "date_sent desc, id desc"
    _rec_name = "ticket_id"

    _complaint_anonymized_fields = {"note": False, "end_note": False}

    ticket_id = fields.Many2one(ondelete="restrict", readonly=True)
    partner_org_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner Organisation",
        required=True,
        index=True,
        readonly=True,
    )
    agreement_id = fields.Many2one(
        comodel_name="complaint.partner.agreement",
        required=True,
        readonly=True,
        index=True,
    )
    state = fields.Selection(
        selection=[
            ("sent", "Waiting for acknowledgement"),
            ("acknowledged", "Acknowledged"),
            ("returned", "Returned by the organisation"),
            ("recalled", "Taken back"),
            ("reassigned", "Reassigned"),
            ("expired", "Agreement ended"),
        ],
        required=True,
        default="sent",
        index=True,
        readonly=True,
    )
    handling_round = fields.Integer(readonly=True)
    note = fields.Text(string="Hand-off Note", readonly=True)
    sent_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    date_sent = fields.Datetime(required=True, readonly=True)
    date_acknowledged = fields.Datetime(readonly=True)
    acknowledged_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    date_ended = fields.Datetime(readonly=True)
    ended_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    return_reason = fields.Selection(selection=RETURN_REASONS, readonly=True)
    end_note = fields.Text(readonly=True)
    rehandle_count = fields.Integer(
        string="Re-handlings Ordered", readonly=True, default=0
    )

    # The hand-off's life: hand off, end (returned, recalled, reassigned,
    # expired); the agents' actions are in complaint_transfer_agent.py.

    @api.model
    def _hand_off(self, tickets, agreement, note=None):
        """Hand ``tickets`` to the organisation of ``agreement`` (as the
        current user, who must be able to write them); complaints already
        handed to another organisation are reassigned."""
        tickets = tickets.with_env(self.env)
        tickets.check_access("write")
        agreement = agreement.with_env(self.env)  # "today" in the user's time zone
        org = agreement.partner_org_id
        for ticket in tickets:
            ticket._complaint_check_hand_off(agreement)
        tickets.filtered("partner_org_id").transfer_id._end(
            "reassigned",
            note=self.env._("Reassigned to %(org)s.", org=org.display_name),
        )
        now = fields.Datetime.now()
        transfers = self.sudo().create(
            [
                {
                    "ticket_id": ticket.id,
                    "partner_org_id": org.id,
                    "agreement_id": agreement.id,
                    "handling_round": ticket.handling_round,
                    "note": note,
                    "sent_by_id": self.env.user.id,
                    "date_sent": now,
                }
                for ticket in tickets
            ]
        )
        for ticket, transfer in zip(tickets, transfers, strict=True):
            ticket._complaint_write(
                {
                    "partner_org_id": org.id,
                    "transfer_id": transfer.id,
                    "partner_agent_id": False,
                }
            )
        tickets._complaint_log(
            self.env._(
                "Handed to %(org)s under agreement %(agreement)s. Note: %(note)s",
                org=org.display_name,
                agreement=agreement.name,
                note=note or "",
            )
        )
        tickets._complaint_notify_org(
            org,
            self.env._("New complaints handed to %(org)s", org=org.display_name),
        )
        tickets._complaint_event("transferred", records=transfers, when=now)
        return transfers

    def _end(self, state, reason=None, note=None):
        """End these hand-offs (``state``: returned, recalled, reassigned,
        expired): the organisation and its agents lose access at once
        (their followers removed). Batched per organisation: an ended
        agreement may end thousands."""
        transfers = self.sudo().filtered(lambda t: t.ticket_id.transfer_id == t)
        if not transfers:
            return
        now = fields.Datetime.now()
        transfers.write(
            {
                "state": state,
                "date_ended": now,
                "ended_by_id": self.env.user.id,
                "return_reason": reason,
                "end_note": note,
            }
        )
        tickets = transfers.ticket_id
        for org, mine in tickets.grouped("partner_org_id").items():
            followers = mine.message_partner_ids.filtered(
                lambda p, o=org: p.commercial_partner_id == o
            )
            if followers:
                mine.message_unsubscribe(partner_ids=followers.ids)
        tickets._complaint_write(
            {"partner_org_id": False, "transfer_id": False, "partner_agent_id": False}
        )
        tickets._complaint_rotate_access_tokens()
        tickets._complaint_event(state, records=transfers, when=now)

    def action_recall(self, note=None):
        """The carrier takes the complaints back from their organisation."""
        tickets = self.ticket_id
        tickets.check_access("write")
        current = self.filtered(lambda t: t.ticket_id.transfer_id == t)
        if len(current) != len(self) or not self:
            ended = (self - current)[:1].ticket_id or tickets[:1]
            raise UserError(
                self.env._(
                    "Complaint %(number)s is not handed to a partner organisation.",
                    number=ended.number,
                )
            )
        tickets._message_log_batch(
            bodies={
                transfer.ticket_id.id: self.env._(
                    "Taken back from %(org)s. Note: %(note)s",
                    org=transfer.partner_org_id.display_name,
                    note=note or "",
                )
                for transfer in self
            }
        )
        self._end("recalled", note=note)
        return True
