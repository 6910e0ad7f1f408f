# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

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

    def test_a_correction_is_a_new_record_naming_the_old_one(self):
        """The Correct button opens a new record filled in from the old one;
        saved, it names the old one, which stays as recorded."""
        ticket = self._create_complaint(user=self.handler)
        ticket.with_user(self.handler).action_complaint_accept()
        Log = self.env["complaint.handling.log"].with_user(self.handler)
        log = Log.create(
            {
                "ticket_id": ticket.id,
                "log_type": "contact",
                "contact_result": "reached",
                "description": "Called 13800138000: the bill shows two plans.",
            }
        )
        action = log.action_complaint_correct()
        self.assertEqual(action["target"], "new")
        with Form(
            Log.with_context(**action["context"]),
            view="complaint_handling.complaint_handling_log_view_form",
        ) as form:
            self.assertEqual(form.log_type, "contact")
            self.assertEqual(form.description, log.description)
            form.description = "Called 13800138000: the bill shows one plan twice."
        correction = form.record
        self.assertEqual(correction.correction_of_id, log)
        self.assertEqual(log.corrected_by_id, correction)
        self.assertEqual(correction.ticket_id, ticket)
        self.assertIn("two plans", log.description, "the old record is kept")
        # A record is corrected once: the latest correction is corrected next.
        with self.assertRaisesRegex(UserError, "already corrected"):
            log.action_complaint_correct()
        with self.assertRaises(UserError):
            Log.create(
                {
                    "ticket_id": ticket.id,
                    "log_type": "note",
                    "description": "Another correction",
                    "correction_of_id": log.id,
                }
            )
        # A correction belongs to the complaint it corrects.
        other = self._create_complaint(user=self.handler)
        with self.assertRaisesRegex(UserError, "belongs to the complaint"):
            Log.create(
                {
                    "ticket_id": other.id,
                    "log_type": "note",
                    "description": "Misplaced",
                    "correction_of_id": correction.id,
                }
            )
        # Feedback is corrected the same way.
        self._drive_to(ticket.with_user(self.handler), "result_reported")
        feedback = ticket.feedback_ids
        action = feedback.with_user(self.handler).action_complaint_correct()
        with Form(
            self.env["complaint.feedback"]
            .with_user(self.handler)
            .with_context(**action["context"]),
            view="complaint_handling.complaint_feedback_view_form",
        ) as form:
            form.conclusion = "The duplicated fee is refunded in the next bill."
        self.assertEqual(form.record.correction_of_id, feedback)


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
