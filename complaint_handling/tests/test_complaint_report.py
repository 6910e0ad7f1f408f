# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.tests import tagged

from .common import ComplaintCommon

REPORT_MODULE = "odoo.addons.complaint_handling.report.complaint_record_report"


@tagged("post_install", "-at_install")
class TestComplaintReport(ComplaintCommon):
    """The printed Complaint Record holds the whole case, and its company
    header also where wkhtmltopdf ignores the layout's header."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.name = "Guangdong Telecom Test Co."
        ticket = cls._create_complaint()
        cls.ticket = ticket.with_user(cls.handler)
        cls.ticket.action_complaint_accept()
        cls.ticket.action_complaint_start()
        remedy = (
            cls.env["complaint.remedy"]
            .with_user(cls.handler)
            .create(
                {
                    "ticket_id": ticket.id,
                    "remedy_type": "fee_waiver",
                    "amount": 30,
                    "description": "Waive the duplicated October plan fee.",
                }
            )
        )
        remedy.action_submit()
        cls.ticket.solution_measures = "Refund the duplicated plan fee."
        cls.ticket.action_complaint_confirm_solution()
        cls.env["complaint.feedback"].with_user(cls.handler).create(
            {"ticket_id": ticket.id, "conclusion": "Charged twice; refunded."}
        )
        cls.ticket.action_complaint_report_result()
        cls.env["complaint.callback"].with_user(cls.handler).create(
            {
                "ticket_id": ticket.id,
                "reached": True,
                "satisfaction": "4",
                "problem_solved": True,
                "comment": "Thanks for the quick refund.",
            }
        )

    def _print(self, patched_qt):
        with patch(
            f"{REPORT_MODULE}.wkhtmltopdf_has_patched_qt", return_value=patched_qt
        ):
            html, _kind = (
                self.env["ir.actions.report"]
                .with_user(self.handler)
                ._render_qweb_html(
                    "complaint_handling.report_complaint_record", self.ticket.ids
                )
            )
        return html.decode()

    def test_record_holds_remedies_results_and_callbacks(self):
        html = self._print(patched_qt=True)
        self.assertIn("Waive the duplicated October plan fee.", html)
        self.assertIn("o_complaint_record_remedies", html)
        self.assertIn("Charged twice; refunded.", html)
        self.assertIn("Thanks for the quick refund.", html)
        self.assertIn("o_complaint_record_callbacks", html)
        self.assertNotIn("o_complaint_record_company", html)

    def test_company_header_in_the_page_without_patched_qt(self):
        html = self._print(patched_qt=False)
        self.assertIn("o_complaint_record_company", html)
        self.assertIn(
            "Guangdong Telecom Test Co.", html.split("o_complaint_record_company")[1]
        )
