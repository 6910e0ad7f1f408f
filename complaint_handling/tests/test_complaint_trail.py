# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintPartnerCommon


@tagged("post_install", "-at_install")
class TestComplaintRecordsKept(ComplaintPartnerCommon):
    """What the customer, a partner agent or a handler recorded on a complaint
    stays as it was recorded: nobody rewrites it, the carrier's staff
    included; a correction is a new record."""

    def test_agent_and_customer_records_are_not_rewritten(self):
        ticket = self._handed_complaint()
        transfer = ticket.with_user(self.agent).transfer_id
        log = transfer.action_add_log(
            {
                "log_type": "contact",
                "contact_result": "reached",
                "description": "The customer confirmed the double charge.",
            }
        )
        transfer.action_take()
        transfer.action_propose_solution("Refund the duplicated fee.")
        transfer.action_confirm_solution()
        transfer.action_report_result(
            {"channel": "phone", "conclusion": "Refunded the duplicated fee."}
        )
        rating = ticket.with_user(self.portal_customer).action_portal_rate(
            "2", False, "Still not refunded."
        )
        feedback = ticket.feedback_ids
        for user in (self.handler, self.supervisor, self.manager):
            for record, vals in (
                (log, {"description": "Nothing found."}),
                (log, {"contact_result": "no_answer"}),
                (feedback, {"conclusion": "No refund due."}),
                (rating, {"satisfaction": "5", "comment": "Perfect."}),
            ):
                with (
                    self.subTest(user=user.login, model=record._name, vals=vals),
                    self.assertRaises(UserError),
                ):
                    record.with_user(user).write(vals)
        self.assertEqual(log.description, "The customer confirmed the double charge.")
        self.assertEqual(feedback.conclusion, "Refunded the duplicated fee.")
        self.assertEqual(
            (rating.satisfaction, rating.comment), ("2", "Still not refunded.")
        )

    def test_the_technical_answer_is_still_given(self):
        ticket = self._create_complaint(user=self.handler)
        request = (
            self.env["complaint.handling.log"]
            .with_user(self.handler)
            .create(
                {
                    "ticket_id": ticket.id,
                    "log_type": "tech_request",
                    "description": "Check the base station near the flat.",
                }
            )
        )
        answer = request.with_user(self.tech)
        answer.tech_answer = "The cell was overloaded; capacity added."
        answer.action_answer_tech_request()
        self.assertTrue(request.tech_answer_date)
        with self.assertRaisesRegex(UserError, "record a new one"):
            request.with_user(self.handler).write({"description": "Nothing."})


@tagged("post_install", "-at_install")
class TestComplaintHandOffEnds(ComplaintPartnerCommon):
    def test_ending_a_hand_off_rotates_the_access_tokens(self):
        """A link with a token sent to the organisation while the complaint
        was theirs stops working when the hand-off ends, however it ends."""
        ends = {
            "recalled": lambda t: t.with_user(self.handler)._complaint_take_back(),
            "returned": lambda t: t.with_user(self.agent).transfer_id.action_return(
                "incomplete", "The bill number is missing."
            ),
            "reassigned": lambda t: self.env["complaint.transfer"]
            .with_user(self.handler)
            ._hand_off(t, self.other_agreement),
        }
        for state, end in ends.items():
            with self.subTest(end=state):
                ticket = self._handed_complaint(name=f"Ended: {state}")
                old = ticket.sudo()._portal_ensure_token()
                transfer = ticket.transfer_id
                end(ticket)
                self.assertEqual(transfer.state, state)
                self.assertTrue(ticket.sudo().access_token)
                self.assertNotEqual(ticket.sudo().access_token, old)
