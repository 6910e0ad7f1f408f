# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintRemedy(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._create_complaint()
        cls.ticket.action_complaint_accept()
        cls.ticket.action_complaint_start()

    def _remedy(self, amount, remedy_type="compensation", user=None):
        return (
            self.env["complaint.remedy"]
            .with_user(user or self.handler)
            .create(
                {
                    "ticket_id": self.ticket.id,
                    "remedy_type": remedy_type,
                    "amount": amount,
                    "description": "Compensation for the double charge.",
                }
            )
        )

    def test_within_limit_is_granted_at_once(self):
        remedy = self._remedy(50)
        remedy.action_submit()
        self.assertEqual(remedy.state, "approved")
        self.assertEqual(remedy.approver_id, self.handler)
        self.assertIn("within Li Lei", self.ticket.message_ids[0].body)

    def test_over_limit_waits_for_a_user_whose_limit_covers_it(self):
        remedy = self._remedy(300)
        remedy.action_submit()
        self.assertEqual(remedy.state, "pending")
        self.assertFalse(remedy.can_decide)
        with self.assertRaisesRegex(UserError, "over your authorisation limit"):
            remedy.action_approve()
        self.assertEqual(remedy.state, "pending")
        # Pending remedy blocks closing.
        errors = self.ticket._complaint_errors_closed()
        self.assertTrue(any("waiting for approval" in e for e in errors))
        as_supervisor = remedy.with_user(self.supervisor)
        self.assertTrue(as_supervisor.can_decide)
        as_supervisor.action_approve()
        self.assertEqual(remedy.state, "approved")
        self.assertEqual(remedy.approver_id, self.supervisor)
        self.assertIn("approved by Wang Fang", self.ticket.message_ids[0].body)

    def test_supervisor_limit_and_unlimited_manager(self):
        remedy = self._remedy(800)
        remedy.action_submit()
        with self.assertRaisesRegex(UserError, "over your authorisation limit"):
            remedy.with_user(self.supervisor).action_approve()
        remedy.with_user(self.manager).action_approve()
        self.assertEqual(remedy.state, "approved")

    def test_limits_are_configurable_per_group_and_company(self):
        limit = self.env.ref("complaint_handling.complaint_authorization_limit_handler")
        limit.amount = 100
        remedy = self._remedy(80)
        remedy.action_submit()
        self.assertEqual(remedy.state, "approved")
        limits = self.env["complaint.authorization.limit"]
        other_company = self.env["res.company"].create({"name": "Hainan branch"})
        self.assertEqual(limits._get_user_limit(self.handler, other_company), 0.0)
        self.assertIsNone(limits._get_user_limit(self.manager, self.company))

    def test_refuse_with_reason(self):
        remedy = self._remedy(300)
        remedy.action_submit()
        with self.assertRaisesRegex(UserError, "reason"):
            remedy.with_user(self.supervisor).action_refuse(" ")
        action = remedy.with_user(self.supervisor).action_open_refuse_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.supervisor)
            .with_context(**action["context"])
            .create({"reason": "The customer already got a waiver this year."})
        )
        wizard.action_refuse()
        self.assertEqual(remedy.state, "refused")
        self.assertIn("already got a waiver", self.ticket.message_ids[0].body)

    def test_state_cannot_be_written_directly(self):
        remedy = self._remedy(300)
        remedy.action_submit()
        for vals in ({"state": "approved"}, {"approver_id": self.handler.id}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                remedy.write(vals)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            remedy.write({"amount": 20})
        self.assertEqual(remedy.state, "pending")
        self.assertEqual(remedy.amount, 300)
        with self.assertRaises(UserError):
            self.env["complaint.remedy"].with_user(self.handler).create(
                {
                    "ticket_id": self.ticket.id,
                    "remedy_type": "fee_waiver",
                    "amount": 900,
                    "description": "forged",
                    "state": "approved",
                }
            )

    def test_amount_rules(self):
        with self.assertRaisesRegex(ValidationError, "no amount"):
            self._remedy(10, remedy_type="apology")
        with self.assertRaisesRegex(ValidationError, "needs an amount"):
            self._remedy(0, remedy_type="fee_waiver")
        apology = self._remedy(0, remedy_type="apology")
        apology.action_submit()
        self.assertEqual(apology.state, "approved")

    def test_cancel_and_closed_complaint(self):
        remedy = self._remedy(300)
        remedy.action_submit()
        remedy.action_cancel()
        self.assertEqual(remedy.state, "cancelled")
        with self.assertRaises(UserError):
            remedy.action_cancel()

    def test_internal_user_without_helpdesk_cannot_request(self):
        with self.assertRaises(AccessError):
            self._remedy(10, user=self.tech)
