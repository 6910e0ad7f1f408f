# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.complaint_handling.models.complaint_escalation import (
    ESCALATION_REASONS,
)

from .common import TrainingCommon

ESCALATION_REASON = ESCALATION_REASONS[0][0]


@tagged("post_install", "-at_install")
class TestTrainingGuards(TrainingCommon):
    """What a user cannot do by writing fields over RPC, and the gate on every
    way a complaint reaches an unqualified person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.porting = cls.category_signal  # a gated type of its own
        cls.porting.qualification_required = True

    def test_gate_on_recategorising_and_in_one_write(self):
        ticket = self._create_complaint(user_id=self.handler.id)  # billing
        with self.assertRaises(UserError):
            ticket.with_user(self.supervisor).write({"category_id": self.porting.id})
        self.assertEqual(ticket.category_id, self.category_billing)
        other = self._create_complaint(user_id=False)
        with self.assertRaises(UserError):
            other.with_user(self.supervisor).write(
                {"user_id": self.handler.id, "category_id": self.porting.id}
            )
        self.assertFalse(other.user_id)

    def test_gate_on_context_defaults(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.supervisor)
        with self.assertRaises(UserError):
            Ticket.with_context(default_user_id=self.handler.id).create(
                self._complaint_vals(category_id=self.porting.id)
            )

    def test_escalation_is_logged_not_refused(self):
        ticket = self._create_complaint(
            user_id=self.handler.id, category_id=self.category_billing.id
        )
        ticket.with_user(self.handler).action_complaint_accept()
        # Level 2 is the supervisor, unqualified for the gated type.
        ticket.sudo().write({"category_id": self.category_billing.id})
        self.category_billing.qualification_required = True
        self.env["complaint.qualification"].with_user(self.supervisor).create(
            {
                "user_id": self.handler.id,
                "category_ids": [(4, self.category_billing.id)],
                "reason": "Billing desk",
            }
        )
        ticket.with_user(self.handler)._complaint_escalate(
            ESCALATION_REASON, "See the notes", to_level=2
        )
        self.assertEqual(ticket.user_id, self.supervisor)
        override = ticket.qualification_override_ids
        self.assertEqual(override.assignee_id, self.supervisor)
        self.assertIn("Escalation", override.reason)

    def test_partner_supervisor_overrides_for_his_agents(self):
        ticket = self._agent_case()
        untaken = self._handed_complaint()
        self.category_billing.qualification_required = True
        transfer = ticket.with_user(self.org_supervisor).transfer_id
        with self.assertRaises(UserError):
            transfer.action_assign(self.agent2)
        transfer.with_context(
            complaint_qualification_override="Only agent on duty"
        ).action_assign(self.agent2)
        self.assertEqual(ticket.partner_agent_id, self.agent2)
        self.assertEqual(
            ticket.qualification_override_ids.supervisor_id, self.org_supervisor
        )
        # An agent cannot override, even sending the reason himself.
        with self.assertRaises(UserError) as caught:
            untaken.with_user(self.agent).with_context(
                complaint_qualification_override="Me"
            ).transfer_id.action_take()
        self.assertIn("Only a supervisor", str(caught.exception))
        self.assertFalse(untaken.partner_agent_id)

    def test_sessions_and_results_are_not_forged(self):
        session = (
            self.env["complaint.training.session"]
            .with_user(self.org_supervisor)
            .create(
                {
                    "course_id": self.course.id,
                    "partner_org_id": self.org.id,
                    "date": "2026-11-10 09:00:00",
                    "trainer": "Zhou Min",
                    "online": True,
                    "attendance_ids": [(0, 0, {"user_id": self.agent.id})],
                }
            )
        )
        attendance = session.attendance_ids
        for vals in ({"result": "passed"}, {"qualification_id": 1}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                attendance.with_user(self.org_supervisor).write(vals)
        for vals in ({"state": "done"}, {"closed_by_id": self.org_supervisor.id}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                session.with_user(self.org_supervisor).write(vals)
        # Closed by the partner on a course without assessment: attendance,
        # hours, no qualification; then kept as recorded.
        session.with_user(self.org_supervisor).action_done()
        self.assertEqual(attendance.result, "passed")
        self.assertFalse(attendance.qualification_id)
        for vals in ({"state": "planned"}, {"duration_hours": 8}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                session.with_user(self.org_supervisor).write(vals)

    def test_a_graded_course_fails_a_score_of_zero(self):
        self.course.pass_mark = 60
        session = (
            self.env["complaint.training.session"]
            .with_user(self.supervisor)
            .create(
                {
                    "course_id": self.course.id,
                    "date": "2026-11-10 09:00:00",
                    "trainer": "Chen Jie",
                    "online": True,
                    "attendance_ids": [
                        (0, 0, {"user_id": self.handler.id, "score": 0}),
                        (0, 0, {"user_id": self.other_handler.id, "score": 75}),
                    ],
                }
            )
        )
        session.action_done()
        results = {a.user_id: a.result for a in session.attendance_ids}
        self.assertEqual(
            results, {self.handler: "failed", self.other_handler: "passed"}
        )

    def test_qualification_origin_is_the_systems(self):
        Qualification = self.env["complaint.qualification"].with_user(self.supervisor)
        forged = Qualification.create(
            {
                "user_id": self.handler.id,
                "category_ids": [(4, self.category_billing.id)],
                "source": "course",
                "reason": "Says he passed",
            }
        )
        self.assertEqual(
            (forged.source, forged.granted_by_id), ("granted", self.supervisor)
        )
        with self.assertRaises(UserError):
            forged.write({"granted_by_id": self.manager.id})

    def test_scores_keep_their_criteria_and_threshold(self):
        review = self._review(self._closed(), self.handler, {"Communication": 1})
        self.assertEqual(review.score, 92.0)
        line = review.line_ids.filtered(
            lambda x: x.criterion_id.name == "Communication"
        )
        with self.assertRaises(UserError):
            line.with_user(self.qa).write({"review_id": review.copy().id})
        # Changing the scorecard or the company's standard later changes no
        # completed spot check.
        line.criterion_id.sudo().write({"critical": True})
        self.env.company.complaint_qa_pass_score = 95
        self.assertEqual((review.score, review.passed), (92.0, True))

    def test_nobody_reviews_himself(self):
        ticket = self._closed()
        with self.assertRaises(ValidationError):
            self._review(ticket, self.handler, {}, reviewer=self.handler, done=False)
        with self.assertRaises(ValidationError):
            self._review(ticket, self.other_handler, {}, done=False)
        # The dispute never goes back to the reviewed person.
        self.env.company.complaint_qa_dispute_reviewer_id = self.handler
        review = self._review(ticket, self.handler, {"Communication": 1})
        review.with_user(self.handler).action_dispute("Not fair")
        self.assertNotIn(review.second_reviewer_id, self.handler | self.qa)

    def test_all_not_applicable_is_refused(self):
        review = self._review(
            self._closed(),
            self.handler,
            dict.fromkeys(self.scorecard.criterion_ids.mapped("name")),
            done=False,
        )
        with self.assertRaises(UserError):
            review.action_done()

    def test_the_second_review_decides_the_training_needs(self):
        self.env.company.complaint_qa_dispute_reviewer_id = self.qa2
        review = self._review(self._closed(), self.handler, {"Problem solving": 0})
        self.assertEqual(review.training_need_ids.state, "proposed")
        review.with_user(self.handler).action_dispute("The bill was right")
        line = review.line_ids.filtered(
            lambda x: x.criterion_id.name == "Problem solving"
        )
        line.with_user(self.qa2).score = 5
        review.with_user(self.qa2).action_final()
        self.assertEqual(review.score, 100.0)
        self.assertEqual(review.training_need_ids.state, "cancelled")

    def test_reweighting_a_scorecard_at_once(self):
        """Two weights changed in one save: checked once, at the end."""
        with Form(self.scorecard.with_user(self.qa)) as form:
            with form.criterion_ids.edit(0) as line:
                line.weight = 40
            with form.criterion_ids.edit(2) as line:
                line.weight = 5
        self.assertEqual(self.scorecard.total_weight, 100)
        with self.assertRaises(ValidationError):
            self.scorecard.criterion_ids[0].with_user(self.qa).weight = 41

    def test_survey_attempt_before_the_session_or_a_test_counts_nothing(self):
        survey = self.env["survey.survey"].create(
            {
                "title": "Billing exam",
                "certification": True,
                "scoring_type": "scoring_with_answers",
                "scoring_success_min": 50,
            }
        )
        self.course.survey_id = survey
        session = (
            self.env["complaint.training.session"]
            .with_user(self.supervisor)
            .create(
                {
                    "course_id": self.course.id,
                    "date": "2026-12-20 09:00:00",
                    "trainer": "Chen Jie",
                    "online": True,
                    "attendance_ids": [(0, 0, {"user_id": self.handler.id})],
                }
            )
        )
        for test_entry in (True, False):
            attempt = self.env["survey.user_input"].create(
                {
                    "survey_id": survey.id,
                    "partner_id": self.handler.partner_id.id,
                    "test_entry": test_entry,
                }
            )
            attempt._mark_done()
        # Not closed yet: the attempts decide nothing.
        self.assertEqual(session.attendance_ids.result, "pending")
