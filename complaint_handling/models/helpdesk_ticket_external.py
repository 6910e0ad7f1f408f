# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib

from psycopg2 import errorcodes, errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

EXTERNAL_CONSTRAINT = "helpdesk_ticket_external_uniq"


class ExternalIdentifierRace(errors.SerializationFailure):
    """Two transactions received the same external identifier at once: the
    second one waited for the first on the unique index and cannot see its
    complaint in its snapshot (Odoo runs in REPEATABLE READ). PostgreSQL
    reports it as a unique violation, which Odoo's ``retrying`` turns into a
    validation error; it is a serialisation failure in substance, so it is
    raised as one and the request runs again with a fresh snapshot, where it
    finds the complaint and returns it."""

    # psycopg2 sets ``pgcode`` on the errors it raises only; Odoo's retry
    # loop logs it.
    pgcode = errorcodes.SERIALIZATION_FAILURE


# helpdesk.ticket is split by concern on purpose, one file each (as Odoo
# splits mail.thread): pylint-odoo would have one class.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    """Idempotent intake: a ticket received from another system keeps that
    system's identifier (unique per company and source); receiving the same
    identifier again returns the ticket already recorded instead of a twin."""

    _inherit = "helpdesk.ticket"

    external_source = fields.Char(
        string="Source System",
        readonly=True,
        copy=False,
        help="The system the ticket was received from (by default, the login of "
        "the user who sent it).",
    )
    external_id = fields.Char(
        string="External Identifier",
        readonly=True,
        copy=False,
        help="The ticket's identifier in its source system: receiving it again "
        "returns this ticket instead of recording it twice.",
    )

    _sql_constraints = [
        (
            "external_uniq",
            "unique(company_id, external_source, external_id)",
            "A ticket with this external identifier was already received from "
            "this source.",
        )
    ]

    @api.model_create_multi
    def create(self, vals_list):
        """Values carrying an external identifier already received give back
        the ticket received then, in their place in the result (a batch that
        repeats an identifier gets the same ticket twice)."""
        if not any(vals.get("external_id") for vals in vals_list):
            return super().create(vals_list)
        existing = self._complaint_received_before(vals_list)
        first_of = {}  # id(vals) -> the values of the batch it repeats
        new_vals, seen = [], {}
        for vals in vals_list:
            if id(vals) in existing:
                continue
            key = vals.get("external_id") and self._complaint_external_key(vals)
            if key and key in seen:
                first_of[id(vals)] = seen[key]
                continue
            seen[key] = vals
            new_vals.append(vals)
        self._complaint_claim_external_keys(
            [self._complaint_external_key(v) for v in new_vals if v.get("external_id")]
        )
        try:
            created = super().create(new_vals) if new_vals else self.browse()
        except errors.UniqueViolation as exc:
            if exc.diag.constraint_name == EXTERNAL_CONSTRAINT:
                raise ExternalIdentifierRace(str(exc)) from exc
            raise
        by_vals = dict(zip(map(id, new_vals), created.ids, strict=True))
        by_vals.update({key: ticket.id for key, ticket in existing.items()})
        by_vals.update({key: by_vals[id(first)] for key, first in first_of.items()})
        self.browse(
            {ticket.id for ticket in existing.values()}
        )._complaint_log_received_again()
        return self.browse([by_vals[id(vals)] for vals in vals_list])

    def write(self, vals):
        if {"external_id", "external_source"} & set(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "A ticket's source system and external identifier are "
                    "recorded when it is received; they cannot be changed."
                )
            )
        return super().write(vals)

    @api.model
    def _complaint_external_key(self, vals):
        """(company id, source, identifier) of the values of a new ticket,
        completing the source with its default."""
        if not vals.get("external_source"):
            vals["external_source"] = self.env.user.login
        company_id = vals.get("company_id") or self.env.company.id
        return (company_id, vals["external_source"], vals["external_id"])

    @api.model
    def _complaint_claim_external_keys(self, keys):
        """Lock the external identifiers about to be received, for this
        transaction (advisory locks, in a fixed order: a transaction receiving
        one of them at the same time waits here), then look for them with a
        new cursor: another transaction may have received one since this one's
        snapshot, which cannot show it (REPEATABLE READ). When it did, raise
        the race before any INSERT: PostgreSQL would refuse the INSERT, and
        Odoo log it whole, customers' data included."""
        keys = sorted(set(keys))
        if not keys:
            return
        for key in keys:
            digest = hashlib.sha256(repr(("helpdesk.ticket", *key)).encode()).digest()
            lock = int.from_bytes(digest[:8], "big", signed=True)
            self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", lock))
        with self.env.registry.cursor() as fresh:
            # This transaction may hold a lock that the look-up would wait for
            # forever (an addon's data loaded while the table is altered):
            # then the look-up is skipped, the INSERT still checks.
            fresh.execute("SET LOCAL lock_timeout = '200ms'")
            try:
                fresh.execute(
                    SQL(
                        "SELECT 1 FROM helpdesk_ticket WHERE "
                        "(company_id, external_source, external_id) IN %s LIMIT 1",
                        tuple(keys),
                    ),
                    log_exceptions=False,
                )
                found = fresh.fetchone()
            except errors.LockNotAvailable:
                fresh.rollback()
                return
            fresh.execute("SET LOCAL lock_timeout = DEFAULT")
            if found:
                raise ExternalIdentifierRace(
                    "an external identifier was received meanwhile"
                )

    @api.model
    def _complaint_received_before(self, vals_list):
        """{id(vals): ticket} for the values whose external identifier was
        received before (or earlier in the same batch: an error)."""
        keys = {}
        for vals in vals_list:
            if vals.get("external_id"):
                keys[id(vals)] = self._complaint_external_key(vals)
        # As superuser: the source system's earlier ticket may be another
        # user's; only its id is given back, reading it stays subject to the
        # caller's rights.
        found = self.sudo().search_fetch(
            [
                ("company_id", "in", list({key[0] for key in keys.values()})),
                ("external_source", "in", list({key[1] for key in keys.values()})),
                ("external_id", "in", list({key[2] for key in keys.values()})),
            ],
            ["company_id", "external_source", "external_id"],
        )
        by_key = {
            (ticket.company_id.id, ticket.external_source, ticket.external_id): ticket
            for ticket in found
        }
        return {
            vals_id: self.browse(by_key[key].id)
            for vals_id, key in keys.items()
            if key in by_key
        }

    def _complaint_log_received_again(self):
        """Say on each ticket that its source sent it again."""
        for ticket in self:
            ticket.sudo()._message_log(
                body=self.env._(
                    "Received again from %(system)s (identifier %(identifier)s) by "
                    "%(user)s: not recorded twice.",
                    system=ticket.sudo().external_source,
                    identifier=ticket.sudo().external_id,
                    user=self.env.user.name,
                )
            )

    @api.model
    def complaint_receive(self, vals_list):
        """Receive tickets from another system, idempotently: the public
        method for integrations (XML-RPC, JSON-RPC). Returns, for each values
        dict, ``{"id", "number", "created"}``; ``created`` is false when the
        external identifier had been received before."""
        if isinstance(vals_list, dict):
            vals_list = [vals_list]
        known = {
            ticket.id for ticket in self._complaint_received_before(vals_list).values()
        }
        tickets = self.create(vals_list)
        result = []
        for ticket in tickets:
            result.append(
                {
                    "id": ticket.id,
                    "number": ticket.sudo().number,
                    "created": ticket.id not in known,
                }
            )
            known.add(ticket.id)
        return result
