# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import ComplaintPartnerCommon

# Titles the tours (static/tests/tours/complaint_portal_tours.js) look for.
AGENT_COMPLAINT = "Tour: roaming charged while at home"
RATED_COMPLAINT = "Tour: refund of the duplicated plan fee"
NEW_COMPLAINT = "Tour: no signal on the 12th floor"


@tagged("post_install", "-at_install")
class TestComplaintTours(HttpCase, ComplaintPartnerCommon):
    """The portal walked through in a real browser, by a partner agent and by
    a customer."""

    def test_agent_tour(self):
        ticket = self._handed_complaint(acknowledged=False, name=AGENT_COMPLAINT)
        self.assertEqual(ticket.transfer_state, "sent")
        self.start_tour("/my/complaints", "complaint_agent_tour", login="cp_agent")
        ticket.invalidate_recordset()
        self.assertEqual(ticket.complaint_state, "callback_done")
        self.assertEqual(ticket.transfer_state, "acknowledged")
        self.assertEqual(ticket.transfer_id.acknowledged_by_id, self.agent)
        self.assertEqual(ticket.partner_agent_id, self.agent)
        log = ticket.handling_log_ids.filtered(
            lambda log: log.log_type == "contact" and log.user_id == self.agent
        )
        self.assertEqual(len(log), 1)
        self.assertEqual(log.contact_result, "reached")
        self.assertEqual(
            log.description,
            "Called the customer: the roaming fee was billed in error.",
        )
        self.assertEqual(
            ticket.solution_measures, "Refund the roaming fee on the next bill."
        )
        self.assertTrue(ticket.customer_confirmed)
        feedback = ticket.last_feedback_id
        self.assertTrue(feedback)
        self.assertEqual(feedback.channel, "phone")
        self.assertEqual(
            feedback.conclusion,
            "The roaming fee was billed in error and is refunded.",
        )
        callback = ticket.callback_ids
        self.assertEqual(len(callback), 1)
        self.assertEqual(callback.user_id, self.agent)
        self.assertTrue(callback.reached)
        self.assertEqual(callback.satisfaction, "5")
        self.assertTrue(callback.problem_solved)
        self.assertEqual(callback.comment, "Thanked us for the refund.")

    def test_customer_tour(self):
        partner = self.portal_customer.partner_id
        rated = self._create_complaint(partner_id=partner.id, name=RATED_COMPLAINT)
        self._drive_to(rated, "result_reported")
        Ticket = self.env["helpdesk.ticket"]
        self.assertFalse(Ticket.search([("name", "=", NEW_COMPLAINT)]))
        self.start_tour(
            "/my/complaints", "complaint_customer_tour", login="cp_customer"
        )
        new = Ticket.search([("name", "=", NEW_COMPLAINT)])
        self.assertEqual(len(new), 1)
        self.assertEqual(new.kind, "complaint")
        self.assertEqual(new.partner_id, partner)
        self.assertEqual(new.complaint_state, "received")
        self.assertEqual(new.category_id, self.category_signal)
        self.assertEqual(new.business_line, "mobile")
        self.assertEqual(new.contact_phone, "+8613800138000")
        rated.invalidate_recordset()
        self.assertEqual(rated.complaint_state, "callback_done")
        self.assertEqual(rated.satisfaction, "5")
        callback = rated.callback_ids
        self.assertEqual(len(callback), 1)
        self.assertEqual(callback.channel, "portal")
        self.assertTrue(callback.problem_solved)
        self.assertEqual(callback.comment, "Quick and fair, thank you.")
