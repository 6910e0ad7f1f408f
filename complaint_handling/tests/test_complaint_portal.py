# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ComplaintPartnerCommon


@tagged("post_install", "-at_install")
class TestComplaintPortal(HttpCase, ComplaintPartnerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._handed_complaint()
        cls.theirs = cls._create_complaint(
            partner_id=cls.other_customer.partner_id.id, name="Other complaint"
        )
        cls.theirs.with_user(cls.handler).action_complaint_accept()
        cls.theirs.env["complaint.transfer"].with_user(cls.handler)._hand_off(
            cls.theirs, cls.other_agreement
        )
        cls.theirs.with_user(cls.other_agent).transfer_id.action_acknowledge()
        cls.not_handed = cls._create_complaint(
            partner_id=cls.other_customer.partner_id.id, name="Kept in-house"
        )
        cls.mine.with_user(cls.handler).message_post(
            body="INTERNAL-NOTE-SECRET", subtype_xmlid="mail.mt_note"
        )
        cls.evidence_log = cls.mine.with_user(cls.agent).transfer_id.action_add_log(
            {"log_type": "evidence", "description": "Bill copy"},
            [("bill.pdf", b"%PDF-1.4 MINE-EVIDENCE")],
        )
        cls.evidence = cls.evidence_log.attachment_ids
        cls.internal_file = cls.env["ir.attachment"].create(
            {
                "name": "internal.txt",
                "raw": b"INTERNAL-FILE",
                "res_model": "helpdesk.ticket",
                "res_id": cls.mine.id,
            }
        )

    def _post(self, url, data=None, files=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _state(self, ticket):
        ticket.invalidate_recordset()
        return (
            ticket.stage_id,
            ticket.transfer_state,
            ticket.partner_agent_id,
            len(ticket.handling_log_ids),
            len(ticket.callback_ids),
            ticket.solution_measures,
        )

    # helpdesk_mgmt's /ticket/close -------------------------------------

    def test_ticket_close_route(self):
        stage = self.env["helpdesk.ticket.stage"].search(
            [("close_from_portal", "=", True), ("complaint_step", "=", False)], limit=1
        ) or self.env["helpdesk.ticket.stage"].create(
            {"name": "Solved", "closed": True, "close_from_portal": True}
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Plain question",
                "description": "<p>How?</p>",
                "partner_id": self.portal_customer.partner_id.id,
            }
        )
        before = ticket.stage_id
        data = {"ticket_id": ticket.id, "stage_id": stage.id}
        self.authenticate("cp_customer_other", "cp_customer_other")
        # The former GET route: gone.
        response = self.url_open(
            f"/ticket/close?ticket_id={ticket.id}&stage_id={stage.id}",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 405)
        with mute_logger("odoo.http"):
            response = self.url_open("/ticket/close", data=data, allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        # Someone who cannot see the ticket: refused.
        response = self._post("/ticket/close", data)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(ticket.stage_id, before)
        # Its customer: closed.
        self.authenticate("cp_customer", "cp_customer")
        response = self._post("/ticket/close", data)
        self.assertEqual(response.status_code, 302)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.stage_id, stage)
        # A complaint is never closed from the portal.
        before = self.mine.stage_id
        response = self._post(
            "/ticket/close", {"ticket_id": self.mine.id, "stage_id": stage.id}
        )
        self.assertEqual(response.status_code, 302)
        self.mine.invalidate_recordset()
        self.assertEqual(self.mine.stage_id, before)

    # Pages ---------------------------------------------------------------

    def test_pages_by_role(self):
        self.authenticate("cp_agent", "cp_agent")
        page = self.url_open("/my/complaints?filterby=all").text
        self.assertIn(self.mine.number, page)
        self.assertNotIn(self.theirs.number, page)
        self.assertNotIn(self.not_handed.number, page)
        response = self.url_open(f"/my/complaints/{self.mine.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("110***********002X", response.text)
        self.assertNotIn("11010519491231002X", response.text)
        self.assertIn("19999990001", response.text)
        self.assertIn("bill.pdf", response.text)
        self.assertNotIn("INTERNAL-NOTE-SECRET", response.text)
        self.assertNotIn("internal.txt", response.text)
        for other in (self.theirs, self.not_handed):
            self.assertEqual(
                self.url_open(f"/my/complaints/{other.id}").status_code, 404
            )
        # helpdesk_mgmt's ticket page leads to the complaint page.
        response = self.url_open(f"/my/ticket/{self.mine.id}", allow_redirects=False)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/complaints/{self.mine.id}")
        )
        response = self.url_open(f"/my/ticket/{self.theirs.id}", allow_redirects=False)
        self.assertTrue(response.headers["Location"].endswith("/my"))
        # The customer: their complaint, without the agents' handling record.
        self.authenticate("cp_customer", "cp_customer")
        response = self.url_open(f"/my/complaints/{self.mine.id}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("bill.pdf", response.text)
        self.assertNotIn("Bill copy", response.text)
        self.assertNotIn("INTERNAL-NOTE-SECRET", response.text)
        self.assertEqual(
            self.url_open(f"/my/complaints/{self.theirs.id}").status_code, 404
        )
        self.authenticate("cp_other_agent", "cp_other_agent")
        self.assertEqual(
            self.url_open(f"/my/complaints/{self.mine.id}").status_code, 404
        )
        self.assertNotIn(
            self.mine.number, self.url_open("/my/complaints?filterby=all").text
        )

    def test_downloads(self):
        url = f"/my/complaints/{self.mine.id}/file/{self.evidence.id}"
        self.authenticate("cp_agent", "cp_agent")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 MINE-EVIDENCE")
        internal = f"/my/complaints/{self.mine.id}/file/{self.internal_file.id}"
        self.assertEqual(self.url_open(internal).status_code, 404)
        # The attachment's own URL needs an internal user or its token.
        self.assertNotEqual(
            self.url_open(f"/web/content/{self.internal_file.id}").content,
            b"INTERNAL-FILE",
        )
        for login in ("cp_other_agent", "cp_customer", "cp_customer_other"):
            self.authenticate(login, login)
            self.assertEqual(self.url_open(url).status_code, 404, login)
            # Their own complaint id with a foreign file id: refused too.
            own = self.theirs if login != "cp_customer" else self.mine
            response = self.url_open(f"/my/complaints/{own.id}/file/{self.evidence.id}")
            self.assertEqual(response.status_code, 404, login)

    def test_messages(self):
        self.mine.with_user(self.handler).message_post(
            body="PUBLIC-REPLY", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        params = {"thread_model": "helpdesk.ticket", "thread_id": self.mine.id}
        self.authenticate("cp_customer", "cp_customer")
        result = self.make_jsonrpc_request("/mail/chatter_fetch", params)
        self.assertIn("PUBLIC-REPLY", str(result))
        self.assertNotIn("INTERNAL-NOTE-SECRET", str(result))
        for login in ("cp_other_agent", "cp_customer_other"):
            self.authenticate(login, login)
            with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
                self.make_jsonrpc_request(
                    "/mail/message/post",
                    {
                        "thread_model": "helpdesk.ticket",
                        "thread_id": self.mine.id,
                        "post_data": {"body": "FORGED", "message_type": "comment"},
                    },
                )
            result = self.make_jsonrpc_request("/mail/chatter_fetch", params)
            self.assertFalse(result["messages"], login)
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", "helpdesk.ticket"), ("body", "ilike", "FORGED")]
            )
        )

    def test_chatter_uploads_follow_the_portal_file_limits(self):
        """mail's upload route (the portal chatter's paperclip) creates files
        as superuser for the user: the company's portal limits apply there
        too, on the complaint and on a pending message posted afterwards."""

        def files(name):
            return self.env["ir.attachment"].search_count(
                [("name", "=", name), ("res_id", "in", [0, self.mine.id])]
            )

        self.authenticate("cp_customer", "cp_customer")
        with mute_logger("odoo.http"):
            response = self._post(
                "/mail/attachment/upload",
                {"thread_model": "helpdesk.ticket", "thread_id": self.mine.id},
                files={"ufile": ("tool.exe", b"MZ binary", "application/x-dosexec")},
            )
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(files("tool.exe"), 0)
        response = self._post(
            "/mail/attachment/upload",
            {"thread_model": "helpdesk.ticket", "thread_id": self.mine.id},
            files={"ufile": ("photo.jpg", b"JPEG data", "image/jpeg")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(files("photo.jpg"), 1)
        # A pending file moved onto the complaint when the message is posted.
        customer = self.portal_customer
        pending = (
            self.env["ir.attachment"]
            .with_user(customer)
            .sudo()
            .create(
                {
                    "name": "big.pdf",
                    "raw": b"x" * 2048,
                    "res_id": 0,
                    "res_model": "mail.compose.message",
                }
            )
        )
        self.mine.company_id.complaint_portal_max_file_mb = 0
        with self.assertRaisesRegex(UserError, "larger than"):
            pending.with_user(customer).sudo().write(
                {"res_model": "helpdesk.ticket", "res_id": self.mine.id}
            )
        # Internal users are not bound by the portal's limits.
        self.env["ir.attachment"].with_user(self.handler).create(
            {
                "name": "trace.pcap",
                "raw": b"x",
                "res_model": "helpdesk.ticket",
                "res_id": self.mine.id,
            }
        )

    def test_thread_data_route_gives_no_internal_parts(self):
        """mail's /mail/thread/data, as the customer and with the complaint's
        token (anonymous): no activities, followers, suggested recipients or
        internal files."""
        self.mine.activity_schedule(
            act_type_xmlid="mail.mail_activity_data_todo",
            summary="ACTIVITY-SECRET",
            user_id=self.handler.id,
        )
        self.mine.message_subscribe(partner_ids=self.handler.partner_id.ids)
        # A photo the customer put on the complaint: his to see.
        self.env["ir.attachment"].with_user(self.portal_customer).sudo().create(
            {
                "name": "my-photo.jpg",
                "raw": b"JPEG",
                "res_model": "helpdesk.ticket",
                "res_id": self.mine.id,
            }
        )
        token = self.mine.sudo()._portal_ensure_token()
        params = {
            "thread_model": "helpdesk.ticket",
            "thread_id": self.mine.id,
            "request_list": [
                "activities",
                "attachments",
                "followers",
                "suggestedRecipients",
                "scheduledMessages",
            ],
        }
        for login in ("cp_customer", None):
            with self.subTest(login=login):
                self.authenticate(login, login)
                extra = {} if login else {"token": token}
                result = str(
                    self.make_jsonrpc_request("/mail/thread/data", params | extra)
                )
                for secret in (
                    "ACTIVITY-SECRET",
                    "internal.txt",
                    self.handler.partner_id.name,
                    self.handler.partner_id.email or "@",
                ):
                    self.assertNotIn(secret, result)
                # The customer's own file is listed.
                self.assertIn("my-photo.jpg", result)

    def test_internal_messages_not_readable_by_id(self):
        """Internal notes and the process trail of a complaint, read by id by
        the customer or the agent whose complaint it is: refused."""
        internal = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", self.mine.id),
                "|",
                ("is_internal", "=", True),
                ("subtype_id.internal", "=", True),
            ]
        )
        # Mail refuses internal *comments* to portal users by itself; the
        # trail is made of notifications, one read at a time here.
        trail = internal.filtered(lambda m: m.message_type == "notification")
        self.assertTrue(trail)
        for user in (self.portal_customer, self.agent):
            with self.subTest(user=user.login):
                Message = self.env["mail.message"].with_user(user)
                # (What the user's own actions logged stays his to read.)
                for message in trail.filtered(
                    lambda m, u=user: m.author_id != u.partner_id
                ):
                    with self.assertRaises(AccessError):
                        Message.browse(message.id).read(["body"])
                self.assertFalse(Message.search([("id", "in", internal.ids)]))
        # A public message stays readable by the customer.
        public = self.mine.with_user(self.handler).message_post(
            body="PUBLIC-REPLY", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertTrue(public.with_user(self.portal_customer).read(["body"]))

    def test_portal_users_mint_no_tokens(self):
        """A portal user who could obtain the complaint's token could hand its
        access to anyone: the token is neither readable nor mintable."""
        self.mine.sudo().access_token = False
        for user in (self.portal_customer, self.agent):
            with self.subTest(user=user.login):
                as_user = self.mine.with_user(user)
                with self.assertRaises(AccessError):
                    as_user.read(["access_token"])
                with self.assertRaises(AccessError):
                    as_user.get_portal_url()
        self.assertFalse(self.mine.sudo().access_token)
        # Nor a token of a file of the complaint.
        with self.assertRaises(AccessError):
            self.internal_file.with_user(self.portal_customer).generate_access_token()

    def test_chatter_message_file_count_is_limited(self):
        """The count limit holds on the chatter too: a message's files are
        moved onto the complaint together."""
        self.mine.company_id.complaint_portal_max_files = 2
        customer = self.portal_customer
        pending = self.env["ir.attachment"]
        for i in range(3):
            pending |= (
                self.env["ir.attachment"]
                .with_user(customer)
                .sudo()
                .create(
                    {
                        "name": f"photo{i}.jpg",
                        "raw": b"JPEG",
                        "res_id": 0,
                        "res_model": "mail.compose.message",
                    }
                )
            )
        with self.assertRaises(UserError) as caught:
            pending.with_user(customer).sudo().write(
                {"res_model": "helpdesk.ticket", "res_id": self.mine.id}
            )
        self.assertIn("at most 2 files", str(caught.exception))
        pending[:2].with_user(customer).sudo().write(
            {"res_model": "helpdesk.ticket", "res_id": self.mine.id}
        )

    def test_forged_tokens(self):
        """Access tokens that are not the complaint's open nothing."""
        self.mine.sudo()._portal_ensure_token()
        for login in ("cp_other_agent", "cp_customer_other"):
            self.authenticate(login, login)
            for token in ("forged", self.theirs.sudo()._portal_ensure_token()):
                response = self.url_open(
                    f"/my/ticket/{self.mine.id}?access_token={token}",
                    allow_redirects=False,
                )
                self.assertTrue(response.headers["Location"].endswith("/my"))
                with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
                    self.make_jsonrpc_request(
                        "/mail/chatter_fetch",
                        {
                            "thread_model": "helpdesk.ticket",
                            "thread_id": self.mine.id,
                            "token": token,
                        },
                    )
                response = self.url_open(
                    f"/my/complaints/{self.mine.id}?access_token={token}"
                )
                self.assertEqual(response.status_code, 404)

    def test_actions_refused_to_others(self):
        attempts = [
            ("cp_other_agent", self.mine, "acknowledge", {}),
            ("cp_other_agent", self.mine, "take", {}),
            ("cp_other_agent", self.mine, "return", {"reason": "other", "note": "x"}),
            (
                "cp_other_agent",
                self.mine,
                "log",
                {"log_type": "note", "description": "x"},
            ),
            ("cp_other_agent", self.mine, "solution", {"measures": "x"}),
            (
                "cp_other_agent",
                self.mine,
                "callback",
                {"reached": "1", "satisfaction": "5"},
            ),
            ("cp_other_agent", self.mine, "assign", {"agent_id": self.other_agent.id}),
            ("cp_agent", self.theirs, "log", {"log_type": "note", "description": "x"}),
            ("cp_agent", self.not_handed, "acknowledge", {}),
            ("cp_customer_other", self.mine, "rate", {"satisfaction": "1"}),
            ("cp_customer_other", self.mine, "confirm", {}),
            ("cp_customer", self.theirs, "rate", {"satisfaction": "1"}),
            # A customer cannot use the agents' actions on their own complaint.
            ("cp_customer", self.mine, "log", {"log_type": "note", "description": "x"}),
            ("cp_customer", self.mine, "return", {"reason": "other", "note": "x"}),
            # Agents cannot rate in the customer's name.
            ("cp_agent", self.mine, "rate", {"satisfaction": "5"}),
        ]
        attachments = self.env["ir.attachment"].search_count([])
        for login, ticket, action, data in attempts:
            self.authenticate(login, login)
            before = self._state(ticket)
            files = {"attachments": ("x.pdf", b"%PDF x", "application/pdf")}
            response = self._post(
                f"/my/complaints/{ticket.id}/{action}",
                data,
                files=files if action == "log" else None,
            )
            self.assertEqual(response.status_code, 404, (login, action))
            self.assertEqual(self._state(ticket), before, (login, action))
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)
        # Without the CSRF token, nothing happens either.
        self.authenticate("cp_agent", "cp_agent")
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/my/complaints/{self.mine.id}/take",
                data={"x": "1"},
                allow_redirects=False,
            )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.mine.partner_agent_id)

    def test_agent_flow_over_http(self):
        self.authenticate("cp_agent", "cp_agent")
        base = f"/my/complaints/{self.mine.id}"
        self.assertEqual(self._post(f"{base}/take").status_code, 303)
        response = self._post(
            f"{base}/log",
            {
                "log_type": "contact",
                "contact_result": "reached",
                "description": "Called",
            },
            files={"attachments": ("call.mp3", b"ID3 audio", "audio/mpeg")},
        )
        self.assertEqual(response.status_code, 303)
        log = self.mine.handling_log_ids.filtered(
            lambda log: log.description == "Called"
        )
        self.assertEqual(log.attachment_ids.name, "call.mp3")
        # Refused input: the reason on the page, what was typed kept.
        response = self._post(
            f"{base}/log",
            {"log_type": "note", "description": "Script"},
            files={"attachments": ("run.exe", b"MZ", "application/octet-stream")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_complaint_refused", response.text)
        self.assertIn("not accepted", response.text)
        self.assertIn("Script", response.text)
        self._post(f"{base}/solution", {"measures": "Refund the duplicated fee"})
        self._post(f"{base}/confirm")
        response = self._post(f"{base}/feedback", {"basis": "Tariff rules"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Tariff rules", response.text)
        self._post(f"{base}/feedback", {"channel": "phone", "conclusion": "Refunded"})
        self.mine.invalidate_recordset()
        self.assertEqual(self.mine.complaint_state, "result_reported")
        self._post(
            f"{base}/callback",
            {"reached": "1", "satisfaction": "5", "problem_solved": "1"},
        )
        self.mine.invalidate_recordset()
        self.assertEqual(self.mine.complaint_state, "callback_done")
        self.assertEqual(self.mine.callback_ids.user_id, self.agent)

    def test_access_ends_with_take_back(self):
        self.mine.with_user(self.handler)._complaint_take_back(note="In-house")
        self.authenticate("cp_agent", "cp_agent")
        base = f"/my/complaints/{self.mine.id}"
        # The agent who had it is told why it is gone, and nothing more.
        response = self.url_open(base, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/complaints?gone={self.mine.id}")
        )
        page = self.url_open(base).text
        self.assertIn(
            f"Complaint {self.mine.number} is no longer handed to your "
            "organisation (Taken back).",
            page,
        )
        self.assertEqual(
            self.url_open(f"{base}/file/{self.evidence.id}").status_code, 404
        )
        response = self._post(f"{base}/take")
        self.assertEqual(response.status_code, 303)
        self.assertIn("unsaved=1", response.headers["Location"])
        self.assertFalse(self.mine.partner_agent_id)
        # An agent of an organisation that never had it: a plain 404.
        self.authenticate("cp_other_agent", "cp_other_agent")
        self.assertEqual(self.url_open(base).status_code, 404)
        page = self.url_open(f"/my/complaints?gone={self.mine.id}").text
        self.assertNotIn(self.mine.number, page)

    # Customer form -------------------------------------------------------

    def _form(self, **values):
        data = {
            "category_id": str(self.category_signal.id),
            "business_line": "mobile",
            "name": "No signal at home",
            "description": "Since Monday there is no signal in my flat.",
            "contact_phone": "13800138000",
            "service_number": "13800138000",
        }
        data.update(values)
        return data

    def test_customer_submits(self):
        self.authenticate("cp_customer", "cp_customer")
        self.assertEqual(self.url_open("/my/complaints/new").status_code, 200)
        response = self._post(
            "/my/complaints/new",
            self._form(description="short", contact_phone="12345", name="Kept title"),
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("at least 10 characters", response.text)
        self.assertIn("a landline with its area code", response.text)
        self.assertIn("Kept title", response.text)
        response = self._post(
            "/my/complaints/new",
            self._form(),
            files={"attachments": ("evil.html", b"<script>", "text/html")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("not accepted", response.text)
        self.env.company.complaint_portal_max_file_mb = 1
        response = self._post(
            "/my/complaints/new",
            self._form(),
            files={
                "attachments": ("big.pdf", b"0" * (1024 * 1024 + 1), "application/pdf")
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("larger than 1 MB", response.text)
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "=", "No signal at home")])
        )
        response = self._post(
            "/my/complaints/new",
            self._form(),
            files={"attachments": ("photo.png", b"\x89PNG data", "image/png")},
        )
        self.assertEqual(response.status_code, 303)
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "No signal at home")]
        )
        self.assertEqual(ticket.kind, "complaint")
        self.assertEqual(ticket.complaint_state, "received")
        self.assertEqual(ticket.partner_id, self.portal_customer.partner_id)
        self.assertEqual(ticket.contact_phone, "+8613800138000")
        self.assertEqual(ticket.attachment_ids.name, "photo.png")
        self.assertIn(self.portal_customer.partner_id, ticket.message_partner_ids)
        self.assertEqual(ticket.access_url, f"/my/complaints/{ticket.id}")
        self.assertIn(f"/my/complaints/{ticket.id}", response.headers["Location"])
        page = self.url_open(f"/my/complaints/{ticket.id}").text
        self.assertIn("photo.png", page)
        self.assertIn("No signal at home", page)
        # The other customer neither sees it nor its file.
        self.authenticate("cp_customer_other", "cp_customer_other")
        self.assertEqual(self.url_open(f"/my/complaints/{ticket.id}").status_code, 404)
        file_url = f"/my/complaints/{ticket.id}/file/{ticket.attachment_ids.id}"
        self.assertEqual(self.url_open(file_url).status_code, 404)

    def test_submission_flood(self):
        self.env.company.complaint_portal_max_per_hour = 2
        self.authenticate("cp_customer", "cp_customer")
        for i in range(2):
            response = self._post("/my/complaints/new", self._form(name=f"Flood {i}"))
            self.assertEqual(response.status_code, 303)
        response = self._post("/my/complaints/new", self._form(name="Flood 3"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("many complaints in the last hour", response.text)
        # The same address, another user: refused as well.
        self.authenticate("cp_customer_other", "cp_customer_other")
        response = self._post("/my/complaints/new", self._form(name="Flood 4"))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            self.env["helpdesk.ticket"].search_count([("name", "like", "Flood")]), 2
        )

    def test_customer_rates_over_http(self):
        self._drive_to(self.mine, "result_reported")
        self.authenticate("cp_customer", "cp_customer")
        base = f"/my/complaints/{self.mine.id}"
        response = self._post(f"{base}/rate", {"comment": "No choice"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_complaint_refused", response.text)
        self.assertIn("No choice", response.text)
        response = self._post(
            f"{base}/rate",
            {"satisfaction": "5", "problem_solved": "1", "comment": "Good"},
        )
        self.assertEqual(response.status_code, 303)
        self.mine.invalidate_recordset()
        self.assertEqual(self.mine.complaint_state, "callback_done")
        self.assertEqual(self.mine.satisfaction, "5")

    # Speed ---------------------------------------------------------------

    def _page_queries(self, url):
        self.url_open(url)  # warm the caches
        count0 = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - count0

    def test_agent_pages_queries_do_not_grow(self):
        self.authenticate("cp_agent", "cp_agent")
        page = f"/my/complaints/{self.mine.id}"
        before = (
            self._page_queries("/my/complaints?filterby=all"),
            self._page_queries(page),
        )
        for _i in range(12):
            self._handed_complaint()
        after = (
            self._page_queries("/my/complaints?filterby=all"),
            self._page_queries(page),
        )
        self.assertEqual(after, before)
        # The list shows a page of complaints with a constant number of queries.
        with self.assertQueryCount(before[0]):
            self.url_open("/my/complaints?filterby=all")

    def test_script_in_free_text_is_escaped(self):
        self.authenticate("cp_customer", "cp_customer")
        script = "<script>alert('x')</script>"
        response = self._post(
            "/my/complaints/new",
            self._form(
                name=f"Bad {script}",
                description=f"My bill {script} is wrong, please check it.",
                customer_demand=f"Refund {script}",
            ),
        )
        self.assertEqual(response.status_code, 303)
        ticket = self.env["helpdesk.ticket"].search([("name", "like", "Bad <script>")])
        self.assertEqual(ticket.customer_demand, f"Refund {script}")
        page = self.url_open(f"/my/complaints/{ticket.id}").text
        self.assertNotIn(script, page)
        self.assertIn("&lt;script&gt;", page)
        # The agent's log, shown in the carrier's chatter, is escaped too.
        self.authenticate("cp_agent", "cp_agent")
        self._post(
            f"/my/complaints/{self.mine.id}/log",
            {"log_type": "note", "description": f"Note {script}"},
        )
        body = self.mine.message_ids[:1].body
        self.assertNotIn(script, body)
        self.assertIn("&lt;script&gt;", body)

    def test_agent_who_loses_the_acknowledge_race_sees_why(self):
        race = self._handed_complaint(acknowledged=False, name="Raced complaint")
        # The colleague's click arrives first.
        race.with_user(self.agent2).transfer_id.action_acknowledge()
        self.authenticate("cp_agent", "cp_agent")
        response = self._post(f"/my/complaints/{race.id}/acknowledge")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_complaint_refused", response.text)
        self.assertIn(
            f"Complaint {race.number} was already acknowledged by Sun Li.",
            response.text,
        )
        self.assertEqual(race.transfer_id.acknowledged_by_id, self.agent2)

    def test_portal_users_reach_the_complaint_form_not_helpdesk_s(self):
        self.authenticate("cp_customer", "cp_customer")
        response = self.url_open("/new/ticket", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my/complaints/new"))
        # helpdesk_mgmt's own submit route (its tests post to it) makes a
        # consultation, not a complaint that skipped the complaint form.
        self._post(
            "/submitted/ticket",
            {
                "subject": "Bypass",
                "description": "x",
                "category": self.category_billing.id,
            },
        )
        bypass = self.env["helpdesk.ticket"].search([("name", "=", "Bypass")])
        self.assertEqual(bypass.kind, "consultation")
        self.authenticate("cp_agent", "cp_agent")
        response = self.url_open("/new/ticket", allow_redirects=False)
        self.assertTrue(response.headers["Location"].endswith("/my/complaints"))

    def test_helpdesk_submit_route_needs_a_protected_post(self):
        """helpdesk_mgmt's submit route: no ticket from a GET (a link) or
        without the CSRF token, none from a partner agent."""
        Ticket = self.env["helpdesk.ticket"]
        data = {"subject": "Forged", "description": "x", "category": ""}
        self.authenticate("cp_customer", "cp_customer")
        response = self.url_open(
            "/submitted/ticket?subject=Forged&description=x", allow_redirects=False
        )
        self.assertEqual(response.status_code, 405)
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/submitted/ticket", data=data, allow_redirects=False
            )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Ticket.search([("name", "=", "Forged")]))
        self.authenticate("cp_agent", "cp_agent")
        response = self._post("/submitted/ticket", data)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Ticket.search([("name", "=", "Forged")]))

    def test_internal_note_files_stay_internal(self):
        """A consultation's page shows the customer the files of the
        messages he can read, never those of internal notes."""
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Which plan suits me?",
                "description": "<p>Question</p>",
                "partner_id": self.portal_customer.partner_id.id,
            }
        )
        Attachment = self.env["ir.attachment"]

        def post(name, **kw):
            attachment = Attachment.create(
                {
                    "name": name,
                    "raw": b"x",
                    "res_model": ticket._name,
                    "res_id": ticket.id,
                }
            )
            ticket.message_post(body=name, attachment_ids=attachment.ids, **kw)

        post("internal-audit.pdf", subtype_xmlid="mail.mt_note")
        post(
            "plan-brochure.pdf", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        Attachment.create(
            {
                "name": "staff-only.xlsx",
                "raw": b"x",
                "res_model": ticket._name,
                "res_id": ticket.id,
            }
        )
        self.authenticate("cp_customer", "cp_customer")
        page = self.url_open(f"/my/ticket/{ticket.id}").text
        self.assertIn("plan-brochure.pdf", page)
        self.assertNotIn("internal-audit.pdf", page)
        self.assertNotIn("staff-only.xlsx", page)

    def test_tickets_tile_lists_no_complaint_and_agents_have_none(self):
        consultation = self.env["helpdesk.ticket"].create(
            {
                "name": "Which plan suits me?",
                "description": "<p>Question</p>",
                "partner_id": self.portal_customer.partner_id.id,
            }
        )
        self.assertEqual(consultation.kind, "consultation")
        self.authenticate("cp_customer", "cp_customer")
        page = self.url_open("/my/tickets").text
        self.assertIn(consultation.number, page)
        self.assertNotIn(self.mine.number, page)
        home = self.url_open("/my").text
        self.assertIn("Submit a complaint", home)
        self.authenticate("cp_agent", "cp_agent")
        home = self.url_open("/my").text
        self.assertIn("Complaints handed to your organisation", home)
        self.assertNotIn("/my/tickets", home)
        self.assertNotIn("Submit a complaint", home)

    def test_customer_reads_the_status_in_plain_words(self):
        self.authenticate("cp_customer", "cp_customer")
        self._drive_to(self.mine.with_user(self.handler).sudo(), "result_reported")
        page = self.url_open(f"/my/complaints/{self.mine.id}").text
        self.assertIn("Reply sent: we will call you back", page)
        self.authenticate("cp_agent", "cp_agent")
        page = self.url_open(f"/my/complaints/{self.mine.id}").text
        self.assertNotIn("Reply sent: we will call you back", page)
        self.assertIn(self.mine.stage_id.name, page)

    def test_helpdesk_portal_labels_in_chinese(self):
        """helpdesk_mgmt ships no Chinese for its portal list: ours serves."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.portal_customer.lang = "zh_CN"
        self.authenticate("cp_customer", "cp_customer")
        page = self.url_open("/my/tickets").text
        self.assertIn("搜索标题", page)
        self.assertNotIn("Search in Title", page)
