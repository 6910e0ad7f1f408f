# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime
from urllib.parse import urlencode

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.complaint_handling.tests.common import ComplaintPartnerCommon

# Names the tour (static/tests/tours/complaint_training_portal_tours.js)
# looks for.
TOUR_COURSE = "Tour: calming an angry customer"
TOUR_TRAINER = "Tour trainer Qian Yu"


@tagged("post_install", "-at_install")
class TestTrainingPortal(HttpCase, ComplaintPartnerCommon):
    """The training portal over HTTP: a partner organisation's supervisor
    agent records sessions and attendance, an agent reads and disputes a
    spot check; nobody reaches another organisation's records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Typed times are the supervisor's local time.
        cls.org_supervisor.tz = "Asia/Shanghai"
        cls.qa = new_test_user(
            cls.env,
            login="cp_portal_qa",
            name="Guo Hua",
            groups="complaint_training.complaint_training_group_qa",
        )
        cls.qa2 = new_test_user(
            cls.env,
            login="cp_portal_qa2",
            name="Lin Tao",
            groups="complaint_training.complaint_training_group_qa",
        )
        # The company's dispute reviewer (the database may hold other quality
        # reviewers).
        cls.env.company.complaint_qa_dispute_reviewer_id = cls.qa2
        Course = cls.env["complaint.training.course"]
        course_type = cls.env.ref("complaint_training.course_type_complaint_handling")
        cls.course = Course.create(
            {
                "name": "Billing disputes, step by step",
                "type_id": course_type.id,
                "duration_hours": 3,
                "qualification_category_ids": [(4, cls.category_billing.id)],
                "qualification_validity_months": 12,
            }
        )
        cls.tour_course = Course.create(
            {"name": TOUR_COURSE, "type_id": course_type.id, "duration_hours": 2}
        )
        cls.archived_course = Course.create(
            {"name": "Retired course", "type_id": course_type.id, "active": False}
        )
        cls.scorecard = cls.env.ref(
            "complaint_training.complaint_qa_scorecard_standard"
        )
        cls.scorecard.course_id = cls.course
        ticket = cls._closed_complaint()
        cls.number = ticket.number
        cls.review = cls._done_review(
            ticket,
            cls.agent,
            {"Problem solving": 1, "Process compliance": 1, "Communication": None},
            comment="The refund was promised before checking the bill.",
        )
        cls.colleague_review = cls._done_review(
            cls._closed_complaint(name="Colleague's complaint"), cls.agent2, {}
        )
        cls.other_review = cls._done_review(
            cls._closed_complaint(name="Other organisation's complaint"),
            cls.other_agent,
            {},
        )
        Session = cls.env["complaint.training.session"]
        cls.org_session = Session.create(
            {
                "course_id": cls.course.id,
                "partner_org_id": cls.org.id,
                "date": "2026-02-10 01:00:00",
                "trainer": "Trainer Zheng",
                "location": "Room 3",
            }
        )
        cls.other_session = Session.create(
            {
                "course_id": cls.course.id,
                "partner_org_id": cls.other_org.id,
                "date": "2026-02-11 01:00:00",
                "trainer": "OTHER-ORG-TRAINER",
                "online": True,
            }
        )

    @classmethod
    def _closed_complaint(cls, **values):
        """A complaint handled and closed by ``cls.handler``."""
        ticket = cls._create_complaint(**values).with_user(cls.handler)
        ticket.action_complaint_accept()
        ticket.action_complaint_start()
        ticket.solution_measures = "Refund the duplicated plan fee."
        ticket.action_complaint_confirm_solution()
        cls.env["complaint.feedback"].with_user(cls.handler).create(
            {
                "ticket_id": ticket.id,
                "channel": "phone",
                "conclusion": "The fee was charged twice; it is refunded.",
            }
        )
        ticket.action_complaint_report_result()
        cls.env["complaint.callback"].with_user(cls.handler).create(
            {
                "ticket_id": ticket.id,
                "reached": True,
                "satisfaction": "5",
                "problem_solved": True,
            }
        )
        ticket.action_complaint_close()
        return ticket.with_env(cls.env)

    @classmethod
    def _done_review(cls, ticket, person, scores, **values):
        """A spot check of ``ticket`` reviewed by ``cls.qa``: ``scores`` by
        criterion name (None: not applicable), the best score otherwise."""
        # The reviewed person handled the complaint (its agent or handler).
        field = "partner_agent_id" if person.share else "user_id"
        ticket._complaint_write({field: person.id})
        review = cls.env["complaint.qa.review"].create(
            {
                "ticket_id": ticket.id,
                "reviewed_user_id": person.id,
                "reviewer_id": cls.qa.id,
                "scorecard_id": cls.scorecard.id,
                **values,
            }
        )
        for line in review.line_ids:
            score = scores.get(line.criterion_id.name, line.scale)
            if score is None:
                line.not_applicable = True
            else:
                line.score = score
        review.with_user(cls.qa).action_done()
        return review

    def _post(self, url, data=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data, allow_redirects=False)

    def _sessions(self):
        return self.env["complaint.training.session"].search(
            [("partner_org_id", "in", (self.org | self.other_org).ids)]
        )

    # Pages ---------------------------------------------------------------

    def test_home_card_and_pages_by_role(self):
        self.authenticate("cp_agent", "cp_agent")
        self.assertIn('href="/my/training"', self.url_open("/my").text)
        page = self.url_open("/my/training")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.number, page.text)
        self.assertNotIn("o_training_new_session", page.text)
        self.assertNotIn("Open training needs", page.text)
        self.assertNotIn("OTHER-ORG-TRAINER", page.text)
        # The supervisor agent: the organisation's sessions, spot checks and
        # training needs (the agent's low score proposed the course).
        self.assertTrue(
            self.env["complaint.training.need"].search(
                [("user_id", "=", self.agent.id), ("course_id", "=", self.course.id)]
            )
        )
        self.authenticate("cp_org_sup", "cp_org_sup")
        page = self.url_open("/my/training").text
        self.assertIn("o_training_new_session", page)
        self.assertIn("Trainer Zheng", page)
        self.assertIn(f"/my/training/reviews/{self.review.id}", page)
        self.assertIn(f"/my/training/reviews/{self.colleague_review.id}", page)
        self.assertNotIn(f"/my/training/reviews/{self.other_review.id}", page)
        self.assertNotIn("OTHER-ORG-TRAINER", page)
        self.assertIn("Open training needs", page)
        self.assertIn(self.course.name, page)
        review_page = self.url_open(f"/my/training/reviews/{self.review.id}")
        self.assertEqual(review_page.status_code, 200)
        self.assertNotIn("o_training_dispute_form", review_page.text)
        # Customers and the carrier's staff have no training portal.
        for login in ("cp_customer", "cp_handler"):
            self.authenticate(login, login)
            self.assertNotIn('href="/my/training"', self.url_open("/my").text)
            self.assertEqual(self.url_open("/my/training").status_code, 404, login)
            self.assertEqual(
                self.url_open(f"/my/training/reviews/{self.review.id}").status_code,
                404,
                login,
            )

    # The supervisor agent's sessions ---------------------------------------

    def test_supervisor_records_a_session(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        form = self.url_open("/my/training/sessions/new")
        self.assertEqual(form.status_code, 200)
        self.assertIn(self.course.name, form.text)
        self.assertNotIn(self.archived_course.name, form.text)
        response = self._post(
            "/my/training/sessions/new",
            {
                "course_id": self.course.id,
                "date": "2026-03-02T09:30",
                "duration_hours": "2.5",
                "trainer": "Trainer Wang",
                "location": "Guangzhou office, room 5",
                # Forged: the organisation is always the user's.
                "partner_org_id": self.other_org.id,
            },
        )
        self.assertEqual(response.status_code, 303)
        session = self._sessions().filtered(lambda s: s.trainer == "Trainer Wang")
        self.assertEqual(len(session), 1)
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/my/training/sessions/{session.id}?done=created"
            )
        )
        self.assertEqual(session.partner_org_id, self.org)
        self.assertEqual(session.course_id, self.course)
        self.assertEqual(session.duration_hours, 2.5)
        # 09:30 in Shanghai.
        self.assertEqual(session.date, datetime(2026, 3, 2, 1, 30))
        self.assertEqual(session.location, "Guangzhou office, room 5")
        self.assertFalse(session.online)
        self.assertEqual(session.state, "planned")
        page = self.url_open(f"/my/training/sessions/{session.id}").text
        for agent in (self.agent, self.agent2, self.org_supervisor):
            self.assertIn(f'name="score_{agent.id}"', page)
        self.assertNotIn(f'name="score_{self.other_agent.id}"', page)
        # Two agents attended, then one of them turns out absent.
        base = f"/my/training/sessions/{session.id}"
        response = self._post(
            f"{base}/attendance",
            {
                "attendee_ids": [self.agent.id, self.agent2.id],
                f"score_{self.agent.id}": "70",
            },
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(session.attendance_ids.user_id, self.agent | self.agent2)
        response = self._post(
            f"{base}/attendance",
            {"attendee_ids": [self.agent.id], f"score_{self.agent.id}": "85"},
        )
        self.assertEqual(response.status_code, 303)
        session.invalidate_recordset()
        mine = session.attendance_ids.filtered(lambda a: a.user_id == self.agent)
        absent = session.attendance_ids - mine
        self.assertEqual(absent.user_id, self.agent2)
        self.assertEqual((mine.attended, mine.score), (True, 85.0))
        self.assertFalse(absent.attended)
        # Closed: the agent present passed, the hours counted.
        response = self._post(f"{base}/done")
        self.assertEqual(response.status_code, 303)
        session.invalidate_recordset()
        self.assertEqual(session.state, "done")
        self.assertEqual((mine.result, mine.hours), ("passed", 2.5))
        self.assertEqual((absent.result, absent.hours), ("absent", 0.0))
        self.agent.invalidate_recordset(["complaint_training_hours"])
        self.assertEqual(self.agent.complaint_training_hours, 2.5)
        # The organisation's own session, on a course without assessment:
        # no qualification (the carrier's sessions or an assessment give one).
        self.assertFalse(mine.qualification_id)
        # Once closed, neither attendance nor closing again.
        response = self._post(f"{base}/attendance", {"attendee_ids": [self.agent2.id]})
        self.assertEqual(response.status_code, 400)
        self.assertIn("while the session is planned", response.text)
        response = self._post(f"{base}/done")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Only a planned session can be closed", response.text)
        self.assertEqual(len(session.attendance_ids), 2)
        # The agent reads it in their training record.
        self.authenticate("cp_agent", "cp_agent")
        page = self.url_open("/my/training").text
        self.assertIn(f"/my/training/sessions/{session.id}", page)
        self.assertIn("Passed", page)
        self.assertEqual(self.url_open(base).status_code, 200)

    def test_bad_session_input_keeps_what_was_typed(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        before = self._sessions()
        good = {
            "course_id": str(self.course.id),
            "date": "2026-03-02T09:30",
            "duration_hours": "2",
            "trainer": "Trainer Wang",
            "location": "Room TYPED-PLACE",
        }
        cases = [
            ({"trainer": "  "}, "Give the trainer"),
            ({"location": "", "trainer": "Trainer TYPED"}, "Give the place"),
            ({"duration_hours": "0"}, "The hours of a session are more than 0"),
            ({"duration_hours": "-1"}, "The hours of a session are more than 0"),
            ({"duration_hours": "two"}, "are a number"),
            ({"duration_hours": "nan"}, "are a number"),
            ({"date": ""}, "Give the date and time"),
            ({"course_id": "999999999"}, "Choose a course"),
            ({"course_id": str(self.archived_course.id)}, "Choose a course"),
            ({"course_id": "abc"}, "Choose a course"),
        ]
        for change, message in cases:
            with self.subTest(change=change):
                response = self._post("/my/training/sessions/new", good | change)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertIn("o_training_error", response.text)
                # What was typed is still there.
                typed = (good | change)["trainer"].strip()
                if typed:
                    self.assertIn(f'value="{typed}"', response.text)
                if change.get("location") is None:
                    self.assertIn('value="Room TYPED-PLACE"', response.text)
        self.assertEqual(self._sessions(), before)

    def test_attendance_refuses_other_people(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        base = f"/my/training/sessions/{self.org_session.id}"
        # Another organisation's agent, forged into the form.
        response = self._post(
            f"{base}/attendance",
            {
                "attendee_ids": [self.agent.id, self.other_agent.id],
                f"score_{self.agent.id}": "90",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not one of", response.text)
        # What was ticked and typed is kept.
        self.assertIn(f'value="{self.agent.id}" checked', response.text)
        self.assertIn('value="90"', response.text)
        for data in (
            {"attendee_ids": [999999999]},
            {"attendee_ids": ["x"]},
            {"attendee_ids": [self.agent.id], f"score_{self.agent.id}": "lots"},
            {"attendee_ids": [self.agent.id], f"score_{self.agent.id}": "120"},
        ):
            with self.subTest(data=data):
                response = self._post(f"{base}/attendance", data)
                self.assertEqual(response.status_code, 400)
                self.assertIn("o_training_error", response.text)
        self.assertFalse(self.org_session.attendance_ids)
        # Another organisation's session: not found.
        for action in ("attendance", "done"):
            response = self._post(
                f"/my/training/sessions/{self.other_session.id}/{action}",
                {"attendee_ids": [self.agent.id]},
            )
            self.assertEqual(response.status_code, 404)
        self.assertEqual(self.other_session.state, "planned")
        self.assertFalse(self.other_session.attendance_ids)

    # The agent's spot check --------------------------------------------------

    def test_agent_disputes_a_spot_check_once(self):
        self.authenticate("cp_agent", "cp_agent")
        url = f"/my/training/reviews/{self.review.id}"
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        for text in (
            self.number,
            "Problem solving",
            "N/A",
            "The refund was promised before checking the bill.",
            "o_training_dispute_form",
        ):
            self.assertIn(text, page.text)
        response = self._post(f"{url}/dispute", {"reason": "  "})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Say why you dispute the result", response.text)
        self.assertEqual(self.review.state, "done")
        response = self._post(
            f"{url}/dispute", {"reason": "The customer asked for the refund."}
        )
        self.assertEqual(response.status_code, 303)
        self.review.invalidate_recordset()
        self.assertEqual(self.review.state, "disputed")
        self.assertEqual(
            self.review.dispute_reason, "The customer asked for the refund."
        )
        self.assertEqual(self.review.second_reviewer_id, self.qa2)
        page = self.url_open(url).text
        self.assertIn("The customer asked for the refund.", page)
        self.assertNotIn("o_training_dispute_form", page)
        # Once only.
        response = self._post(f"{url}/dispute", {"reason": "Again"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("disputed once", response.text)
        self.review.invalidate_recordset()
        self.assertEqual(
            self.review.dispute_reason, "The customer asked for the refund."
        )

    def test_only_the_reviewed_agent_disputes(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        url = f"/my/training/reviews/{self.review.id}/dispute"
        response = self._post(url, {"reason": "On the agent's behalf"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Only the reviewed person disputes", response.text)
        self.authenticate("cp_agent2", "cp_agent2")
        self.assertEqual(self._post(url, {"reason": "x"}).status_code, 404)
        self.assertEqual(self.review.state, "done")
        self.assertFalse(self.review.dispute_reason)

    def test_agent_stays_in_their_own_records(self):
        self.authenticate("cp_agent", "cp_agent")
        for url in (
            f"/my/training/sessions/{self.other_session.id}",
            f"/my/training/reviews/{self.other_review.id}",
            # A colleague's spot check is theirs and their supervisor's.
            f"/my/training/reviews/{self.colleague_review.id}",
            "/my/training/reviews/999999999",
            "/my/training/sessions/999999999",
            "/my/training/sessions/new",
        ):
            self.assertEqual(self.url_open(url).status_code, 404, url)
        response = self._post(
            f"/my/training/reviews/{self.other_review.id}/dispute", {"reason": "x"}
        )
        self.assertEqual(response.status_code, 404)
        # An agent records no session, nor attendance.
        before = self._sessions()
        response = self._post(
            "/my/training/sessions/new",
            {
                "course_id": self.course.id,
                "date": "2026-03-02T09:30",
                "trainer": "Self-made trainer",
                "online": "1",
            },
        )
        self.assertIn(response.status_code, (403, 404))
        self.assertEqual(self._sessions(), before)
        base = f"/my/training/sessions/{self.org_session.id}"
        response = self._post(f"{base}/attendance", {"attendee_ids": [self.agent.id]})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self._post(f"{base}/done").status_code, 404)
        self.assertFalse(self.org_session.attendance_ids)
        self.assertEqual(self.org_session.state, "planned")
        # The agent reads their organisation's session, without its forms.
        page = self.url_open(base)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("o_training_attendance_form", page.text)

    def test_posts_need_post_and_the_csrf_token(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        before = self._sessions()
        data = {
            "course_id": self.course.id,
            "date": "2026-03-02T09:30",
            "trainer": "Trainer Wang",
            "online": "1",
        }
        # The form's GET shows the form and saves nothing.
        self.assertEqual(
            self.url_open(f"/my/training/sessions/new?{urlencode(data)}").status_code,
            200,
        )
        base = f"/my/training/sessions/{self.org_session.id}"
        for url in (f"{base}/attendance", f"{base}/done"):
            response = self.url_open(
                f"{url}?attendee_ids={self.agent.id}", allow_redirects=False
            )
            self.assertEqual(response.status_code, 405)
        # Without the token, nothing happens.
        with mute_logger("odoo.http"):
            for url, payload in (
                ("/my/training/sessions/new", data),
                (f"{base}/attendance", {"attendee_ids": self.agent.id}),
                (f"{base}/done", {"x": "1"}),
            ):
                response = self.url_open(url, data=payload, allow_redirects=False)
                self.assertEqual(response.status_code, 400, url)
        self.assertEqual(self._sessions(), before)
        self.assertFalse(self.org_session.attendance_ids)
        self.assertEqual(self.org_session.state, "planned")
        self.authenticate("cp_agent", "cp_agent")
        url = f"/my/training/reviews/{self.review.id}/dispute"
        self.assertEqual(
            self.url_open(f"{url}?reason=x", allow_redirects=False).status_code, 405
        )
        with mute_logger("odoo.http"):
            response = self.url_open(url, data={"reason": "x"}, allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.review.state, "done")

    # As the user clicks ------------------------------------------------------

    def test_supervisor_tour(self):
        self.start_tour(
            "/my/training",
            "complaint_training_portal_supervisor_tour",
            login="cp_org_sup",
        )
        session = self._sessions().filtered(lambda s: s.trainer == TOUR_TRAINER)
        self.assertEqual(len(session), 1)
        self.assertEqual(session.course_id, self.tour_course)
        self.assertEqual(session.partner_org_id, self.org)
        self.assertTrue(session.online)
        self.assertEqual(session.duration_hours, 3.0)
        self.assertEqual(session.date, datetime(2026, 3, 2, 1, 30))
        self.assertEqual(session.state, "done")
        attendance = session.attendance_ids
        self.assertEqual(attendance.user_id, self.agent)
        self.assertEqual(attendance.score, 88)
        self.assertEqual((attendance.result, attendance.hours), ("passed", 3.0))
