# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingAccess(TrainingCommon):
    """Who reads what: a partner organisation only its own people; handlers
    their own spot checks and needs; quality reviewers and supervisors all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Session = cls.env["complaint.training.session"]
        cls.org_session = Session.create(
            {
                "course_id": cls.course.id,
                "partner_org_id": cls.org.id,
                "date": "2026-11-10 09:00:00",
                "trainer": "Zhou Min",
                "online": True,
                "attendance_ids": [(0, 0, {"user_id": cls.agent.id})],
            }
        )
        cls.other_session = Session.create(
            {
                "course_id": cls.course.id,
                "partner_org_id": cls.other_org.id,
                "date": "2026-11-11 09:00:00",
                "trainer": "Wu Gang",
                "online": True,
                "attendance_ids": [(0, 0, {"user_id": cls.other_agent.id})],
            }
        )
        cls.carrier_session = Session.create(
            {
                "course_id": cls.course.id,
                "date": "2026-11-12 09:00:00",
                "trainer": "Chen Jie",
                "location": "Tianhe",
                "attendance_ids": [(0, 0, {"user_id": cls.handler.id})],
            }
        )
        Qualification = cls.env["complaint.qualification"]
        cls.qualifications = {
            user: Qualification.create(
                {
                    "user_id": user.id,
                    "category_ids": [(4, cls.category_billing.id)],
                    "reason": "Test",
                }
            )
            for user in (cls.agent, cls.agent2, cls.other_agent, cls.handler)
        }
        Review = cls.env["complaint.qa.review"]
        cases = {
            cls.handler: cls._create_complaint(user_id=cls.handler.id),
            cls.other_handler: cls._create_complaint(
                user_id=cls.other_handler.id, team_id=cls.other_team.id
            ),
            cls.agent: cls._agent_case(),
            cls.other_agent: cls._agent_case(cls.other_agent, cls.other_agreement),
        }
        cls.reviews = {
            user: Review.create(
                {
                    "ticket_id": cases[user].id,
                    "reviewed_user_id": user.id,
                    "reviewer_id": cls.qa.id,
                    "scorecard_id": cls.scorecard.id,
                }
            )
            for user in (cls.handler, cls.other_handler, cls.agent, cls.other_agent)
        }

    def _seen(self, user, model, records):
        found = self.env[model].with_user(user).search([("id", "in", records.ids)])
        return found

    def test_matrix(self):
        sessions = self.org_session | self.other_session | self.carrier_session
        quals = self.env["complaint.qualification"].union(*self.qualifications.values())
        reviews = self.env["complaint.qa.review"].union(*self.reviews.values())
        expected = {
            self.agent: (
                self.org_session,
                self.qualifications[self.agent],
                self.reviews[self.agent],
            ),
            self.org_supervisor: (
                self.org_session,
                self.qualifications[self.agent] | self.qualifications[self.agent2],
                self.reviews[self.agent],
            ),
            self.other_agent: (
                self.other_session,
                self.qualifications[self.other_agent],
                self.reviews[self.other_agent],
            ),
            self.handler: (sessions, quals, self.reviews[self.handler]),
            self.qa: (sessions, quals, reviews),
            self.supervisor: (sessions, quals, reviews),
        }
        for user, (s, q, r) in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(
                    self._seen(user, "complaint.training.session", sessions), s
                )
                self.assertEqual(self._seen(user, "complaint.qualification", quals), q)
                self.assertEqual(self._seen(user, "complaint.qa.review", reviews), r)
                lines = reviews.line_ids
                self.assertEqual(
                    self._seen(user, "complaint.qa.review.line", lines).review_id, r
                )

    def test_partners_write_only_their_own(self):
        # The supervisor agent records his organisation's sessions...
        self.org_session.with_user(self.org_supervisor).trainer = "Zhou Min (HR)"
        with self.assertRaises(AccessError):
            self.other_session.with_user(self.org_supervisor).trainer = "x"
        with self.assertRaises(UserError):
            self.env["complaint.training.session"].with_user(
                self.org_supervisor
            ).create(
                {
                    "course_id": self.course.id,
                    "partner_org_id": self.other_org.id,
                    "date": "2026-11-10 09:00:00",
                    "trainer": "x",
                    "online": True,
                }
            )
        # ...agents record nothing, and grant no qualification.
        with self.assertRaises(AccessError):
            self.org_session.with_user(self.agent).trainer = "x"
        with self.assertRaises(AccessError):
            self.env["complaint.qualification"].with_user(self.org_supervisor).create(
                {
                    "user_id": self.agent.id,
                    "category_ids": [(4, self.category_billing.id)],
                    "reason": "x",
                }
            )
        # Handlers do not score reviews nor draw plans.
        with self.assertRaises(AccessError):
            self.env["complaint.qa.plan"].with_user(self.handler).search([])
        with self.assertRaises(UserError):
            self.reviews[self.handler].with_user(self.handler).comment = "Great"

    def test_steps_and_links_are_not_forged_by_hand(self):
        """Over RPC a user writes fields, not steps: the state and dispute of a
        spot check, the qualification an attendance gave."""
        review = self.reviews[self.agent]
        for user in (self.org_supervisor, self.qa, self.agent):
            for vals in (
                {"state": "final"},
                {"dispute_reason": "forged"},
                {"first_score": 100},
            ):
                with self.subTest(user=user.login, vals=vals):
                    # (AccessError is a UserError.)
                    with self.assertRaises(UserError):
                        review.with_user(user).write(vals)
        self.assertEqual(review.state, "draft")
        # The partner supervisor is not the reviewer here: no comment either.
        with self.assertRaises(UserError):
            review.with_user(self.org_supervisor).write({"comment": "Fine"})
        review.with_user(self.qa).write({"comment": "Listened to the call."})
        review.with_user(self.qa).action_done()
        with self.assertRaises(UserError):
            review.with_user(self.qa).write({"comment": "Changed afterwards"})
        attendance = self.org_session.attendance_ids
        with self.assertRaises(UserError):
            attendance.with_user(self.org_supervisor).write(
                {"qualification_id": self.qualifications[self.agent].id}
            )

    def test_spot_checks_of_confidential_complaints(self):
        """A supervisor who may not read a confidential complaint does not
        read its spot check either (its comment tells the case)."""
        review = self.reviews[self.handler]
        review.ticket_id.with_user(self.supervisor).write(
            {"confidential": True, "confidential_reason": "vip"}
        )
        Review = self.env["complaint.qa.review"]
        self.assertFalse(
            Review.with_user(self.supervisor).search([("id", "=", review.id)])
        )
        for user in (self.qa, self.handler, self.manager):
            with self.subTest(user=user.login):
                # The reviewer, the reviewed handler and the confidential group.
                self.assertTrue(Review.with_user(user).search([("id", "=", review.id)]))
