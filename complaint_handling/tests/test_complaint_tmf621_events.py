# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from freezegun import freeze_time

from odoo import fields
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.complaint_api_event import SUSPEND_AFTER
from ..tools.validators import MASK_CHAR
from .test_complaint_tmf621 import TmfCase


class Listener:
    """A local HTTP listener: records what it receives, answers ``status``."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.received = []
        self.status = 201
        self.server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/listener"

    def start(self):
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if listener.status < 300:
                    listener.received.append(json.loads(body))
                self.send_response(listener.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()


@tagged("post_install", "-at_install")
class TestTmf621Events(TmfCase):
    def setUp(self):
        super().setUp()
        self.listener = Listener()
        self.addCleanup(self.listener.stop)
        self.outbox = self.env["complaint.api.event"]

    def _register(self, query=None, user=None):
        response = self._call(
            "POST",
            "/hub",
            user=user,
            body={"callback": self.listener.url, "query": query or ""},
        )
        self.assertEqual(response.status_code, 201, response.text)
        return self.env["complaint.api.listener"].browse(int(response.json()["id"]))

    def _deliver(self, minutes=0):
        with freeze_time(fields.Datetime.now() + timedelta(minutes=minutes)):
            self.outbox._deliver()

    @mute_logger("odoo.addons.complaint_handling.models.complaint_api_event")
    def test_events_survive_a_listener_down(self):
        listener = self._register()
        first = self._call("POST", "/troubleTicket", body=self._resource()).json()
        second = self._call(
            "POST",
            "/troubleTicket",
            body=self._resource(externalIdentifier=[{"id": "CRM-2", "owner": "crm"}]),
        ).json()
        self._call(
            "PATCH", f"/troubleTicket/{first['id']}", body={"status": "inProgress"}
        )
        self._call(
            "PATCH", f"/troubleTicket/{second['id']}", body={"severity": "major"}
        )
        events = self.outbox.search([("listener_id", "=", listener.id)])
        self.assertEqual(
            [(e.ticket_id.id, e.event_type) for e in events],
            [
                (int(first["id"]), "TroubleTicketCreateEvent"),
                (int(second["id"]), "TroubleTicketCreateEvent"),
                (int(first["id"]), "TroubleTicketStatusChangeEvent"),
                (int(second["id"]), "TroubleTicketAttributeValueChangeEvent"),
            ],
        )
        # Down: nothing is lost, the events wait with a back-off.
        self._deliver()
        self.assertEqual(set(events.mapped("state")), {"pending"})
        self.assertEqual(listener.failure_count, 1)
        self.assertEqual(events[0].attempts, 1)
        self.assertGreater(events[0].next_attempt_date, fields.Datetime.now())
        # Up: every event arrives once, in order per ticket.
        self.listener.start()
        self._deliver(minutes=2)
        self.assertEqual(set(events.mapped("state")), {"delivered"})
        self._deliver(minutes=10)
        received = self.listener.received
        self.assertEqual(len(received), 4)
        self.assertEqual(
            [body["eventId"] for body in received], events.mapped("event_id")
        )
        for ticket_id in (first["id"], second["id"]):
            mine = [
                body["eventType"]
                for body in received
                if body["event"]["troubleTicket"]["id"] == ticket_id
            ]
            self.assertEqual(mine[0], "TroubleTicketCreateEvent")
        self.assertEqual(received[2]["event"]["troubleTicket"]["status"], "inProgress")
        self.assertEqual(received[3]["fieldPath"], "severity")
        self.assertEqual(listener.failure_count, 0)

    def test_order_per_ticket_when_one_event_fails(self):
        """A failed event holds back the later events of its ticket only."""
        listener = self._register()
        self.listener.start()
        first = self._call("POST", "/troubleTicket", body=self._resource()).json()
        events = self.outbox.search([("listener_id", "=", listener.id)])
        self.listener.status = 503
        with mute_logger("odoo.addons.complaint_handling.models.complaint_api_event"):
            self._deliver()
        self.assertEqual(events.state, "pending")
        self._call("PATCH", f"/troubleTicket/{first['id']}", body={"severity": "major"})
        self.listener.status = 201
        self._deliver()  # the first event is not due yet: the second waits
        self.assertFalse(self.listener.received)
        self._deliver(minutes=5)
        self.assertEqual(
            [body["eventType"] for body in self.listener.received],
            ["TroubleTicketCreateEvent", "TroubleTicketAttributeValueChangeEvent"],
        )

    def test_query_filters_and_rights(self):
        """A listener gets the event types it asked for, of the tickets its
        owner can read, with its owner's rights to personal data."""
        status_only = self._register(query="eventType=TroubleTicketStatusChangeEvent")
        reader_listener = self._register(user=self.reader)
        ticket_id = self._call("POST", "/troubleTicket", body=self._resource()).json()[
            "id"
        ]
        self.assertFalse(self.outbox.search([("listener_id", "=", status_only.id)]))
        event = self.outbox.search([("listener_id", "=", reader_listener.id)])
        self.assertEqual(event.event_type, "TroubleTicketCreateEvent")
        resource = json.loads(event.payload)["event"]["troubleTicket"]
        self.assertEqual(resource["id"], ticket_id)
        characteristics = self._characteristics(resource)
        self.assertNotIn("13712345678", characteristics["serviceNumber"])
        self.assertIn(MASK_CHAR, characteristics["serviceNumber"])
        self.assertTrue(characteristics["serviceNumber"].endswith("5678"))
        # Confidential: the reader's listener is told nothing more.
        ticket = self.env["helpdesk.ticket"].browse(int(ticket_id))
        ticket.sudo().write({"confidential": True, "confidential_reason": "vip"})
        ticket.sudo().severity = "major"
        self.assertEqual(
            self.outbox.search_count([("listener_id", "=", reader_listener.id)]), 1
        )
        response = self._call("GET", f"/troubleTicket/{ticket_id}", user=self.reader)
        self.assertEqual(response.status_code, 404)
        # Bad registrations change nothing.
        for body in (
            {"callback": "ftp://example.com/x"},
            {"callback": "http://user:pw@example.com/x"},
            {"callback": self.listener.url, "query": "eventType=Nonsense"},
            {"url": self.listener.url},
        ):
            response = self._call("POST", "/hub", body=body)
            self.assertEqual(response.status_code, 400, body)
        self.assertEqual(
            self.env["complaint.api.listener"].search_count(
                [("user_id", "=", self.integration.id)]
            ),
            1,
        )
        # Only its owner removes a listener.
        response = self._call("DELETE", f"/hub/{status_only.id}", user=self.reader)
        self.assertEqual(response.status_code, 404)
        response = self._call("DELETE", f"/hub/{status_only.id}")
        self.assertEqual(response.status_code, 204)
        self.assertFalse(status_only.exists())

    @mute_logger("odoo.addons.complaint_handling.models.complaint_api_event")
    def test_failing_listener_is_suspended_and_resumed(self):
        manager = new_test_user(
            self.env,
            login="tmf_manager",
            groups="complaint_handling.complaint_handling_group_manager",
        )
        listener = self._register()
        self.listener.start()
        self.listener.status = 500
        self._call("POST", "/troubleTicket", body=self._resource())
        minutes = 0
        for _attempt in range(SUSPEND_AFTER):
            self._deliver(minutes=minutes)
            minutes += 300
        self.assertEqual(listener.state, "suspended")
        self.assertEqual(listener.last_error, "HTTP 500")
        activities = listener.activity_ids
        # The owner and the complaint managers, nobody else.
        self.assertLessEqual(self.integration | manager, activities.user_id)
        self.assertEqual(
            activities.user_id - self.integration,
            activities.user_id.filtered(
                lambda u: u.has_group(
                    "complaint_handling.complaint_handling_group_manager"
                )
            ),
        )
        self.assertIn(listener.callback, activities[0].summary)
        # Suspended: nothing is sent any more.
        self.listener.status = 201
        self._deliver(minutes=minutes)
        self.assertFalse(self.listener.received)
        # The manager resumes it from its form: what waited goes out.
        form = Form(listener.with_user(manager))
        self.assertEqual(form.pending_count, 1)
        listener.with_user(manager).action_resume()
        self._deliver(minutes=minutes)
        self.assertEqual(len(self.listener.received), 1)
        self.assertEqual(listener.state, "active")

    def test_fault_closed_is_a_status_change_and_a_resolution(self):
        listener = self._register()
        fault = self._call(
            "POST", "/troubleTicket", body=self._resource(ticketType="fault")
        ).json()
        self.assertEqual(fault["status"], "acknowledged")
        self._call(
            "PATCH", f"/troubleTicket/{fault['id']}", body={"status": "inProgress"}
        )
        response = self._call(
            "PATCH", f"/troubleTicket/{fault['id']}", body={"status": "closed"}
        )
        self.assertEqual(response.json()["status"], "closed")
        # The change of this request ends the history, after the saved ones.
        self.assertEqual(
            [h["status"] for h in response.json()["statusChangeHistory"]],
            ["acknowledged", "inProgress", "closed"],
        )
        events = self.outbox.search([("listener_id", "=", listener.id)])
        self.assertEqual(
            events.mapped("event_type"),
            [
                "TroubleTicketCreateEvent",
                "TroubleTicketStatusChangeEvent",
                "TroubleTicketStatusChangeEvent",
                "TroubleTicketResolvedEvent",
            ],
        )
        resolved = json.loads(events[-1].payload)["event"]["troubleTicket"]
        self.assertEqual(resolved["status"], "closed")
