# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo import http
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger

from .test_complaint_fee_statement import ComplaintFeeStatementCommon

# What the tours (static/tests/tours/complaint_fee_statement_tours.js) type.
TOUR_REASON = "Tour: our call system shows an answer rate of 91 %"
TOUR_ANSWER = "Tour: the rate comes from the file your system sent"


@tagged("post_install", "-at_install")
class TestComplaintFeeStatementPortal(HttpCase, ComplaintFeeStatementCommon):
    """A partner organisation's fee statements over HTTP: its supervisor
    agents read them, acknowledge or dispute them with a reason; nobody
    reaches another organisation's statement, nor a draft."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-11-03 02:00:00"):
            cls._import("2026-10", answer_rate=85.0, handling_time=50.0)
            statements = cls._generate(
                "2026-10-01", cls.agreement | cls.other_agreement
            )
            cls.statement = statements.filtered(lambda s: s.partner_org_id == cls.org)
            cls.other_statement = statements - cls.statement
            statements.with_user(cls.supervisor).action_send()
            cls.draft = cls._generate("2026-09-01")

    def _post(self, url, data=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        response = self.url_open(url, data=data, allow_redirects=False)
        # The request wrote through its own environment.
        self.env.invalidate_all()
        return response

    @staticmethod
    def _url(statement, action=None):
        url = f"/my/fee-statements/{statement.id}"
        return f"{url}/{action}" if action else url

    def _assert_redirected(self, response, statement, action):
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.assertTrue(
            response.headers["Location"].endswith(
                f"{self._url(statement)}?done={action}"
            ),
            response.headers["Location"],
        )

    # Pages ---------------------------------------------------------------

    def test_list_shows_the_organisations_sent_statements(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        self.assertIn('href="/my/fee-statements"', self.url_open("/my").text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["fee_statement_count"]}
        )
        self.assertEqual(counters["fee_statement_count"], 1)
        page = self.url_open("/my/fee-statements")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'href="{self._url(self.statement)}"', page.text)
        self.assertNotIn(f'href="{self._url(self.draft)}"', page.text)
        self.assertNotIn(f'href="{self._url(self.other_statement)}"', page.text)
        to_answer = self.url_open("/my/fee-statements?filterby=to_answer").text
        self.assertEqual(to_answer.count("o_complaint_fee_statement_link"), 1)
        confirmed = self.url_open("/my/fee-statements?filterby=confirmed").text
        self.assertNotIn("o_complaint_fee_statement_link", confirmed)
        # A draft is not the organisation's to see yet.
        self.assertEqual(self.url_open(self._url(self.draft)).status_code, 404)

    def test_others_get_nothing(self):
        # Plain agents, customers, the carrier's handlers: no card, no page.
        for login in ("cp_agent", "cp_customer", "cp_handler"):
            self.authenticate(login, login)
            self.assertNotIn('href="/my/fee-statements"', self.url_open("/my").text)
            counters = self.make_jsonrpc_request(
                "/my/counters", {"counters": ["fee_statement_count"]}
            )
            self.assertEqual(counters["fee_statement_count"], 0, login)
            self.assertEqual(self.url_open("/my/fee-statements").status_code, 404)
            self.assertEqual(
                self.url_open(self._url(self.statement)).status_code, 404, login
            )
            response = self._post(self._url(self.statement, "acknowledge"))
            self.assertEqual(response.status_code, 404, login)
        # The other organisation's supervisor agent.
        self.authenticate("cp_other_sup", "cp_other_sup")
        self.assertEqual(self.url_open(self._url(self.statement)).status_code, 404)
        self.assertEqual(
            self.url_open(self._url(self.statement, "pdf")).status_code, 404
        )
        for action in ("acknowledge", "dispute"):
            response = self._post(
                self._url(self.statement, action), {"reason": "Not ours"}
            )
            self.assertEqual(response.status_code, 404, action)
        self.assertEqual(self.statement.state, "sent")
        self.assertIn(
            f'href="{self._url(self.other_statement)}"',
            self.url_open("/my/fee-statements").text,
        )

    @mute_logger("odoo.http")
    def test_actions_need_the_csrf_token(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        response = self.url_open(
            self._url(self.statement, "dispute"),
            data={"reason": "No token"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.statement.state, "sent")

    # The flow ------------------------------------------------------------

    def test_dispute_answer_acknowledge_confirm(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        page = self.url_open(self._url(self.statement))
        self.assertEqual(page.status_code, 200)
        # The calculation, line by line, and the answers open.
        self.assertIn("o_complaint_fee_line_missed", page.text)
        self.assertIn("816.00", page.text)
        self.assertIn("25,024.00", page.text)
        self.assertIn(self.kpi["answer_rate"].name, page.text)
        self.assertIn("o_complaint_fee_statement_acknowledge", page.text)
        self.assertIn("o_complaint_fee_statement_dispute_form", page.text)
        pdf = self.url_open(self._url(self.statement, "pdf"))
        self.assertEqual(pdf.status_code, 200)
        self.assertIn("attachment", pdf.headers["Content-Disposition"])
        self.assertIn("Yuexin", pdf.headers["Content-Disposition"])
        # A dispute says why.
        response = self._post(self._url(self.statement, "dispute"), {"reason": " "})
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_complaint_fee_statement_error", response.text)
        self.assertEqual(self.statement.state, "sent")
        reason = "Our call system shows\r\nan answer rate of 91 %."
        response = self._post(self._url(self.statement, "dispute"), {"reason": reason})
        self._assert_redirected(response, self.statement, "dispute")
        self.assertEqual(self.statement.state, "disputed")
        self.assertEqual(
            self.statement.dispute_reason,
            "Our call system shows\nan answer rate of 91 %.",
        )
        self.assertEqual(self.statement.responded_by_id, self.org_supervisor)
        page = self.url_open(response.headers["Location"]).text
        self.assertIn("o_complaint_fee_statement_done", page)
        self.assertIn("o_complaint_fee_statement_disputed", page)
        self.assertNotIn("o_complaint_fee_statement_acknowledge", page)
        # Disputed: no second answer until the carrier's.
        response = self._post(self._url(self.statement, "acknowledge"))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.statement.state, "disputed")
        # The carrier answers and sends it again.
        answer = "The rate comes from the file your system sent on 2 November."
        action = self.statement.with_user(self.supervisor).action_answer_dialog()
        with Form(
            self.env[action["res_model"]]
            .with_user(self.supervisor)
            .with_context(**action["context"])
        ) as dialog:
            dialog.answer = answer
        dialog.record.action_confirm()
        self.assertEqual(self.statement.state, "sent")
        page = self.url_open(self._url(self.statement)).text
        self.assertIn("o_complaint_fee_statement_answer", page)
        self.assertIn(answer, page)
        # Acknowledged this time.
        response = self._post(self._url(self.statement, "acknowledge"))
        self._assert_redirected(response, self.statement, "acknowledge")
        self.assertEqual(self.statement.state, "acknowledged")
        # The carrier confirms: locked, shown so.
        self.statement.with_user(self.supervisor).action_confirm()
        page = self.url_open(self._url(self.statement)).text
        self.assertIn("o_complaint_fee_statement_confirmed", page)
        self.assertNotIn("o_complaint_fee_statement_actions", page)
        response = self._post(self._url(self.statement, "dispute"), {"reason": "Late"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.statement.state, "confirmed")
        # The chatter keeps the reason and the answer.
        bodies = " ".join(self.statement.message_ids.mapped("body"))
        self.assertIn("an answer rate of 91 %", bodies)
        self.assertIn(answer, bodies)

    # As the user clicks --------------------------------------------------

    def test_dispute_tour(self):
        self.start_tour(
            "/my", "complaint_fee_statement_portal_tour", login="cp_org_sup"
        )
        self.env.invalidate_all()
        self.assertEqual(self.statement.state, "disputed")
        self.assertEqual(self.statement.dispute_reason, TOUR_REASON)
        self.assertEqual(self.statement.responded_by_id, self.org_supervisor)
        self.assertEqual(self.other_statement.state, "sent")

    def test_carrier_answer_tour(self):
        self.statement.with_user(self.org_supervisor).action_dispute(
            "Our call system shows an answer rate of 91 %."
        )
        self.start_tour(
            "/odoo/action-complaint_reports.complaint_fee_statement_action",
            "complaint_fee_statement_answer_tour",
            login="cp_supervisor",
        )
        self.env.invalidate_all()
        self.assertEqual(self.statement.state, "sent")
        self.assertEqual(self.statement.carrier_answer, TOUR_ANSWER)
        self.assertFalse(self.statement.dispute_reason)
