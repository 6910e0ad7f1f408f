# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import TrainingCommon

# The standard scorecard (data): weights 20, 20, 25, 15, 10, 10 (Privacy,
# critical); every criterion on a scale of 5, passed from 3.


@tagged("post_install", "-at_install")
class TestTrainingScoring(TrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._closed()

    def test_weighted_score_against_hand_computed_values(self):
        review = self._review(
            self.ticket,
            self.handler,
            {
                "Service attitude": 5,
                "Business knowledge": 4,
                "Problem solving": 3,
                "Process compliance": 5,
                "Communication": 2,
                "Privacy": 5,
            },
        )
        # 20*5/5 + 20*4/5 + 25*3/5 + 15*5/5 + 10*2/5 + 10*5/5
        # = 20 + 16 + 15 + 15 + 4 + 10 = 80
        self.assertEqual(review.score, 80.0)
        self.assertTrue(review.passed)
        self.assertFalse(review.critical_failed)

    def test_not_applicable_criteria_are_left_out(self):
        review = self._review(
            self.ticket,
            self.handler,
            {
                "Service attitude": 4,
                "Business knowledge": None,
                "Problem solving": 3,
                "Process compliance": None,
                "Communication": 5,
                "Privacy": 5,
            },
        )
        # Weights scored: 20 + 25 + 10 + 10 = 65;
        # 20*4/5 + 25*3/5 + 10*5/5 + 10*5/5 = 16 + 15 + 10 + 10 = 51;
        # 100 * 51 / 65 = 78.46
        self.assertEqual(review.score, 78.46)
        self.assertFalse(review.passed, "below the company's 80")

    def test_a_critical_criterion_fails_the_whole_review(self):
        review = self._review(self.ticket, self.handler, {"Privacy": 2})
        self.assertTrue(review.critical_failed)
        self.assertEqual(review.score, 0.0)
        self.assertFalse(review.passed)
        # A non-critical criterion failed only lowers the score.
        other = self._review(self._closed(), self.handler, {"Communication": 0})
        self.assertEqual(other.score, 90.0)
        self.assertFalse(other.critical_failed)

    def test_scores_outside_the_scale_are_refused(self):
        review = self._review(self.ticket, self.handler, {}, done=False)
        line = review.line_ids[0]
        for bad in (6, -1):
            with self.assertRaises(ValidationError) as caught:
                line.with_user(self.qa).score = bad
            self.assertIn("scored from 0 to 5", str(caught.exception))
        # Only the reviewer scores, and only while the review is open.
        with self.assertRaises(UserError):
            line.with_user(self.qa2).score = 3
        review.action_done()
        with self.assertRaises(UserError):
            line.with_user(self.qa).score = 1

    def test_weights_must_add_up_to_100(self):
        Scorecard = self.env["complaint.qa.scorecard"].with_user(self.qa)
        with self.assertRaises(ValidationError) as caught:
            Scorecard.create(
                {
                    "name": "Unbalanced",
                    "criterion_ids": [
                        (0, 0, {"name": "Attitude", "weight": 60}),
                        (0, 0, {"name": "Knowledge", "weight": 30}),
                    ],
                }
            )
        self.assertIn("add up to 90", str(caught.exception))
        self.assertFalse(Scorecard.search([("name", "=", "Unbalanced")]))
        card = Scorecard.create(
            {
                "name": "Balanced",
                "criterion_ids": [
                    (0, 0, {"name": "Attitude", "weight": 60}),
                    (0, 0, {"name": "Knowledge", "weight": 40, "scale": 10}),
                ],
            }
        )
        self.assertEqual(card.criterion_ids[1].pass_score, 6)
        with self.assertRaises(ValidationError):
            card.criterion_ids[0].weight = 50

    def test_the_reviewer_must_see_the_case(self):
        # The other team's handler cannot read the complaint.
        with self.assertRaises(ValidationError) as caught:
            self.env["complaint.qa.review"].create(
                {
                    "ticket_id": self.ticket.id,
                    "reviewed_user_id": self.handler.id,
                    "reviewer_id": self.other_handler.id,
                    "scorecard_id": self.scorecard.id,
                }
            )
        self.assertIn("cannot see complaint", str(caught.exception))

    def test_below_standard_proposes_training_and_the_loop_closes(self):
        review = self._review(self.ticket, self.handler, {"Problem solving": 1})
        # 20 + 20 + 25*1/5 + 15 + 10 + 10 = 80: at the threshold, passed.
        self.assertEqual(review.score, 80.0)
        self.assertFalse(review.training_need_ids, "at the threshold: no need")
        review = self._review(
            self._closed(), self.handler, {"Problem solving": 0, "Communication": 1}
        )
        # 20 + 20 + 0 + 15 + 2 + 10 = 67
        self.assertEqual(review.score, 67.0)
        need = review.training_need_ids
        self.assertEqual(need.course_id, self.course)
        self.assertEqual(need.state, "proposed")
        self.assertIn(need, self.handler.complaint_training_need_ids)
        # The handler cannot confirm his own need; the supervisor does.
        with self.assertRaises(UserError):
            need.with_user(self.handler).action_confirm()
        need.with_user(self.supervisor).action_confirm()
        self.assertEqual(need.state, "confirmed")
        # Passing the course completes it and qualifies.
        session = self.env["complaint.training.session"].with_user(self.supervisor)
        session = session.create(
            {
                "course_id": self.course.id,
                "date": "2026-12-01 09:00:00",
                "trainer": "Chen Jie",
                "online": True,
                "attendance_ids": [(0, 0, {"user_id": self.handler.id})],
            }
        )
        session.action_done()
        self.assertEqual(need.state, "done")
        self.assertEqual(session.attendance_ids.result, "passed")
        self.assertEqual(self.handler.complaint_training_hours, 3.0)
        self.assertTrue(session.attendance_ids.qualification_id)

    def test_a_criterion_failed_again_proposes_its_course(self):
        communication = self.scorecard.criterion_ids.filtered(
            lambda c: c.name == "Communication"
        )
        course = self.course.copy({"name": "Talking to upset customers"})
        communication.course_id = course
        first = self._review(self.ticket, self.handler, {"Communication": 1})
        self.assertTrue(first.passed)
        self.assertFalse(first.training_need_ids)
        second = self._review(self._closed(), self.handler, {"Communication": 2})
        self.assertTrue(second.passed)
        self.assertEqual(second.training_need_ids.course_id, course)
        self.assertIn("failed again", second.training_need_ids.reason)

    def test_dispute_once_to_a_second_reviewer(self):
        self.env.company.complaint_qa_dispute_reviewer_id = self.qa2
        review = self._review(self.ticket, self.handler, {"Problem solving": 1})
        with self.assertRaises(UserError):
            review.with_user(self.qa).action_dispute("Not mine to dispute")
        with self.assertRaises(UserError):
            review.with_user(self.handler).action_dispute("  ")
        review.with_user(self.handler).action_dispute("The customer hung up.")
        self.assertEqual(review.state, "disputed")
        self.assertEqual(review.second_reviewer_id, self.qa2)
        self.assertEqual(review.first_score, 80.0)
        self.assertIn(self.qa2, review.activity_ids.user_id)
        # The first reviewer no longer scores; the second does.
        line = review.line_ids.filtered(
            lambda x: x.criterion_id.name == "Problem solving"
        )
        with self.assertRaises(UserError):
            line.with_user(self.qa).score = 5
        line.with_user(self.qa2).score = 4
        review.with_user(self.qa2).action_final()
        self.assertEqual(review.state, "final")
        self.assertEqual(review.score, 95.0)
        self.assertFalse(review.activity_ids)
        with self.assertRaises(UserError):
            review.with_user(self.handler).action_dispute("Again")

    def test_quality_scores_by_person_team_and_organisation(self):
        reviews = (
            self._review(self.ticket, self.handler, {})  # 100
            | self._review(self._closed(), self.handler, {"Problem solving": 0})  # 75
            | self._review(self._agent_case(), self.agent, {"Communication": 0})
        )  # the agent's: 90
        # A day of their own (the database may hold other spot checks).
        reviews.sudo().write({"date": "2026-03-16"})
        day = "2026-03-16"
        Review = self.env["complaint.qa.review"]
        by_person = Review._complaint_quality_scores(day, day)
        self.assertEqual(
            by_person, {self.handler: (87.5, 2, 1), self.agent: (90.0, 1, 0)}
        )
        by_org = Review._complaint_quality_scores(day, day, "partner_org_id")
        self.assertEqual(by_org, {self.org: (90.0, 1, 0)})
        by_team = Review._complaint_quality_scores(day, day, "team_id")
        self.assertEqual(by_team, {self.team: (87.5, 2, 1)})

    def test_the_partner_supervisor_reviews_his_agents(self):
        case = self._agent_case()
        review = self._review(
            case, self.agent, {}, reviewer=self.org_supervisor, done=False
        )
        review.line_ids[0].with_user(self.org_supervisor).score = 3
        review.with_user(self.org_supervisor).action_done()
        self.assertEqual(review.state, "done")
        self.assertEqual(review.score, 92.0)
        # Not a spot check of another organisation's agent.
        with self.assertRaises(ValidationError):
            self._review(
                self._agent_case(self.other_agent, self.other_agreement),
                self.other_agent,
                {},
                reviewer=self.org_supervisor,
            )
