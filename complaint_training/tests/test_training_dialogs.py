# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingDialogs(TrainingCommon):
    """Every dialog and form of the addon, through Form as users fill them."""

    def test_session_form(self):
        with Form(
            self.env["complaint.training.session"].with_user(self.supervisor)
        ) as form:
            form.course_id = self.course
            self.assertEqual(form.duration_hours, 3)
            form.date = "2026-11-20 14:00:00"
            form.trainer = "Chen Jie"
            form.online = True
            with form.attendance_ids.new() as line:
                line.user_id = self.handler
        session = form.record
        self.assertEqual(session.attendance_ids.user_id, self.handler)

    def test_scorecard_form(self):
        with Form(self.env["complaint.qa.scorecard"].with_user(self.qa)) as form:
            form.name = "Short check"
            with form.criterion_ids.new() as line:
                line.name = "Attitude"
                line.weight = 50
            with form.criterion_ids.new() as line:
                line.name = "Privacy"
                line.weight = 50
                line.critical = True
            self.assertEqual(form.total_weight, 100)
        self.assertEqual(len(form.record.criterion_ids), 2)

    def test_plan_and_review_forms(self):
        ticket = self._closed()
        with Form(self.env["complaint.qa.plan"].with_user(self.qa)) as form:
            form.name = "This month"
            form.date_from = "2026-01-01"
            form.date_to = "2026-12-31"
            form.scorecard_id = self.scorecard
            form.sample_count = 1
        plan = form.record
        self.assertTrue(plan.seed)
        with Form(self.env["complaint.qa.review"].with_user(self.qa)) as form:
            form.ticket_id = ticket
            form.reviewed_user_id = self.handler
            form.scorecard_id = self.scorecard
            self.assertEqual(len(form.line_ids), 6)
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    line.score = 4
            form.comment = "Polite, but the refund date was not given."
        review = form.record
        self.assertEqual(review.score, 80.0)

    def test_dispute_dialog(self):
        self.env.company.complaint_qa_dispute_reviewer_id = self.qa2
        review = self._review(self._closed(), self.handler, {"Communication": 1})
        action = self.env.ref("complaint_training.complaint_qa_dispute_wizard_action")
        self.assertEqual(action.res_model, "complaint.qa.dispute.wizard")
        with Form(
            self.env["complaint.qa.dispute.wizard"]
            .with_user(self.handler)
            .with_context(default_review_id=review.id)
        ) as form:
            form.reason = "The customer asked for written answers only."
        form.record.action_dispute()
        self.assertEqual(review.state, "disputed")

    def test_qualification_form(self):
        with Form(
            self.env["complaint.qualification"].with_user(self.supervisor)
        ) as form:
            form.user_id = self.handler
            form.category_ids.add(self.category_billing)
            form.reason = "Ten years on the billing desk."
        self.assertEqual(form.record.source, "granted")

    def test_settings_form(self):
        with Form(self.env["complaint.settings"].with_user(self.manager)) as form:
            form.complaint_qa_pass_score = 85
            form.complaint_qualification_warn_days = 45
        self.assertEqual(self.env.company.complaint_qa_pass_score, 85)
