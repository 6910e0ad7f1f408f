# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import ComplaintPartnerCommon

# Title the tours (static/tests/tours/complaint_backend_tours.js) use.
NEW_COMPLAINT = "Tour: plan fee charged twice in October"
COMPLAINTS = "/odoo/action-complaint_handling.helpdesk_ticket_complaint_action"


@tagged("post_install", "-at_install")
class TestComplaintBackendTours(HttpCase, ComplaintPartnerCommon):
    """The back office clicked through in a real browser, each step by the
    lowest role that does it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The technical contact sees only what is asked of him (as in the demo).
        cls.tech.groups_id = [
            (4, cls.env.ref("helpdesk_mgmt.group_helpdesk_user_own").id)
        ]

    def _complaint(self):
        return self.env["helpdesk.ticket"].search([("name", "=", NEW_COMPLAINT)])

    def test_complaint_from_intake_to_closed(self):
        self.start_tour(COMPLAINTS, "complaint_backend_intake_tour", login="cp_handler")
        ticket = self._complaint()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.kind, "complaint")
        self.assertEqual(ticket.complaint_state, "handling")
        self.assertEqual(ticket.category_id, self.category_billing)
        logs = ticket.handling_log_ids
        self.assertEqual(len(logs), 2)
        self.assertEqual(set(logs.mapped("handling_round")), {1})
        self.assertEqual(logs.user_id, self.handler)
        contact = logs.filtered(lambda log: log.log_type == "contact")
        self.assertEqual(contact.contact_result, "reached")
        self.assertFalse(contact.tech_user_id)
        request = logs - contact
        self.assertEqual(request.tech_user_id, self.tech)
        self.assertEqual(request.activity_id.user_id, self.tech)

        self.start_tour(
            "/odoo/action-complaint_handling.complaint_handling_log_tech_action",
            "complaint_backend_tech_answer_tour",
            login="cp_tech",
        )
        self.assertTrue(request.tech_answer_date)
        self.assertFalse(request.activity_id.exists())

        self.start_tour(
            f"{COMPLAINTS}/{ticket.id}",
            "complaint_backend_solution_tour",
            login="cp_handler",
        )
        self.assertEqual(ticket.complaint_state, "solution_confirmed")
        remedy = ticket.remedy_ids
        self.assertEqual(remedy.state, "pending")
        self.assertEqual(remedy.amount, 300)
        self.assertIn(self.supervisor, remedy.activity_ids.user_id)
        self.assertNotIn(self.manager, remedy.activity_ids.user_id)

        self.start_tour(
            "/odoo", "complaint_backend_remedy_approval_tour", login="cp_supervisor"
        )
        self.assertEqual(remedy.state, "approved")
        self.assertEqual(remedy.approver_id, self.supervisor)
        self.assertFalse(remedy.activity_ids)

        self.start_tour(
            f"{COMPLAINTS}/{ticket.id}",
            "complaint_backend_result_tour",
            login="cp_handler",
        )
        self.assertEqual(ticket.complaint_state, "closed")
        self.assertEqual(ticket.feedback_ids.handling_round, 1)
        callback = ticket.callback_ids
        self.assertEqual(callback.handling_round, 1)
        self.assertEqual(callback.user_id, self.handler)
        self.assertEqual(callback.satisfaction, "5")
        self.assertTrue(callback.problem_solved)

    def test_a_wrong_step_is_corrected_by_a_new_record(self):
        ticket = self._create_complaint(user=self.handler)
        ticket.with_user(self.handler).action_complaint_accept()
        log = (
            self.env["complaint.handling.log"]
            .with_user(self.handler)
            .create(
                {
                    "ticket_id": ticket.id,
                    "log_type": "contact",
                    "contact_result": "reached",
                    "description": "Tour: reached at 9:30",
                }
            )
        )
        self.start_tour(
            f"{COMPLAINTS}/{ticket.id}",
            "complaint_backend_correction_tour",
            login="cp_handler",
        )
        correction = log.corrected_by_id
        self.assertEqual(correction.description, "Tour: reached at 10:30, not 9:30")
        self.assertEqual(correction.contact_result, "reached")
        self.assertEqual(correction.user_id, self.handler)
        self.assertEqual(log.description, "Tour: reached at 9:30")

    def test_unsatisfied_callback_starts_a_new_round_and_escalates(self):
        self.company.complaint_escalate_unsatisfied = True
        ticket = self._drive_to(self._create_complaint(), "result_reported")
        self.start_tour(
            f"{COMPLAINTS}/{ticket.id}",
            "complaint_backend_unsatisfied_tour",
            login="cp_handler",
        )
        self.assertEqual(ticket.complaint_state, "handling")
        self.assertEqual(ticket.handling_round, 2)
        self.assertEqual(ticket.escalation_level, "2")
        self.assertTrue(ticket.callback_ids.unsatisfied)
        self.assertEqual(ticket.callback_ids.handling_round, 1)
        # The handler was told, in his own web client, what the callback did.
        notice = self.env["bus.bus"].search(
            [
                ("message", "like", "simple_notification"),
                ("message", "like", "handling round 2 started"),
            ]
        )
        self.assertTrue(notice)

    def test_refusal_with_a_reason(self):
        ticket = self._create_complaint()
        self.start_tour(
            f"{COMPLAINTS}/{ticket.id}",
            "complaint_backend_refuse_tour",
            login="cp_handler",
        )
        self.assertEqual(ticket.complaint_state, "refused")
        self.assertEqual(ticket.refuse_explanation, "This is a matter for your bank.")
        self.assertEqual(ticket.refuse_reason_id.reason_type, "outside_scope")

    def test_escalation(self):
        ticket = self._drive_to(self._create_complaint(), "handling")
        self.start_tour(
            f"{COMPLAINTS}/{ticket.id}",
            "complaint_backend_escalate_tour",
            login="cp_handler",
        )
        self.assertEqual(ticket.escalation_level, "2")
        self.assertEqual(ticket.escalation_ids.reason, "regulator_media")
        self.assertEqual(ticket.user_id, self.supervisor)

    def test_hand_off_to_a_partner(self):
        ticket = self._create_complaint()
        ticket.with_user(self.handler).action_complaint_accept()
        self.start_tour(
            f"{COMPLAINTS}/{ticket.id}",
            "complaint_backend_hand_off_tour",
            login="cp_handler",
        )
        self.assertEqual(ticket.partner_org_id, self.org)
        self.assertEqual(ticket.transfer_id.agreement_id, self.agreement)
        self.assertEqual(ticket.transfer_id.note, "Please call the customer today.")
        self.assertEqual(ticket.transfer_state, "sent")

    def test_incident_links_complaints_and_answers_them_together(self):
        incident = self.env["complaint.incident"].create(
            {
                "name": "Tianhe base station outage",
                "area": "Tianhe district",
                "start_date": "2026-12-01 08:00:00",
            }
        )
        tickets = self.env["helpdesk.ticket"]
        for i in (1, 2):
            tickets |= self._drive_to(
                self._create_complaint(
                    name=f"Tour: no signal in Tianhe, {i}",
                    service_number=f"1390000000{i}",
                    category_id=self.category_signal.id,
                    user_id=self.handler.id,
                ),
                "handling",
            )
        self.start_tour(
            f"{COMPLAINTS}?view_type=list",
            "complaint_backend_incident_link_tour",
            login="cp_handler",
        )
        self.assertEqual(tickets.incident_id, incident)
        self.start_tour(
            f"/odoo/action-complaint_handling.complaint_incident_action/{incident.id}",
            "complaint_backend_incident_reply_tour",
            login="cp_supervisor",
        )
        self.assertEqual(incident.state, "resolved")
        self.assertTrue(incident.end_date)
        self.assertEqual(set(tickets.mapped("complaint_state")), {"result_reported"})
        self.assertIn(
            "Tianhe base station is repaired", tickets.feedback_ids[0].conclusion
        )

    def test_manager_analysis_and_settings(self):
        self._create_complaint(name="Tour: analysed complaint", user_id=self.manager.id)
        self.start_tour("/odoo", "complaint_backend_manager_tour", login="cp_manager")
        self.assertEqual(self.company.complaint_repeat_window_days, 20)

    def test_manager_prints_the_complaint_record(self):
        ticket = self._create_complaint(name="Tour: printed complaint")
        self.start_tour(
            f"{COMPLAINTS}/{ticket.id}",
            "complaint_backend_print_tour",
            login="cp_manager",
        )
        # The manager sees personal data in full: the print is logged.
        log = self.env["complaint.personal.access.log"].search(
            [("ticket_id", "=", ticket.id), ("operation", "=", "print")]
        )
        self.assertEqual(log.user_id, self.manager)
