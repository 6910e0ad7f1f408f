# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields, http
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.complaint_handling.tests.common import ComplaintPartnerCommon

PROCESS = {"complaint_report_process": True}
NARRATIVE = {
    "hot_issues": "Double billing of the monthly plan, 40% of the cases.",
    "causes": "The plan change of 1 November was applied twice.",
    "suggestions": "Check plan changes before the billing run.",
}
# What the tour (static/tests/tours/complaint_periodic_report_portal_tours.js)
# types.
TOUR_NARRATIVE = {
    "hot_issues": "Tour: double billing of the monthly plan",
    "causes": "Tour: the plan change was applied twice",
    "suggestions": "Tour: check plan changes before billing",
}


@tagged("post_install", "-at_install")
class TestComplaintPeriodicReportPortal(HttpCase, ComplaintPartnerCommon):
    """A partner organisation's periodic report over HTTP: its supervisor
    agent prepares and submits it in the portal, the carrier returns it with a
    comment and accepts it; nobody reaches another organisation's report."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_org_supervisor = cls._new_agent(
            "cp_other_sup",
            "Qian Bo",
            cls.other_org,
            "complaint_handling.complaint_handling_group_partner_supervisor",
        )
        # November 2026: one complaint handed to the organisation.
        with freeze_time("2026-11-12 02:00:00"):
            cls.handed = cls._handed_complaint()
        cls.report = cls._new_report(cls.org)
        cls.other_report = cls._new_report(cls.other_org)
        (cls.report | cls.other_report)._complaint_generate()

    @classmethod
    def _new_report(cls, org, date_from="2026-11-01", **values):
        report = (
            cls.env["complaint.periodic.report"]
            .with_context(**PROCESS)
            .create(
                {
                    "period_type": "month",
                    "date_from": date_from,
                    "scope": "partner",
                    "partner_org_id": org.id,
                    **values,
                }
            )
        )
        return report.with_env(cls.env)

    def _post(self, url, data=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        response = self.url_open(url, data=data, allow_redirects=False)
        # The request wrote through its own environment.
        self.env.invalidate_all()
        return response

    def _url(self, report, action=None):
        url = f"/my/complaint-reports/{report.id}"
        return f"{url}/{action}" if action else url

    def _href(self, report):
        return f'href="{self._url(report)}"'

    def _assert_redirected(self, response, report, action):
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.assertTrue(
            response.headers["Location"].endswith(f"{self._url(report)}?done={action}"),
            response.headers["Location"],
        )

    # Pages ---------------------------------------------------------------

    def test_home_list_and_pager(self):
        # 21 more months of reports: two pages of 20.
        start = fields.Date.to_date("2025-01-01")
        for months in range(21):
            self._new_report(self.org, date_from=start + relativedelta(months=months))
        self.authenticate("cp_org_sup", "cp_org_sup")
        self.assertIn('href="/my/complaint-reports"', self.url_open("/my").text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["periodic_report_count"]}
        )
        self.assertEqual(counters["periodic_report_count"], 22)
        page = self.url_open("/my/complaint-reports")
        self.assertEqual(page.status_code, 200)
        # Latest period first, with its state.
        self.assertIn(self._href(self.report), page.text)
        self.assertIn(self.report.name, page.text)
        self.assertIn("o_complaint_report_state", page.text)
        self.assertEqual(page.text.count("o_complaint_report_link"), 20)
        self.assertIn("/my/complaint-reports/page/2", page.text)
        self.assertNotIn(self._href(self.other_report), page.text)
        self.assertNotIn(self.other_org.name, page.text)
        second = self.url_open("/my/complaint-reports/page/2?filterby=all").text
        self.assertEqual(second.count("o_complaint_report_link"), 2)
        self.assertNotIn(self._href(self.report), second)
        # Once submitted, the report leaves the reports to prepare.
        self.report.with_user(self.org_supervisor).write(NARRATIVE)
        self.report.with_user(self.org_supervisor).action_submit()
        waiting = self.url_open("/my/complaint-reports?filterby=submitted").text
        self.assertEqual(waiting.count("o_complaint_report_link"), 1)
        self.assertIn(self._href(self.report), waiting)
        to_prepare = self.url_open("/my/complaint-reports?filterby=to_prepare").text
        self.assertNotIn(self._href(self.report), to_prepare)

    def test_only_supervisor_agents_have_the_reports(self):
        # A plain agent of the organisation, its customers and the carrier's
        # staff: no card, no list, no report.
        for login in ("cp_agent", "cp_customer", "cp_handler"):
            self.authenticate(login, login)
            self.assertNotIn('href="/my/complaint-reports"', self.url_open("/my").text)
            counters = self.make_jsonrpc_request(
                "/my/counters", {"counters": ["periodic_report_count"]}
            )
            self.assertEqual(counters["periodic_report_count"], 0, login)
            self.assertEqual(
                self.url_open("/my/complaint-reports").status_code, 404, login
            )
            self.assertEqual(
                self.url_open(self._url(self.report)).status_code, 404, login
            )
            response = self._post(self._url(self.report, "save"), NARRATIVE)
            self.assertEqual(response.status_code, 404, login)
        self.assertFalse(self.report.hot_issues)

    def test_other_organisation_gets_nothing(self):
        self.authenticate("cp_other_sup", "cp_other_sup")
        self.assertEqual(self.url_open(self._url(self.report)).status_code, 404)
        self.assertEqual(self.url_open(self._url(self.report, "pdf")).status_code, 404)
        generated = self.report.generated_date
        for action in ("save", "generate", "submit", "new-version"):
            response = self._post(self._url(self.report, action), NARRATIVE)
            self.assertEqual(response.status_code, 404, action)
        self.assertEqual(self.report.state, "draft")
        self.assertFalse(self.report.hot_issues)
        self.assertEqual(self.report.generated_date, generated)
        self.assertEqual(self.report.version, 1)
        # Its own report is there.
        page = self.url_open("/my/complaint-reports").text
        self.assertIn(self._href(self.other_report), page)
        self.assertNotIn(self._href(self.report), page)

    @mute_logger("odoo.http")
    def test_actions_need_the_csrf_token(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        response = self.url_open(
            self._url(self.report, "submit"), data=NARRATIVE, allow_redirects=False
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.report.state, "draft")
        self.assertFalse(self.report.hot_issues)

    # The flow ------------------------------------------------------------

    def test_prepare_submit_return_resubmit_accept(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        page = self.url_open(self._url(self.report))
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_complaint_report_form", page.text)
        self.assertIn("o_complaint_report_generate", page.text)
        self.assertIn("o_complaint_report_submit", page.text)
        self.assertNotIn("o_complaint_report_new_version", page.text)
        # The figures' summary names the complaint's type in the user's words.
        self.assertIn(self.category_billing.parent_id.complete_name, page.text)
        # Its PDF, as printed for the carrier.
        self.assertIn("o_complaint_report_pdf", page.text)
        pdf = self.url_open(self._url(self.report, "pdf"))
        self.assertEqual(pdf.status_code, 200)
        self.assertIn("attachment", pdf.headers["Content-Disposition"])
        self.assertIn("Yuexin", pdf.headers["Content-Disposition"])
        # Write the narrative.
        response = self._post(self._url(self.report, "save"), NARRATIVE)
        self._assert_redirected(response, self.report, "save")
        self.assertEqual(self.report.hot_issues, NARRATIVE["hot_issues"])
        self.assertEqual(self.report.suggestions, NARRATIVE["suggestions"])
        self.assertIn(
            "o_complaint_report_done", self.url_open(response.headers["Location"]).text
        )
        # A second complaint of November arrives: the figures are generated
        # again, the narrative typed meanwhile is saved with them.
        with freeze_time("2026-11-20 02:00:00"):
            self._handed_complaint()
        self.assertEqual(self.report.total_received, 1)
        response = self._post(
            self._url(self.report, "generate"),
            dict(NARRATIVE, causes="Two plan changes applied twice."),
        )
        self._assert_redirected(response, self.report, "generate")
        self.assertEqual(self.report.total_received, 2)
        self.assertEqual(self.report.causes, "Two plan changes applied twice.")
        # Submit.
        response = self._post(self._url(self.report, "submit"), NARRATIVE)
        self._assert_redirected(response, self.report, "submit")
        self.assertEqual(self.report.state, "submitted")
        self.assertEqual(self.report.submitted_by_id, self.org_supervisor)
        self.assertEqual(self.report.causes, NARRATIVE["causes"])
        page = self.url_open(self._url(self.report)).text
        self.assertNotIn("o_complaint_report_form", page)
        self.assertIn("o_complaint_report_narrative_readonly", page)
        self.assertIn(NARRATIVE["causes"], page)
        # Submitted: no more writing, whatever is posted.
        response = self._post(self._url(self.report, "save"), {"causes": "Changed"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_complaint_report_error", response.text)
        self.assertEqual(self.report.causes, NARRATIVE["causes"])
        # The carrier returns it with a comment.
        comment = "Give the number of customers refunded."
        report = self.report.with_user(self.supervisor)
        action = report.action_return_dialog()
        with Form(
            self.env[action["res_model"]]
            .with_user(self.supervisor)
            .with_context(**action["context"])
        ) as dialog:
            dialog.comment = comment
        dialog.record.action_confirm()
        self.assertEqual(self.report.state, "returned")
        # The organisation reads the comment and submits again.
        page = self.url_open(self._url(self.report)).text
        self.assertIn("o_complaint_report_returned", page)
        self.assertIn(comment, page)
        self.assertIn("o_complaint_report_form", page)
        self.assertIn(NARRATIVE["hot_issues"], page)
        self.assertNotIn("o_complaint_report_generate", page)
        # Returned, it is written again: no new version of it.
        self.assertNotIn("o_complaint_report_new_version", page)
        resubmitted = dict(
            NARRATIVE, hot_issues="Double billing: 12 customers refunded."
        )
        response = self._post(self._url(self.report, "submit"), resubmitted)
        self._assert_redirected(response, self.report, "submit")
        self.assertEqual(self.report.state, "submitted")
        self.assertEqual(self.report.hot_issues, resubmitted["hot_issues"])
        # The carrier accepts it.
        report.action_accept()
        self.assertEqual(self.report.state, "accepted")
        self.assertEqual(self.report.reviewed_by_id, self.supervisor)
        page = self.url_open(self._url(self.report)).text
        self.assertIn("o_complaint_report_accepted", page)
        self.assertNotIn("o_complaint_report_form", page)
        self.assertIn("o_complaint_report_new_version", page)
        # A new version, prepared from this one.
        response = self._post(self._url(self.report, "new-version"))
        self.assertEqual(response.status_code, 303)
        new = self.report._complaint_versions() - self.report
        self.assertEqual(len(new), 1)
        self._assert_redirected(response, new, "new_version")
        self.assertEqual((new.version, new.state), (2, "draft"))
        self.assertEqual(new.previous_version_id, self.report)
        self.assertEqual(new.hot_issues, resubmitted["hot_issues"])
        self.assertTrue(new.generated_date)
        page = self.url_open(self._url(new)).text
        self.assertIn("o_complaint_report_versions", page)
        self.assertIn(self._href(self.report), page)
        # While version 2 is a draft, no third version.
        self.assertNotIn(
            "o_complaint_report_new_version",
            self.url_open(self._url(self.report)).text,
        )
        response = self._post(self._url(self.report, "new-version"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("still a draft", response.text)
        self.assertEqual(len(self.report._complaint_versions()), 2)

    def test_submit_without_narrative_keeps_what_was_typed(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        typed = {"hot_issues": "Only the hot issues, typed\r\non two lines."}
        response = self._post(self._url(self.report, "submit"), typed)
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_complaint_report_error", response.text)
        self.assertIn("cannot be submitted yet", response.text)
        self.assertIn("Causes is empty", response.text)
        # What was typed is on the page again, and nothing was written.
        self.assertIn("Only the hot issues, typed\non two lines.", response.text)
        self.assertEqual(self.report.state, "draft")
        self.assertFalse(self.report.hot_issues)
        # Saved, then submitted with the rest: it goes through.
        self._post(self._url(self.report, "save"), typed)
        self.assertEqual(
            self.report.hot_issues, "Only the hot issues, typed\non two lines."
        )
        response = self._post(
            self._url(self.report, "submit"),
            dict(
                typed, causes=NARRATIVE["causes"], suggestions=NARRATIVE["suggestions"]
            ),
        )
        self._assert_redirected(response, self.report, "submit")
        self.assertEqual(self.report.state, "submitted")

    # The carrier's dialog ------------------------------------------------

    def test_return_dialog(self):
        report = self.report.with_user(self.org_supervisor)
        report.write(NARRATIVE)
        report.action_submit()
        # Only the carrier returns a report.
        with self.assertRaises(AccessError):
            report.action_return_dialog()
        action = self.report.with_user(self.supervisor).action_return_dialog()
        Return = (
            self.env[action["res_model"]]
            .with_user(self.supervisor)
            .with_context(**action["context"])
        )
        dialog = Form(Return)
        self.assertEqual(dialog.report_id, self.report)
        # A return says what must change.
        with self.assertRaises(AssertionError):
            dialog.save()
        dialog.comment = "Name the customers' areas."
        dialog.save().action_confirm()
        self.assertEqual(self.report.state, "returned")
        self.assertEqual(self.report.review_comment, "Name the customers' areas.")
        self.assertEqual(self.report.reviewed_by_id, self.supervisor)

    # As the user clicks --------------------------------------------------

    def test_supervisor_tour(self):
        self.start_tour(
            "/my", "complaint_periodic_report_portal_tour", login="cp_org_sup"
        )
        self.env.invalidate_all()
        self.assertEqual(self.report.state, "submitted")
        self.assertEqual(self.report.submitted_by_id, self.org_supervisor)
        for name, text in TOUR_NARRATIVE.items():
            self.assertEqual(self.report[name], text)
        self.assertEqual(self.other_report.state, "draft")
