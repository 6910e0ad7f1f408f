# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.complaint_handling.tests.common import ComplaintPartnerCommon

from .common import set_aside_existing

PROCESS = {"complaint_report_process": True}


@tagged("post_install", "-at_install")
class TestComplaintPeriodicReport(ComplaintPartnerCommon):
    """The monthly report: figures against hand-computed values, frozen at
    generation; versions; the review flow; the daily job; who may do what."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        set_aside_existing(cls.env, "complaint.periodic.report")
        # The carrier counts its complaints by its own (Beijing) day.
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.team.user_ids |= cls.handler
        common = {"user_id": cls.handler.id}
        # October 2026 (the previous period): one billing complaint.
        with freeze_time("2026-10-20 02:00:00"):
            cls.d = cls._create_complaint(name="D", **common)
        # November 2026: A closed at the first contact (satisfied), B not
        # accepted, C open (signal); E received 1 Dec 07:30 Beijing time is
        # 30 Nov 23:30 UTC: December's, not November's.
        with freeze_time("2026-11-03 01:00:00"):
            cls.a = cls._create_complaint(name="A", **common)
            cls._drive(cls.a, "closed")
        with freeze_time("2026-11-10 03:00:00"):
            cls.b = cls._create_complaint(name="B", **common)
            reason = cls.env["complaint.refuse.reason"].search(
                [("reason_type", "!=", "time_barred")], limit=1
            )
            cls.env["complaint.refuse.wizard"].with_user(cls.handler).create(
                {
                    "ticket_id": cls.b.id,
                    "reason_id": reason.id,
                    "explanation": "Not a service of ours.",
                }
            ).action_refuse()
        with freeze_time("2026-11-30 15:59:00"):
            cls.c = cls._create_complaint(
                name="C", category_id=cls.category_signal.id, **common
            )
        with freeze_time("2026-11-30 23:30:00"):
            cls.e = cls._create_complaint(name="E", **common)
        cls.report_model = cls.env["complaint.periodic.report"]

    def _report(self, user=None, **values):
        vals = {"date_from": "2026-11-01", "period_type": "month"} | values
        report = self.report_model.with_context(**PROCESS).create(vals)
        return report.with_user(user or self.supervisor).with_context(
            complaint_report_process=False
        )

    def test_figures_against_hand_computed_values(self):
        report = self._report()
        report.action_generate()
        figures = report.figures
        totals = figures["totals"]
        self.assertEqual(
            (totals["nbr"], totals["closed"], totals["refused"]), (3, 1, 1)
        )
        self.assertEqual((totals["fcr"], totals["fcr_rate"]), (1, 100.0))
        self.assertEqual(figures["previous"]["nbr"], 1)
        self.assertEqual(report.total_received, 3)
        self.assertEqual(figures["targets"], {"fcr": 80.0, "satisfaction": 90.0})
        by_type = {row["key"]: row for row in figures["by_subtype"]}
        billing = by_type[self.category_billing.id]
        self.assertEqual((billing["nbr"], billing["previous"]), (2, 1))
        self.assertEqual(billing["change"], 100.0)
        signal = by_type[self.category_signal.id]
        self.assertEqual(
            (signal["nbr"], signal["previous"], signal["change"]), (1, 0, None)
        )
        results = {row["key"]: row["nbr"] for row in figures["by_result"]}
        self.assertEqual(results["refused"], 1)
        self.assertEqual(results["open"], 1)
        self.assertEqual(sum(results.values()), 3)
        self.assertEqual([row["nbr"] for row in figures["trend"]], [0, 0, 0, 0, 1, 3])
        self.assertEqual(figures["trend"][-1]["start"], "2026-11-01")
        self.assertEqual(
            figures["hot_types"]["largest"][0]["key"], self.category_billing.id
        )
        self.assertEqual(
            [row["key"] for row in figures["hot_types"]["growing"]],
            [self.category_billing.id, self.category_signal.id],
        )
        labels = self.env["complaint.report.figures"]._complaint_labels(figures)
        self.assertEqual(
            labels["by_subtype"][self.category_billing.id],
            self.category_billing.complete_name,
        )

    def test_empty_period_gives_zeros(self):
        report = self._report(date_from="2025-02-01")
        report.action_generate()
        totals = report.figures["totals"]
        self.assertEqual((totals["nbr"], totals["closed"]), (0, 0))
        self.assertIsNone(totals["fcr_rate"])
        self.assertIsNone(totals["satisfaction_rate"])
        self.assertEqual(report.figures["by_type"], [])
        self.assertEqual(report.figures["below_standard"]["cases"], [])

    def test_partner_scope_counts_only_its_cases(self):
        with freeze_time("2026-11-12 02:00:00"):
            handed = self._handed_complaint()
        self.agreement.target_fcr = 85.0
        report = self._report(
            user=self.org_supervisor, scope="partner", partner_org_id=self.org.id
        )
        report.action_generate()
        self.assertEqual(report.figures["totals"]["nbr"], 1)
        self.assertEqual(report.figures["targets"]["fcr"], 85.0)
        self.assertEqual(handed.partner_org_id, self.org)

    def test_figures_are_frozen_and_submitted_reports_never_regenerated(self):
        report = self._report()
        report.action_generate()
        report.write(
            {"hot_issues": "Double charges", "causes": "Billing", "suggestions": "Fix"}
        )
        report.action_submit()
        with freeze_time("2026-11-20 02:00:00"):
            self._create_complaint(name="Late entry", user_id=self.handler.id)
        self.assertEqual(report.figures["totals"]["nbr"], 3)
        with self.assertRaisesRegex(UserError, "new version"):
            report.action_generate()
        with self.assertRaises(UserError):
            report.write({"hot_issues": "Changed after submission"})
        action = report.action_new_version()
        new = self.report_model.browse(action["res_id"])
        self.assertEqual((new.version, new.state), (2, "draft"))
        self.assertEqual(new.previous_version_id, report)
        self.assertEqual(new.figures["totals"]["nbr"], 4)
        self.assertEqual(new.hot_issues, "Double charges")
        self.assertEqual(report.figures["totals"]["nbr"], 3)
        with self.assertRaisesRegex(UserError, "still a draft"):
            report.action_new_version()

    def test_review_flow_with_the_return_dialog(self):
        report = self._report()
        report.action_generate()
        with self.assertRaisesRegex(UserError, "Hot Issues is empty"):
            report.action_submit()
        report.write({"hot_issues": "x", "causes": "y", "suggestions": "z"})
        report.action_submit()
        self.assertEqual(report.state, "submitted")
        action = report.action_return_dialog()
        with Form(
            self.env[action["res_model"]]
            .with_user(self.supervisor)
            .with_context(**action["context"])
        ) as dialog:
            dialog.comment = "Analyse the refused complaint."
        dialog.record.action_confirm()
        self.assertEqual(report.state, "returned")
        self.assertEqual(report.review_comment, "Analyse the refused complaint.")
        report.write({"causes": "y, and the refusal analysed"})
        report.action_submit()
        report.action_accept()
        self.assertEqual(
            (report.state, report.reviewed_by_id), ("accepted", self.supervisor)
        )

    def test_nobody_writes_figures_or_states_directly(self):
        report = self._report()
        for vals in ({"figures": {"totals": {}}}, {"state": "accepted"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                report.write(vals)
        with self.assertRaises(AccessError):
            self.report_model.with_user(self.supervisor).create(
                {"date_from": "2026-11-01", "state": "accepted"}
            )
        with self.assertRaises(ValidationError):
            self._report(date_from="2026-11-02")
        with self.assertRaises(ValidationError):
            self._report(scope="partner")

    def test_partners_see_and_prepare_only_their_own(self):
        mine = self._report(scope="partner", partner_org_id=self.org.id)
        theirs = self._report(scope="partner", partner_org_id=self.other_org.id)
        carrier = self._report()
        Report = self.report_model.with_user(self.org_supervisor)
        self.assertEqual(Report.search([]), mine)
        for other in (theirs, carrier):
            with self.subTest(report=other.name), self.assertRaises(AccessError):
                other.with_user(self.org_supervisor).action_generate()
        mine = mine.with_user(self.org_supervisor)
        mine.action_generate()
        mine.hot_issues = "Slow broadband in Tianhe"
        # A plain agent of the organisation reads it but does not prepare it.
        with self.assertRaises(AccessError):
            mine.with_user(self.agent).write({"hot_issues": "x"})
        # The carrier reviews the partner's report but does not write it.
        with self.assertRaises(AccessError):
            mine.with_user(self.supervisor).write({"hot_issues": "x"})
        # Handlers have no periodic reports.
        with self.assertRaises(AccessError):
            self.report_model.with_user(self.handler).search([])
        with self.assertRaises(AccessError):
            mine.with_user(self.org_supervisor).action_accept()

    def _generation_queries(self, report):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        report.action_generate()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_generation_queries_do_not_grow_with_complaints(self):
        quarter = {"period_type": "quarter", "date_from": "2026-10-01"}
        self._report(**quarter).action_generate()  # warms the caches
        small = self._generation_queries(self._report(version=2, **quarter))
        with freeze_time("2026-11-15 02:00:00"):
            for index in range(10):
                self._create_complaint(
                    name=f"More {index}",
                    user_id=self.handler.id,
                    category_id=self.category_signal.id,
                )
        bigger = self._report(version=3, **quarter)
        self.assertEqual(self._generation_queries(bigger), small)
        self.assertEqual(bigger.figures["totals"]["nbr"], 15)


@tagged("post_install", "-at_install")
class TestComplaintPeriodicReportJob(ComplaintPartnerCommon):
    """The daily job drafts what is missing and tells who prepares it."""

    def test_first_day_drafts_every_scope_once(self):
        self.org_supervisor.lang = "en_US"
        Report = self.env["complaint.periodic.report"]
        Report.search([]).unlink()  # the demo's, if any
        existing = Report.browse()
        with freeze_time("2026-12-01 01:00:00"):
            made = Report._cron_generate()
            self.assertFalse(Report._cron_generate(), "nothing is made twice")
        made = Report.search([]) - existing
        months = made.filtered(lambda r: r.period_type == "month")
        self.assertIn(self.org, months.partner_org_id)
        self.assertIn(self.other_org, months.partner_org_id)
        self.assertIn("carrier", months.mapped("scope"))
        self.assertEqual(
            set(months.mapped("date_from")), {fields.Date.to_date("2026-11-01")}
        )
        quarters = made.filtered(lambda r: r.period_type == "quarter")
        self.assertEqual(
            set(quarters.mapped("date_from")), {fields.Date.to_date("2026-07-01")}
        )
        self.assertTrue(all(made.mapped("generated_date")))
        mine = months.filtered(lambda r: r.partner_org_id == self.org)
        notices = self.env["mail.message"].search(
            [
                ("model", "=", mine._name),
                ("res_id", "=", mine.id),
                ("partner_ids", "in", self.org_supervisor.partner_id.ids),
            ]
        )
        self.assertEqual(len(notices), 1)
        self.assertIn("ready", notices.body)
        # Another organisation's supervisor is not told.
        other_sup = new_test_user(
            self.env,
            login="cp_other_sup",
            groups="complaint_handling.complaint_handling_group_partner_supervisor",
        )
        other_sup.partner_id.parent_id = self.other_org
        self.assertFalse(
            notices.partner_ids & other_sup.partner_id,
        )
