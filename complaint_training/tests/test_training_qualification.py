# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingQualification(TrainingCommon):
    def _vals(self, user, **values):
        vals = {
            "user_id": user.id,
            "category_ids": [(4, self.category_billing.id)],
            "date_start": "2026-01-01",
            "date_end": "2026-12-31",
            "reason": "Passed the carrier's billing exam in 2025.",
        }
        vals.update(values)
        return vals

    def test_granted_by_a_supervisor_and_logged(self):
        Qualification = self.env["complaint.qualification"]
        with self.assertRaises(UserError):
            Qualification.with_user(self.handler).create(self._vals(self.handler))
        with self.assertRaises(UserError):
            Qualification.with_user(self.supervisor).create(
                self._vals(self.handler, reason="")
            )
        qualification = Qualification.with_user(self.supervisor).create(
            self._vals(self.handler)
        )
        self.assertEqual(qualification.granted_by_id, self.supervisor)
        self.assertIn("billing exam", qualification.message_ids[0].body)

    def test_bad_dates_and_scope_are_refused(self):
        Qualification = self.env["complaint.qualification"].with_user(self.supervisor)
        with self.assertRaises(ValidationError) as caught:
            Qualification.create(
                self._vals(self.handler, date_start="2026-06-01", date_end="2026-05-01")
            )
        self.assertIn("cannot end before it starts", str(caught.exception))
        with self.assertRaises(ValidationError):
            Qualification.create(self._vals(self.handler, category_ids=[]))
        self.assertFalse(Qualification.search([("user_id", "=", self.handler.id)]))

    def test_validity_state(self):
        qualification = (
            self.env["complaint.qualification"]
            .with_user(self.supervisor)
            .create(self._vals(self.handler))
        )
        Qualification = self.env["complaint.qualification"]
        for day, state in (
            ("2025-12-31", "future"),
            ("2026-06-01", "valid"),
            ("2027-01-01", "expired"),
        ):
            with freeze_time(day):
                qualification.invalidate_recordset(["state"])
                self.assertEqual(qualification.state, state, day)
                self.assertIn(
                    qualification,
                    Qualification.search([("state", "=", state)]),
                    day,
                )

    def test_expiry_warns_holder_and_supervisor_30_days_ahead(self):
        self.team.user_id = self.supervisor
        handler_q = (
            self.env["complaint.qualification"]
            .with_user(self.supervisor)
            .create(self._vals(self.handler, date_end="2026-12-31"))
        )
        agent_q = (
            self.env["complaint.qualification"]
            .with_user(self.supervisor)
            .create(self._vals(self.agent, date_end="2026-12-20"))
        )
        Message = self.env["mail.message"]

        def notices(qualification):
            return Message.search(
                [
                    ("model", "=", "complaint.qualification"),
                    ("res_id", "=", qualification.id),
                    ("message_type", "=", "user_notification"),
                ]
            )

        with freeze_time("2026-11-30"):
            self.env["complaint.qualification"]._cron_warn_expiry()
        self.assertFalse(notices(handler_q), "31 days ahead: not yet")
        self.assertTrue(notices(agent_q), "20 days ahead")
        self.assertEqual(
            notices(agent_q).partner_ids,
            self.agent.partner_id | self.org_supervisor.partner_id,
        )
        with freeze_time("2026-12-01"):
            self.env["complaint.qualification"]._cron_warn_expiry()
        self.assertEqual(
            notices(handler_q).partner_ids,
            self.handler.partner_id | self.supervisor.partner_id,
        )
        # Once only.
        with freeze_time("2026-12-02"):
            self.env["complaint.qualification"]._cron_warn_expiry()
        self.assertEqual(len(notices(handler_q)), 2)

    def test_passing_an_assessed_course_qualifies(self):
        survey = self.env["survey.survey"].create(
            {
                "title": "Billing exam",
                "certification": True,
                "scoring_type": "scoring_with_answers",
                "scoring_success_min": 70,
            }
        )
        question = self.env["survey.question"].create(
            {
                "survey_id": survey.id,
                "title": "May a plan fee be charged twice in a month?",
                "question_type": "simple_choice",
                "suggested_answer_ids": [
                    (0, 0, {"value": "No", "is_correct": True, "answer_score": 10}),
                    (0, 0, {"value": "Yes", "answer_score": 0}),
                ],
            }
        )
        right, wrong = question.suggested_answer_ids
        self.course.survey_id = survey
        self.assertEqual(self.course.pass_mark, 70)
        session = (
            self.env["complaint.training.session"]
            .with_user(self.supervisor)
            .create(
                {
                    "course_id": self.course.id,
                    "date": "2026-11-10 09:00:00",
                    "trainer": "Chen Jie",
                    "location": "Tianhe training room 3",
                    "attendance_ids": [
                        (0, 0, {"user_id": self.handler.id}),
                        (0, 0, {"user_id": self.other_handler.id}),
                        (0, 0, {"user_id": self.tech.id, "attended": False}),
                    ],
                }
            )
        )
        session.action_done()
        results = dict((a.user_id, a.result) for a in session.attendance_ids.sudo())
        self.assertEqual(results[self.tech], "absent")
        self.assertEqual(results[self.handler], "pending", "the assessment decides")
        for user, answer in ((self.handler, right), (self.other_handler, wrong)):
            user_input = self.env["survey.user_input"].create(
                {"survey_id": survey.id, "partner_id": user.partner_id.id}
            )
            user_input._save_lines(question, answer.id)
            user_input._mark_done()
        attendance = session.attendance_ids.filtered(
            lambda a: a.user_id == self.handler
        )
        self.assertEqual((attendance.result, attendance.score), ("passed", 100.0))
        qualification = attendance.qualification_id
        self.assertEqual(qualification.source, "course")
        self.assertEqual(str(qualification.date_end), "2027-11-10")
        failed = session.attendance_ids.filtered(
            lambda a: a.user_id == self.other_handler
        )
        self.assertEqual(failed.result, "failed")
        self.assertFalse(failed.qualification_id)

    def test_attendance_of_someone_outside_the_organisation(self):
        session = (
            self.env["complaint.training.session"]
            .with_user(self.supervisor)
            .create(
                {
                    "course_id": self.course.id,
                    "partner_org_id": self.org.id,
                    "date": "2026-11-10 09:00:00",
                    "trainer": "Zhou Min",
                    "online": True,
                }
            )
        )
        with self.assertRaises(ValidationError) as caught:
            session.write(
                {"attendance_ids": [(0, 0, {"user_id": self.other_agent.id})]}
            )
        self.assertIn("is not one of", str(caught.exception))
        self.assertFalse(session.attendance_ids)
        session.write({"attendance_ids": [(0, 0, {"user_id": self.agent.id})]})
        with self.assertRaises(ValidationError):
            session.write({"location": False, "online": False})
