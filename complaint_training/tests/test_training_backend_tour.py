# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingBackendTours(HttpCase, TrainingCommon):
    """Training and quality flows in a real browser, each by the lowest role
    that does it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tour_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Tour sampling desk",
                "complaint_process": True,
                "user_ids": [(4, cls.handler.id)],
            }
        )
        with freeze_time("2026-11-12 10:00:00"):
            cls.closed = cls._create_complaint(
                user_id=cls.handler.id, team_id=cls.tour_team.id
            )
            cls._drive(cls.closed, "closed")

    def test_quality_reviewer_draws_and_scores(self):
        self.start_tour(
            "/odoo/action-complaint_training.complaint_qa_plan_action",
            "complaint_training_qa_tour",
            login="cp_qa",
        )
        plan = self.env["complaint.qa.plan"].search(
            [("name", "=", "Tour: November spot checks")]
        )
        self.assertEqual(plan.state, "drawn")
        review = plan.review_ids.filtered(lambda r: r.state == "done")
        self.assertEqual(len(review), 1)
        self.assertEqual(review.ticket_id, self.closed)
        # 100 - 25 * 3/5 = 85: one criterion failed, above the standard.
        self.assertEqual(review.score, 85.0)
        self.assertIn("refund date", review.comment)

    def test_handler_disputes_his_spot_check(self):
        self.env.company.complaint_qa_dispute_reviewer_id = self.qa2
        review = self._review(self.closed, self.handler, {"Communication": 1})
        self.start_tour(
            "/odoo/action-complaint_training.complaint_qa_review_action",
            "complaint_training_dispute_tour",
            login="cp_handler",
        )
        self.assertEqual(review.state, "disputed")
        self.assertIn("written answer", review.dispute_reason)
        self.assertEqual(review.second_reviewer_id, self.qa2)

    def test_supervisor_grants_a_qualification(self):
        self.start_tour(
            "/odoo/action-complaint_training.complaint_qualification_action",
            "complaint_training_supervisor_tour",
            login="cp_supervisor",
        )
        qualification = self.env["complaint.qualification"].search(
            [("user_id", "=", self.handler.id)]
        )
        self.assertEqual(qualification.granted_by_id, self.supervisor)
        self.assertEqual(qualification.category_ids, self.category_billing)

    def test_supervisor_records_a_session_and_confirms_a_need(self):
        course = self.course.copy({"name": "Talking to upset customers"})
        need = self.env["complaint.training.need"].create(
            {
                "user_id": self.other_handler.id,
                "course_id": course.id,
                "reason": "Tour: communication failed twice.",
            }
        )
        self.start_tour(
            "/odoo/action-complaint_training.complaint_training_session_action",
            "complaint_training_session_tour",
            login="cp_supervisor",
        )
        session = self.env["complaint.training.session"].search(
            [("trainer", "=", "Tour: Chen Jie")]
        )
        self.assertEqual(session.state, "done")
        self.assertEqual(session.closed_by_id, self.supervisor)
        attendance = session.attendance_ids
        self.assertEqual(
            (attendance.user_id, attendance.result), (self.handler, "passed")
        )
        self.assertTrue(attendance.qualification_id)
        self.assertEqual(need.state, "confirmed")
