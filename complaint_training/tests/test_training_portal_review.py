# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.complaint_handling.tests.common import ComplaintPartnerCommon

# The standard scorecard (data): weights 20, 20, 25, 15, 10, 10 (Privacy,
# critical); every criterion on a scale of 5, passed from 3.
SUPERVISOR_GROUP = "complaint_handling.complaint_handling_group_partner_supervisor"


@tagged("post_install", "-at_install")
class TestTrainingPortalReview(HttpCase, ComplaintPartnerCommon):
    """A spot check whose reviewer is the partner organisation's supervisor
    agent (plans of the carrier's quality team name one): scored and
    completed in the portal by that reviewer only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_org_supervisor = cls._new_agent(
            "cp_other_org_sup", "Xu Fang", cls.other_org, SUPERVISOR_GROUP
        )
        cls.scorecard = cls.env.ref(
            "complaint_training.complaint_qa_scorecard_standard"
        )
        ticket = cls._handed_complaint()
        cls.number = ticket.number
        cls.review = cls._draft_review(ticket, cls.org_supervisor)
        # One of the organisation's spot checks reviewed by the carrier.
        cls.carrier_review = cls._draft_review(
            cls._handed_complaint(name="Reviewed by the carrier"), cls.supervisor
        )

    @classmethod
    def _draft_review(cls, ticket, reviewer):
        """A spot check of the agent's handling of ``ticket``, to be scored by
        ``reviewer`` (as a plan draws it)."""
        # The agent handled it (took it).
        if ticket.partner_agent_id != cls.agent:
            ticket.with_user(cls.agent).transfer_id.action_take()
        return cls.env["complaint.qa.review"].create(
            {
                "ticket_id": ticket.id,
                "reviewed_user_id": cls.agent.id,
                "reviewer_id": reviewer.id,
                "scorecard_id": cls.scorecard.id,
            }
        )

    def _post(self, url, data=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data, allow_redirects=False)

    @staticmethod
    def _line(review, name):
        return review.line_ids.filtered(lambda line: line.criterion_id.name == name)

    @staticmethod
    def _scores_form(review, scores=None, not_applicable=(), comment=""):
        """The form's fields: ``scores`` by criterion name (typed as given),
        full marks otherwise; ``not_applicable`` criteria ticked N/A."""
        scores = scores or {}
        data = {"comment": comment}
        for line in review.line_ids:
            name = line.criterion_id.name
            data[f"score_{line.id}"] = str(scores.get(name, line.scale))
            if name in not_applicable:
                data[f"na_{line.id}"] = "1"
        return data

    def _assert_untouched(self, review):
        self.env.invalidate_all()
        self.assertEqual(review.state, "draft")
        self.assertEqual(review.line_ids.mapped("score"), [5] * 6)
        self.assertFalse(any(review.line_ids.mapped("not_applicable")))
        self.assertFalse(review.comment)
        self.assertEqual(review.score, 100.0)

    def test_supervisor_scores_and_completes(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        url = f"/my/training/reviews/{self.review.id}"
        home = self.url_open("/my/training").text
        self.assertIn("o_training_to_review_link", home)
        self.assertIn(f'href="{url}"', home)
        self.assertIn(self.number, home)
        # The carrier's reviewer scores that one.
        self.assertNotIn(f"/my/training/reviews/{self.carrier_review.id}", home)
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_training_review_form", page.text)
        for line in self.review.line_ids:
            self.assertIn(f'name="score_{line.id}" value="5"', page.text)
            self.assertIn(f'name="na_{line.id}"', page.text)
        self.assertIn("Privacy", page.text)
        self.assertIn("Critical", page.text)
        self.assertNotIn("o_training_dispute_form", page.text)
        # Saved: Communication not applicable (its score, not used, kept).
        response = self._post(
            f"{url}/scores",
            self._scores_form(
                self.review,
                {"Service attitude": "4", "Problem solving": "3", "Communication": ""},
                not_applicable=("Communication",),
                comment="  The bill was checked late.  ",
            ),
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"{url}?done=scores"))
        self.env.invalidate_all()
        review = self.review
        self.assertEqual(review.state, "draft")
        self.assertEqual(self._line(review, "Service attitude").score, 4)
        self.assertEqual(self._line(review, "Problem solving").score, 3)
        communication = self._line(review, "Communication")
        self.assertTrue(communication.not_applicable)
        self.assertEqual(communication.score, 5)
        self.assertEqual(review.comment, "The bill was checked late.")
        # Weights scored 90: 20*4/5 + 20 + 25*3/5 + 15 + 10 = 76; 100*76/90.
        self.assertEqual(review.score, 84.44)
        page = self.url_open(f"{url}?done=scores").text
        self.assertIn("o_training_done", page)
        self.assertIn(f'name="na_{communication.id}" checked', page)
        self.assertIn(
            f'name="score_{self._line(review, "Service attitude").id}" value="4"',
            page,
        )
        self.assertIn("The bill was checked late.", page)
        # Completed: saved first (Communication scored 2 after all).
        response = self._post(
            f"{url}/done",
            self._scores_form(
                review,
                {"Service attitude": "4", "Problem solving": "3", "Communication": "2"},
                comment="The bill was checked late.",
            ),
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"{url}?done=done"))
        self.env.invalidate_all()
        self.assertEqual(review.state, "done")
        self.assertFalse(communication.not_applicable)
        self.assertEqual(
            review.line_ids.mapped("score"), [4, 5, 3, 5, 2, 5], "in criteria order"
        )
        # 20*4/5 + 20 + 25*3/5 + 15 + 10*2/5 + 10 = 16+20+15+15+4+10 = 80.
        self.assertEqual(review.score, 80.0)
        self.assertFalse(review.critical_failed)
        # Read-only from now on.
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("o_training_review_form", page.text)
        self.assertIn("Reviewed", page.text)
        self.assertIn("The bill was checked late.", page.text)
        response = self._post(f"{url}/scores", self._scores_form(review))
        self.assertEqual(response.status_code, 400)
        self.assertIn("already reviewed", response.text)
        self.env.invalidate_all()
        self.assertEqual(review.line_ids.mapped("score"), [4, 5, 3, 5, 2, 5])
        home = self.url_open("/my/training").text
        self.assertNotIn("o_training_to_review_link", home)
        # Among the spot checks of the organisation's people.
        self.assertIn(f'href="{url}"', home)

    def test_a_critical_criterion_failed_scores_zero(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        url = f"/my/training/reviews/{self.review.id}"
        response = self._post(
            f"{url}/done", self._scores_form(self.review, {"Privacy": "1"})
        )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(self.review.state, "done")
        self.assertTrue(self.review.critical_failed)
        self.assertEqual(self.review.score, 0.0)
        self.assertIn("A critical criterion failed", self.url_open(url).text)

    def test_bad_scores_keep_what_was_typed(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        url = f"/my/training/reviews/{self.review.id}"
        attitude = self._line(self.review, "Service attitude")
        solving = self._line(self.review, "Problem solving")
        communication = self._line(self.review, "Communication")
        for bad in ("6", "-1", "abc", "", "2.5", "nan", "1e9"):
            for action in ("scores", "done"):
                with self.subTest(score=bad, action=action):
                    response = self._post(
                        f"{url}/{action}",
                        self._scores_form(
                            self.review,
                            {"Service attitude": "2", "Problem solving": bad},
                            not_applicable=("Communication",),
                            comment="Typed comment",
                        ),
                    )
                    self.assertEqual(response.status_code, 400)
                    self.assertIn("o_training_error", response.text)
                    self.assertIn(
                        "Problem solving is scored with a whole number from 0 to 5",
                        response.text,
                    )
                    # What was typed is still there, in the form.
                    self.assertIn("o_training_review_form", response.text)
                    self.assertIn(
                        f'name="score_{attitude.id}" value="2"', response.text
                    )
                    self.assertIn(
                        f'name="score_{solving.id}" value="{bad}"', response.text
                    )
                    self.assertIn(
                        f'name="na_{communication.id}" checked', response.text
                    )
                    self.assertIn("Typed comment", response.text)
                    self._assert_untouched(self.review)

    def test_others_get_not_found(self):
        url = f"/my/training/reviews/{self.review.id}"
        data = self._scores_form(self.review, {"Privacy": "0"}, comment="Forged")
        # The reviewed agent, a colleague, another organisation's supervisor.
        for login in ("cp_agent", "cp_agent2", "cp_other_org_sup"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertEqual(self.url_open(url).status_code, 404)
                self.assertNotIn(url, self.url_open("/my/training").text)
                for action in ("scores", "done"):
                    response = self._post(f"{url}/{action}", data)
                    self.assertEqual(response.status_code, 404)
        self._assert_untouched(self.review)
        # The organisation's supervisor reads, but does not score, the
        # carrier's spot check while it is reviewed.
        self.authenticate("cp_org_sup", "cp_org_sup")
        url = f"/my/training/reviews/{self.carrier_review.id}"
        self.assertEqual(self.url_open(url).status_code, 404)
        data = self._scores_form(self.carrier_review, {"Privacy": "0"})
        for action in ("scores", "done"):
            self.assertEqual(self._post(f"{url}/{action}", data).status_code, 404)
        self._assert_untouched(self.carrier_review)
        # Another spot check's scores, forged into the form, are left alone.
        response = self._post(
            f"/my/training/reviews/{self.review.id}/scores",
            data | self._scores_form(self.review, comment="Mine"),
        )
        self.assertEqual(response.status_code, 303)
        self._assert_untouched(self.carrier_review)
        self.assertEqual(self.review.comment, "Mine")

    def test_scores_need_post_and_the_csrf_token(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        url = f"/my/training/reviews/{self.review.id}"
        data = self._scores_form(self.review, {"Privacy": "0"})
        for action in ("scores", "done"):
            response = self.url_open(f"{url}/{action}", allow_redirects=False)
            self.assertEqual(response.status_code, 405)
            with mute_logger("odoo.http"):
                response = self.url_open(
                    f"{url}/{action}", data=data, allow_redirects=False
                )
            self.assertEqual(response.status_code, 400)
        self._assert_untouched(self.review)

    # As the user clicks ------------------------------------------------------

    def test_supervisor_review_tour(self):
        self.start_tour(
            "/my/training",
            "complaint_training_portal_reviewer_tour",
            login="cp_org_sup",
        )
        self.env.invalidate_all()
        review = self.review
        self.assertEqual(review.state, "done")
        self.assertEqual(review.line_ids.mapped("score"), [5, 5, 5, 5, 3, 5])
        # Communication (weight 10) at 3 of 5: 100 - 10 * 2/5.
        self.assertEqual(review.score, 96.0)
        self.assertEqual(review.comment, "Tour: the customer was interrupted twice.")
