# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import json

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..tools.tmf621 import BASE_PATHS

V5 = BASE_PATHS[1]
V4 = BASE_PATHS[0]


class TmfCase(HttpCase):
    """Calls to the TMF621 API with API keys, as the carrier's systems do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.email = "complaints@carrier.example.com"
        cls.category = cls.env.ref(
            "complaint_handling.helpdesk_ticket_category_call_quality_dropped"
        )
        cls.integration = new_test_user(
            cls.env,
            login="tmf_integration",
            name="CRM integration",
            # The carrier's intake system sends the personal data it holds.
            groups="helpdesk_mgmt.group_helpdesk_user_own,"
            "complaint_handling.complaint_handling_group_personal_data",
        )
        cls.reader = new_test_user(
            cls.env,
            login="tmf_reader",
            name="BI reader",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        cls.keys = {
            user: cls.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(None, "tests", None)
            for user in (cls.integration, cls.reader)
        }

    def _call(self, method, path, user=None, body=None, raw=None, base=V5):
        headers = {"Authorization": f"Bearer {self.keys[user or self.integration]}"}
        if body is not None:
            raw = json.dumps(body)
        if raw is not None:
            headers["Content-Type"] = "application/json"
        return self.opener.request(
            method,
            f"{self.base_url()}{base}{path}",
            data=raw,
            headers=headers,
            timeout=30,
        )

    def _resource(self, **values):
        resource = {
            "@type": "TroubleTicket",
            "name": "Calls drop every few minutes",
            "description": "Calls drop in the metro since Monday.",
            "ticketType": "complaint",
            "severity": "serious",
            "externalIdentifier": [{"id": "CRM-1001", "owner": "crm"}],
            "relatedParty": [{"role": "customer", "name": "Liu Yang"}],
            "troubleTicketCharacteristic": [
                {"name": "category", "value": self.category.id},
                {"name": "businessLine", "value": "mobile"},
                {"name": "urgency", "value": "urgent"},
                {"name": "serviceNumber", "value": "13712345678"},
                {"name": "contactPhone", "value": "13712345678"},
                {"name": "receivedDate", "value": "2026-01-05T09:30:00Z"},
            ],
        }
        resource.update(values)
        return resource

    def _characteristics(self, resource):
        return {
            item["name"]: item["value"]
            for item in resource["troubleTicketCharacteristic"]
        }


@tagged("post_install", "-at_install")
class TestTmf621Api(TmfCase):
    def test_create_retrieve_and_list(self):
        response = self._call("POST", "/troubleTicket", body=self._resource())
        self.assertEqual(response.status_code, 201, response.text)
        created = response.json()
        ticket = self.env["helpdesk.ticket"].browse(int(created["id"]))
        self.assertEqual(ticket.kind, "complaint")
        self.assertEqual(ticket.complaint_state, "received")
        self.assertEqual(ticket.external_source, "crm")
        self.assertEqual(ticket.external_id, "CRM-1001")
        self.assertEqual(ticket.category_id, self.category)
        self.assertEqual(ticket.severity, "serious")
        self.assertEqual(ticket.urgency, "urgent")
        self.assertEqual(ticket.priority, "2")
        self.assertEqual(ticket.sudo().contact_phone, "+8613712345678")
        self.assertEqual(response.headers["Location"], created["href"])
        self.assertEqual(created["status"], "acknowledged")
        self.assertEqual(created["priority"], "high")
        self.assertEqual(created["ticketType"], "complaint")
        characteristics = self._characteristics(created)
        self.assertEqual(characteristics["complaintNumber"], ticket.number)
        self.assertEqual(characteristics["serviceNumber"], "13712345678")
        self.assertEqual(created["statusChangeHistory"][0]["status"], "acknowledged")
        # Retrieve, on the v4 path too, with a selection of attributes.
        response = self._call("GET", f"/troubleTicket/{ticket.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["name"], "Calls drop every few minutes")
        response = self._call(
            "GET", f"/troubleTicket/{ticket.id}?fields=status,severity", base=V4
        )
        self.assertEqual(
            set(response.json()),
            {"id", "href", "@type", "status", "severity"},
        )
        self.assertIn(V4, response.json()["href"])
        # List with filters, count headers and pages.
        second = self._call(
            "POST",
            "/troubleTicket",
            body=self._resource(
                severity="minor",
                externalIdentifier=[{"id": "CRM-1002", "owner": "crm"}],
            ),
        ).json()
        response = self._call(
            "GET", "/troubleTicket?externalIdentifier.id=CRM-1001,CRM-1002&limit=1"
        )
        self.assertEqual(response.status_code, 206)
        self.assertEqual(response.headers["X-Total-Count"], "2")
        self.assertEqual(response.headers["X-Result-Count"], "1")
        self.assertEqual([r["id"] for r in response.json()], [created["id"]])
        response = self._call(
            "GET",
            "/troubleTicket?externalId=CRM-1001,CRM-1002&offset=1&limit=1",
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual([r["id"] for r in response.json()], [second["id"]])
        response = self._call(
            "GET",
            "/troubleTicket?severity=minor&status=acknowledged&ticketType=complaint"
            "&creationDate.gte=2026-01-05T00:00:00Z&fields=severity",
        )
        self.assertEqual([r["id"] for r in response.json()], [second["id"]])
        response = self._call("GET", "/troubleTicket?status=closed&externalId=CRM-1001")
        self.assertEqual(response.json(), [])

    def test_idempotent_create(self):
        first = self._call("POST", "/troubleTicket", body=self._resource())
        again = self._call("POST", "/troubleTicket", body=self._resource())
        self.assertEqual(first.status_code, 201)
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json()["id"], first.json()["id"])
        self.assertEqual(again.headers["X-Duplicate-Of"], first.json()["id"])
        tickets = self.env["helpdesk.ticket"].search([("external_id", "=", "CRM-1001")])
        self.assertEqual(len(tickets), 1)
        self.assertFalse(tickets.is_repeat)
        self.assertIn("not recorded twice", tickets.message_ids[:1].body.striptags())
        # Another source may use the same identifier.
        other = self._call(
            "POST",
            "/troubleTicket",
            body=self._resource(
                externalIdentifier=[{"id": "CRM-1001", "owner": "oss"}]
            ),
        )
        self.assertEqual(other.status_code, 201)

    def test_patch_notes_attachments_and_status(self):
        ticket_id = self._call("POST", "/troubleTicket", body=self._resource()).json()[
            "id"
        ]
        content = base64.b64encode(b"%PDF-1.4 bill").decode()
        response = self._call(
            "PATCH",
            f"/troubleTicket/{ticket_id}",
            body={
                "note": [{"text": "Customer called again."}],
                "attachment": [{"name": "bill.pdf", "content": content}],
                "status": "inProgress",
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        resource = response.json()
        self.assertEqual(resource["status"], "inProgress")
        self.assertIn(
            "Customer called again.", [note["text"] for note in resource["note"]]
        )
        self.assertEqual(resource["attachment"][0]["name"], "bill.pdf")
        ticket = self.env["helpdesk.ticket"].browse(int(ticket_id))
        self.assertEqual(ticket.complaint_state, "accepted")
        self.assertEqual(
            [h["status"] for h in resource["statusChangeHistory"]],
            ["acknowledged", "inProgress"],
        )

    def test_patch_refuse_needs_reason(self):
        ticket_id = self._call("POST", "/troubleTicket", body=self._resource()).json()[
            "id"
        ]
        ticket = self.env["helpdesk.ticket"].browse(int(ticket_id))
        response = self._call(
            "PATCH", f"/troubleTicket/{ticket_id}", body={"status": "rejected"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("refuseReason", response.json()["message"])
        reason = self.env["complaint.refuse.reason"].search(
            [("reason_type", "=", "outside_scope")], limit=1
        ) or self.env["complaint.refuse.reason"].search([], limit=1)
        response = self._call(
            "PATCH",
            f"/troubleTicket/{ticket_id}",
            body={
                "status": "rejected",
                "statusChangeReason": "Not a telecom service matter.",
                "troubleTicketCharacteristic": [
                    {"name": "refuseReason", "value": str(reason.id)}
                ],
            },
        )
        if reason.reason_type in ("time_barred", "repeated"):
            self.skipTest("no plain refusal reason")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["status"], "rejected")
        self.assertEqual(ticket.complaint_state, "refused")
        self.assertEqual(
            response.json()["statusChangeReason"], "Not a telecom service matter."
        )

    @mute_logger("odoo.http")
    def test_bad_input_changes_nothing(self):
        count = self.env["helpdesk.ticket"].search_count([])
        cases = [
            ("{not json", 400),
            (json.dumps([1, 2]), 400),
            (json.dumps(self._resource(description="")), 400),
            (json.dumps(self._resource(ticketType="outage")), 400),
            (json.dumps(self._resource(severity="huge")), 400),
            (json.dumps(self._resource(status="closed")), 400),
            (json.dumps(self._resource(channel={"name": "Carrier pigeon"})), 400),
            (json.dumps(self._resource(relatedEntity=[{"id": "x"}])), 400),
            (
                json.dumps(
                    self._resource(
                        troubleTicketCharacteristic=[{"name": "colour", "value": 1}]
                    )
                ),
                400,
            ),
            (
                json.dumps(
                    self._resource(
                        troubleTicketCharacteristic=[
                            {"name": "receivedDate", "value": "2099-01-01T00:00:00Z"}
                        ]
                    )
                ),
                400,
            ),
            (
                json.dumps(
                    self._resource(
                        troubleTicketCharacteristic=[
                            {"name": "contactPhone", "value": "12345"}
                        ]
                    )
                ),
                400,
            ),
            (
                json.dumps(
                    self._resource(attachment=[{"name": "a.pdf", "content": "%%%"}])
                ),
                400,
            ),
        ]
        for raw, status in cases:
            with self.subTest(raw=raw[:60]):
                response = self._call("POST", "/troubleTicket", raw=raw)
                self.assertEqual(response.status_code, status, response.text)
                error = response.json()
                self.assertEqual(error["code"], str(status))
                self.assertTrue(error["reason"])
                self.assertTrue(error["message"])
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)
        # A patch refused by the process keeps its notes out too.
        ticket_id = self._call("POST", "/troubleTicket", body=self._resource()).json()[
            "id"
        ]
        ticket = self.env["helpdesk.ticket"].browse(int(ticket_id))
        messages = len(ticket.message_ids)
        response = self._call(
            "PATCH",
            f"/troubleTicket/{ticket_id}",
            body={"note": [{"text": "Closing now."}], "status": "closed"},
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "409")
        ticket.invalidate_recordset()
        self.assertEqual(len(ticket.message_ids), messages)
        self.assertEqual(ticket.complaint_state, "received")
        for body in ({"name": "Renamed"}, {"status": "sleeping"}):
            response = self._call("PATCH", f"/troubleTicket/{ticket_id}", body=body)
            self.assertEqual(response.status_code, 400, response.text)
        for query in (
            "limit=-1",
            "offset=x",
            "colour=red",
            "creationDate.gt=yesterday",
        ):
            response = self._call("GET", f"/troubleTicket?{query}")
            self.assertEqual(response.status_code, 400, query)

    def test_errors_in_the_user_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.integration.lang = "zh_CN"
        response = self._call(
            "POST", "/troubleTicket", body=self._resource(description="")
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["message"], "description（描述）为必填项。")

    def test_not_found_and_not_authenticated(self):
        for path in ("/troubleTicket/999999999", "/troubleTicket/abc"):
            response = self._call("GET", path)
            self.assertEqual(response.status_code, 404)
            self.assertEqual(response.json()["code"], "404")
        response = self.opener.get(
            f"{self.base_url()}{V5}/troubleTicket",
            headers={"Authorization": "Bearer wrong"},
        )
        self.assertEqual(response.status_code, 401)

    def test_openapi_document(self):
        response = self.opener.get(f"{self.base_url()}{V5}/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertTrue(document["openapi"].startswith("3."))


@tagged("post_install", "-at_install")
class TestTmf621Queries(TmfCase):
    def _queries(self, tickets):
        tickets = tickets.with_user(self.integration)
        tickets.invalidate_model()
        before = self.env.cr.sql_log_count
        tickets._tmf_resources("/tt")
        return self.env.cr.sql_log_count - before

    def test_resources_cost_the_same_for_any_number_of_tickets(self):
        """The list renders a page in a fixed number of queries (no query per
        ticket), notes, attachments and history included."""
        ids = []
        for number in range(12):
            resource = self._resource(
                externalIdentifier=[{"id": f"Q-{number}", "owner": "crm"}],
                note=[{"text": f"Note {number}"}],
                # Fault reports follow the plain helpdesk stages.
                ticketType="fault" if number % 2 else "complaint",
            )
            ids.append(
                int(self._call("POST", "/troubleTicket", body=resource).json()["id"])
            )
        tickets = self.env["helpdesk.ticket"].browse(ids)
        tickets.filtered(lambda t: t.kind == "complaint")[:3].with_user(
            self.integration
        ).action_complaint_accept()
        self.env.flush_all()
        self._queries(tickets)  # caches of rules and fields filled
        self.assertEqual(self._queries(tickets[:3]), self._queries(tickets))
