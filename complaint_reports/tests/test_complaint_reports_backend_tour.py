# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from odoo.addons.complaint_handling.tests.common import ComplaintPartnerCommon

from .common import set_aside_existing

# Texts the tours (static/tests/tours/complaint_reports_backend_tours.js) use.
RETURN_COMMENT = "Tour: analyse the refused complaints of Tianhe."
SCORECARD_CASE = "Tour: scorecard case closed by the partner"


@tagged("post_install", "-at_install")
class TestComplaintReportsBackendTours(HttpCase, ComplaintPartnerCommon):
    """The reports of the back office clicked through from the Reporting
    menu, each by the lowest role that does it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        set_aside_existing(
            cls.env, "complaint.periodic.report", "complaint.regulator.sheet"
        )

    def test_carrier_returns_a_partner_report(self):
        report = (
            self.env["complaint.periodic.report"]
            .with_context(complaint_report_process=True)
            .create(
                {
                    "date_from": "2026-11-01",
                    "period_type": "month",
                    "scope": "partner",
                    "partner_org_id": self.org.id,
                }
            )
            .with_user(self.org_supervisor)
            .with_context(complaint_report_process=False)
        )
        report.action_generate()
        report.write(
            {
                "hot_issues": "Slow broadband in Tianhe",
                "causes": "A saturated base station",
                "suggestions": "Add capacity",
            }
        )
        report.action_submit()
        self.assertEqual(report.state, "submitted")
        self.start_tour(
            "/odoo", "complaint_reports_periodic_review_tour", login="cp_supervisor"
        )
        report.invalidate_recordset()
        self.assertEqual(report.state, "returned")
        self.assertEqual(report.review_comment, RETURN_COMMENT)

    def test_manager_computes_the_regulator_sheet(self):
        category = self.env["helpdesk.ticket.category"].create(
            {
                "name": "Tour billing",
                "complaint_regulator_category": "billing_dispute",
            }
        )
        with freeze_time("2024-05-06 02:00:00"):
            self._create_complaint(category_id=category.id)
            self._create_complaint(category_id=category.id)
        self.start_tour(
            "/odoo", "complaint_reports_regulator_sheet_tour", login="cp_manager"
        )
        sheet = self.env["complaint.regulator.sheet"].search(
            [("year", "=", 2024), ("quarter", "=", "2")]
        )
        self.assertEqual(len(sheet), 1)
        self.assertEqual(sheet.state, "done")
        self.assertEqual(sheet.computed_by_id, self.manager)
        billing = sheet.line_ids.filtered(
            lambda line: line.regulator_category == "billing_dispute"
        )
        self.assertEqual(billing.complaint_count, 2)
        total = sheet.line_ids.filtered("is_total")
        self.assertEqual(total.complaint_count, 2)

    def test_supervisor_opens_the_cases_of_a_scorecard(self):
        # Computed before the organisation closed any case: no figure.
        card = self.env["complaint.scorecard"]._complaint_get_or_compute(
            self.agreement, "2026-11-01", "2026-11-30"
        )
        fcr = card.line_ids.filtered(lambda line: line.kpi_id.code == "fcr")
        self.assertFalse(fcr.denominator)
        with freeze_time("2026-11-10 02:00:00"):
            ticket = self._handed_complaint(name=SCORECARD_CASE)
            transfer = ticket.with_user(self.agent).transfer_id
            transfer.action_take()
            transfer.action_add_log(
                {
                    "log_type": "contact",
                    "contact_result": "reached",
                    "description": "Called the customer.",
                }
            )
            transfer.action_propose_solution("Refund the duplicated fee.")
            transfer.action_confirm_solution()
            transfer.action_report_result(
                {"channel": "phone", "conclusion": "Refunded."}
            )
            transfer.action_record_callback(
                {"reached": "1", "satisfaction": "5", "problem_solved": "1"}
            )
            ticket.with_user(self.handler).action_complaint_close()
        self.assertEqual(ticket.complaint_state, "closed")
        self.start_tour(
            "/odoo", "complaint_reports_scorecard_tour", login="cp_supervisor"
        )
        fcr = card.line_ids.filtered(lambda line: line.kpi_id.code == "fcr")
        self.assertEqual(fcr.denominator, 1)
        self.assertEqual(card.state, "draft")
