# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user

from odoo.addons.complaint_handling.tests.common import ComplaintPartnerCommon


class TrainingCommon(ComplaintPartnerCommon):
    """Complaint users and partner organisations (complaint_handling's
    common), a quality reviewer, a course and the standard scorecard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qa = new_test_user(
            cls.env,
            login="cp_qa",
            name="Guo Hua",
            groups="complaint_training.complaint_training_group_qa",
        )
        cls.qa2 = new_test_user(
            cls.env,
            login="cp_qa2",
            name="Lin Tao",
            groups="complaint_training.complaint_training_group_qa",
        )
        cls.scorecard = cls.env.ref(
            "complaint_training.complaint_qa_scorecard_standard"
        )
        cls.course = cls.env["complaint.training.course"].create(
            {
                "name": "Billing disputes",
                "type_id": cls.env.ref(
                    "complaint_training.course_type_complaint_handling"
                ).id,
                "duration_hours": 3,
                "qualification_category_ids": [(4, cls.category_billing.parent_id.id)],
                "qualification_validity_months": 12,
            }
        )
        cls.scorecard.course_id = cls.course

    @classmethod
    def _closed(cls, user=None, **values):
        """A complaint of ``cls.handler``, driven to closed by him."""
        values.setdefault("user_id", cls.handler.id)
        ticket = cls._create_complaint(**values)
        cls._drive(ticket, "closed")
        return ticket

    @classmethod
    def _agent_case(cls, agent=None, agreement=None):
        """A complaint handed to an organisation and taken by its ``agent``."""
        agent = agent or cls.agent
        agreement = agreement or cls.agreement
        ticket = cls._create_complaint(partner_id=cls.portal_customer.partner_id.id)
        ticket.with_user(cls.handler).action_complaint_accept()
        ticket.env["complaint.transfer"].with_user(cls.handler)._hand_off(
            ticket, agreement
        )
        transfer = ticket.with_user(agent).transfer_id
        transfer.action_acknowledge()
        transfer.action_take()
        return ticket

    def _review(self, ticket, person, scores, reviewer=None, done=True):
        """A spot check of ``ticket`` scored ``scores`` (criterion name ->
        score, or None for N/A) by ``reviewer`` (the QA user)."""
        reviewer = reviewer or self.qa
        # Drawn by a quality reviewer (a plan), scored by the reviewer named.
        review = (
            self.env["complaint.qa.review"]
            .with_user(self.qa)
            .create(
                {
                    "ticket_id": ticket.id,
                    "reviewed_user_id": person.id,
                    "reviewer_id": reviewer.id,
                    "scorecard_id": self.scorecard.id,
                }
            )
            .with_user(reviewer)
        )
        for line in review.line_ids:
            score = scores.get(line.criterion_id.name, line.scale)
            if score is None:
                line.not_applicable = True
            else:
                line.score = score
        if done:
            review.action_done()
        return review
