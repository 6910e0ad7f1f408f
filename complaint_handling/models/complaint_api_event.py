# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging
import uuid
from datetime import timedelta

import requests

from odoo import api, fields, models
from odoo.modules import module as odoo_module

from ..tools.tmf621 import BASE_PATHS, EVENT_TYPES, iso

_logger = logging.getLogger(__name__)

# Delays before the next attempt after 1, 2, 3… failures in a row (minutes).
BACKOFF_MINUTES = (1, 2, 5, 15, 30, 60, 120, 240)
# Failures in a row after which a listener is suspended (about 8 hours).
SUSPEND_AFTER = len(BACKOFF_MINUTES) + 1
TIMEOUT = 10
BATCH = 200


class ComplaintApiEvent(models.Model):
    """The outbox of the TMF621 events: written in the transaction of the
    change (so that no event is lost, nor sent for a change rolled back),
    delivered by a job at least once, in order per ticket and listener, with
    retries and back-off. Each event keeps its id: a listener that receives
    one twice (its answer was lost) recognises it."""

    _name = "complaint.api.event"
    _description = "Trouble Ticket Event"
    _order = "id"

    event_id = fields.Char(
        string="Event ID",
        required=True,
        readonly=True,
        default=lambda self: str(uuid.uuid4()),
        index=True,
    )
    event_type = fields.Selection(
        selection=[(name, name) for name in EVENT_TYPES], required=True, readonly=True
    )
    listener_id = fields.Many2one(
        comodel_name="complaint.api.listener",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="listener_id.company_id", store=True)
    payload = fields.Text(readonly=True)
    state = fields.Selection(
        selection=[("pending", "Waiting"), ("delivered", "Delivered")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    attempts = fields.Integer(string="Failed Attempts", readonly=True)
    next_attempt_date = fields.Datetime(
        default=fields.Datetime.now, readonly=True, index=True
    )
    delivered_date = fields.Datetime(readonly=True)
    last_error = fields.Char(readonly=True)

    @api.model
    def _complaint_enqueue(self, event_type, tickets, changed=None):
        """Write the event ``event_type`` of ``tickets`` for every active
        listener of their company that wants it and can read them, rendered
        as the listener's owner. Returns the events written."""
        listener_model = self.env["complaint.api.listener"].sudo()
        vals_list = []
        now = fields.Datetime.now()
        for company in tickets.company_id:
            listener_ids = listener_model._listener_ids(company.id)
            if not listener_ids:
                continue
            mine = tickets.filtered(lambda t, company=company: t.company_id == company)
            for listener in listener_model.browse(listener_ids):
                if not listener.wants(event_type):
                    continue
                vals_list += self._complaint_event_vals(
                    event_type, listener, mine, changed, now
                )
        if not vals_list:
            return self.browse()
        events = self.sudo().create(vals_list)
        self.env.ref(
            "complaint_handling.ir_cron_complaint_api_deliver"
        ).sudo()._trigger()
        return events

    @api.model
    def _complaint_event_vals(self, event_type, listener, tickets, changed, now):
        readable = tickets.with_user(listener.user_id)._filtered_access("read")
        if not readable:
            return []
        href = f"{readable[:1].get_base_url()}{BASE_PATHS[-1]}/troubleTicket"
        resources = readable._tmf_resources(href)
        vals_list = []
        for ticket, resource in zip(readable, resources, strict=True):
            event_id = str(uuid.uuid4())
            body = {
                "eventId": event_id,
                "eventTime": iso(now),
                "eventType": event_type,
                "event": {"troubleTicket": resource},
                "@type": event_type,
            }
            if changed:
                body["fieldPath"] = ",".join(sorted(changed))
            vals_list.append(
                {
                    "event_id": event_id,
                    "event_type": event_type,
                    "listener_id": listener.id,
                    "ticket_id": ticket.id,
                    "payload": json.dumps(body, ensure_ascii=False),
                    "next_attempt_date": now,
                }
            )
        return vals_list

    # ------------------------------------------------------------------
    # Delivery
    # ------------------------------------------------------------------
    @api.model
    def _cron_deliver(self):
        # Tests deliver in their own transaction.
        self._deliver(commit=not odoo_module.current_test)

    @api.model
    def _deliver(self, commit=False):
        """Send the due events, listener by listener, oldest first; an
        event waits while an earlier one of its ticket is not delivered."""
        now = fields.Datetime.now()
        listeners = (
            self.sudo()
            .search([("state", "=", "pending"), ("next_attempt_date", "<=", now)])
            .listener_id.filtered(lambda listener: listener.state == "active")
        )
        for listener in listeners:
            self._deliver_to(listener, now)
            if commit:
                # A cron job: what was delivered stays delivered if a later
                # listener fails the job.
                self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _deliver_to(self, listener, now):
        events = self.sudo().search(
            [("listener_id", "=", listener.id), ("state", "=", "pending")],
            limit=BATCH,
        )
        blocked = set()  # tickets with an earlier event not delivered
        delivered = self.browse()
        try:
            with requests.Session() as session:
                for event in events:
                    if event.ticket_id.id in blocked:
                        continue
                    if event.next_attempt_date > now:
                        blocked.add(event.ticket_id.id)
                        continue
                    error = event._post(session, listener.callback)
                    if error is None:
                        delivered |= event
                        if listener.failure_count:  # the failures in a row end
                            listener.write({"failure_count": 0, "last_error": False})
                        continue
                    event._failed(listener, now, error)
                    # Suspended, or down (what follows would fail too).
                    if listener.state != "active" or isinstance(
                        error, requests.ConnectionError
                    ):
                        return
                    blocked.add(event.ticket_id.id)
        finally:
            # One write for the events delivered, one for their listener.
            if delivered:
                delivered.write({"state": "delivered", "delivered_date": now})
                listener.write({"last_delivery_date": now})

    def _post(self, session, url):
        """Post the event; None when the listener took it, else the error."""
        self.ensure_one()
        try:
            response = session.post(
                url,
                data=self.payload.encode(),
                headers={
                    "Content-Type": "application/json",
                    "X-Event-Id": self.event_id,
                },
                timeout=TIMEOUT,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            return exc
        if 200 <= response.status_code < 300:
            return None
        return requests.HTTPError(f"HTTP {response.status_code}")

    def _failed(self, listener, now, error):
        # The error's class and status only: never the payload (customers'
        # data) nor the listener's answer.
        reason = type(error).__name__
        if isinstance(error, requests.HTTPError):
            reason = str(error)
        delay = BACKOFF_MINUTES[min(self.attempts, len(BACKOFF_MINUTES) - 1)]
        self.write(
            {
                "attempts": self.attempts + 1,
                "next_attempt_date": now + timedelta(minutes=delay),
                "last_error": reason,
            }
        )
        listener.write(
            {"failure_count": listener.failure_count + 1, "last_error": reason}
        )
        _logger.info(
            "Event listener %s: delivery failed (%s), next attempt in %s min",
            listener.id,
            reason,
            delay,
        )
        if listener.failure_count >= SUSPEND_AFTER:
            listener._suspend_after_failures()
