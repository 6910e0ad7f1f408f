# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every dialog of the complaint form, filled as the web client fills it.

``Form`` sends what the web client sends: the action's context defaults, and
no value for a read-only field. A record whose complaint arrives only as
``default_ticket_id`` must still get its complaint's round and author, and the
guards must hold for it.
"""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ComplaintPartnerCommon


@tagged("post_install", "-at_install")
class TestComplaintDialogs(ComplaintPartnerCommon):
    def _dialog(self, ticket, method, user=None):
        """The ``Form`` of the dialog ``method`` opens on ``ticket``."""
        user = user or self.handler
        action = getattr(ticket.with_user(user), method)()
        self.assertEqual(action["target"], "new")
        model = self.env[action["res_model"]].with_user(user)
        return Form(model.with_context(**action["context"]))

    def test_log_step_dialog(self):
        ticket = self._drive_to(self._create_complaint(), "handling")
        with self._dialog(ticket, "action_complaint_add_log") as form:
            self.assertEqual(form.handling_round, 1)
            self.assertFalse(form.tech_user_id, "a contact has no technical contact")
            form.contact_result = "reached"
            form.description = "Customer confirms the double charge."
        log = form.record
        self.assertEqual(log.ticket_id, ticket)
        self.assertEqual(log.handling_round, 1)
        self.assertEqual(log.user_id, self.handler)
        self.assertFalse(log.tech_user_id)
        with self._dialog(ticket, "action_complaint_add_log") as form:
            form.log_type = "tech_request"
            self.assertEqual(form.tech_user_id, self.tech)
            form.description = "Check the billing records."
        request = form.record
        self.assertEqual(request.tech_user_id, self.tech)
        self.assertEqual(request.activity_id.user_id, self.tech)

    def test_contact_log_never_keeps_a_technical_contact(self):
        ticket = self._drive_to(self._create_complaint(), "handling")
        log = (
            self.env["complaint.handling.log"]
            .with_user(self.handler)
            .create(
                {
                    "ticket_id": ticket.id,
                    "log_type": "contact",
                    "contact_result": "busy",
                    "tech_user_id": self.tech.id,
                    "description": "Line busy.",
                }
            )
        )
        self.assertFalse(log.tech_user_id)

    def test_log_dialog_refused_on_closed_complaint(self):
        ticket = self._drive_to(self._create_complaint(), "closed")
        # Odoo's assertRaises rolls back to a savepoint, as a request would.
        with self.assertRaises(UserError) as refused:
            with self._dialog(ticket, "action_complaint_add_log") as form:
                form.contact_result = "reached"
                form.description = "Too late."
        self.assertIn("reopen it", str(refused.exception))
        self.assertFalse(ticket.handling_log_ids)

    def test_result_feedback_dialog_then_result_reported(self):
        ticket = self._drive_to(self._create_complaint(), "solution_confirmed")
        with self._dialog(ticket, "action_complaint_add_feedback") as form:
            self.assertEqual(form.handling_round, 1)
            self.assertEqual(form.plan, "Refund the duplicated plan fee.")
            form.conclusion = "The fee was charged twice; it is refunded."
        feedback = form.record
        self.assertEqual(feedback.handling_round, 1)
        self.assertEqual(feedback.user_id, self.handler)
        ticket.with_user(self.handler).action_complaint_report_result()
        self.assertEqual(ticket.complaint_state, "result_reported")

    def test_callback_dialog_satisfied_ends_the_callback(self):
        ticket = self._drive_to(self._create_complaint(), "result_reported")
        with self._dialog(ticket, "action_complaint_add_callback") as form:
            self.assertEqual(form.handling_round, 1)
            form.reached = True
            form.satisfaction = "5"
            form.problem_solved = True
        callback = form.record
        self.assertEqual(callback.handling_round, 1)
        self.assertEqual(callback.user_id, self.handler)
        self.assertEqual(ticket.complaint_state, "callback_done")
        ticket.with_user(self.handler).action_complaint_close()
        self.assertEqual(ticket.complaint_state, "closed")

    def test_callback_dialog_unsatisfied_starts_round_two(self):
        self.company.complaint_escalate_unsatisfied = False
        ticket = self._drive_to(self._create_complaint(), "result_reported")
        with self._dialog(ticket, "action_complaint_add_callback") as form:
            form.reached = True
            form.satisfaction = "1"
            form.comment = "Still charged twice."
        self.assertEqual(form.record.handling_round, 1)
        self.assertEqual(ticket.complaint_state, "handling")
        self.assertEqual(ticket.handling_round, 2)
        # Round two's records are round two's, through the same dialogs.
        with self._dialog(ticket, "action_complaint_add_log") as form:
            self.assertEqual(form.handling_round, 2)
            form.contact_result = "reached"
            form.description = "Called again."
        self.assertEqual(form.record.handling_round, 2)

    def test_remedy_dialog_submits_over_the_limit_to_approvers(self):
        ticket = self._drive_to(self._create_complaint(), "handling")
        with self._dialog(ticket, "action_complaint_add_remedy") as form:
            form.remedy_type = "compensation"
            form.amount = 300
            self.assertTrue(form.over_limit)
            form.description = "Compensation for the double charge."
        remedy = form.record
        self.assertEqual(remedy.ticket_id, ticket)
        self.assertEqual(remedy.requested_by_id, self.handler)
        self.assertNotEqual(remedy.display_name, f"complaint.remedy,{remedy.id}")
        remedy.with_user(self.handler).action_submit()
        self.assertEqual(remedy.state, "pending")
        approval = self.env.ref("complaint_handling.mail_activity_type_remedy_approval")
        activities = remedy.activity_ids.filtered(
            lambda a: a.activity_type_id == approval
        )
        self.assertIn(self.supervisor, activities.user_id)
        self.assertNotIn(self.manager, activities.user_id, "lowest level first")
        self.assertNotIn(self.handler, activities.user_id)
        remedy.with_user(self.supervisor).action_approve()
        self.assertEqual(remedy.state, "approved")
        self.assertFalse(activities.exists(), "the decision closes the activities")

    def test_unsatisfied_callback_escalated_out_of_the_handlers_team(self):
        """The escalation hands the complaint to the supervisor's team: the
        handler who recorded the callback still sees it, read only."""
        self.company.complaint_escalate_unsatisfied = True
        ticket = self._drive_to(self._create_complaint(), "result_reported")
        with self._dialog(ticket, "action_complaint_add_callback") as form:
            form.reached = True
            form.satisfaction = "1"
        as_handler = ticket.with_user(self.handler)
        self.assertEqual(as_handler.escalation_level, "2")
        self.assertEqual(as_handler.team_id, self.l2_team)
        self.assertEqual(as_handler.handling_round, 2)
        with self.assertRaises(AccessError):
            as_handler.write({"solution_measures": "Not mine any more."})

    def test_remedy_within_limit_has_no_approval(self):
        ticket = self._drive_to(self._create_complaint(), "handling")
        with self._dialog(ticket, "action_complaint_add_remedy") as form:
            form.remedy_type = "fee_waiver"
            form.amount = 20
            self.assertFalse(form.over_limit)
            form.description = "Waive the duplicated fee."
        form.record.with_user(self.handler).action_submit()
        self.assertEqual(form.record.state, "approved")
        self.assertFalse(form.record.activity_ids)

    def test_remedy_refuse_dialog(self):
        ticket = self._drive_to(self._create_complaint(), "handling")
        remedy = (
            self.env["complaint.remedy"]
            .with_user(self.handler)
            .create(
                {
                    "ticket_id": ticket.id,
                    "remedy_type": "compensation",
                    "amount": 300,
                    "description": "Compensation.",
                }
            )
        )
        remedy.action_submit()
        action = remedy.with_user(self.supervisor).action_open_refuse_wizard()
        wizard_model = self.env[action["res_model"]].with_user(self.supervisor)
        with Form(wizard_model.with_context(**action["context"])) as form:
            form.reason = "The double charge was already refunded."
        form.record.action_refuse()
        self.assertEqual(remedy.state, "refused")
        self.assertFalse(remedy.activity_ids)

    def test_refuse_dialog(self):
        ticket = self._create_complaint()
        reason = self.env["complaint.refuse.reason"].search(
            [("reason_type", "=", "other")], limit=1
        ) or self.env["complaint.refuse.reason"].create(
            {"name": "Outside our services", "reason_type": "other"}
        )
        with self._dialog(ticket, "action_complaint_refuse") as form:
            form.reason_id = reason
            form.explanation = "This is a matter for the bank."
        form.record.action_refuse()
        self.assertEqual(ticket.complaint_state, "refused")
        self.assertEqual(ticket.refuse_reason_id, reason)

    def test_escalate_dialog(self):
        ticket = self._drive_to(self._create_complaint(), "handling")
        with self._dialog(ticket, "action_complaint_escalate") as form:
            self.assertEqual(form.to_level, "2")
            form.reason = "regulator_media"
            form.note = "The customer called a newspaper."
        form.record.action_escalate()
        self.assertEqual(ticket.escalation_level, "2")
        self.assertEqual(ticket.user_id, self.supervisor)

    def test_hand_off_dialog(self):
        ticket = self._create_complaint()
        ticket.with_user(self.handler).action_complaint_accept()
        with self._dialog(ticket, "action_complaint_transfer") as form:
            form.partner_org_id = self.org
            form.agreement_id = self.agreement
            form.note = "Please call the customer today."
        form.record.action_confirm()
        self.assertEqual(ticket.partner_org_id, self.org)
        self.assertEqual(ticket.transfer_state, "sent")

    def test_incident_link_dialog(self):
        incident = self.env["complaint.incident"].create(
            {"name": "Tianhe outage", "area": "Tianhe", "start_date": "2026-12-01"}
        )
        open_one = self._drive_to(self._create_complaint(), "handling")
        closed = self._drive_to(
            self._create_complaint(service_number="13900000009"), "closed"
        )
        wizard = self.env["complaint.incident.link.wizard"].with_user(self.handler)
        context = {"active_model": "helpdesk.ticket", "active_ids": open_one.ids}
        with Form(wizard.with_context(**context)) as form:
            self.assertEqual(form.ticket_ids[:], open_one)
            form.incident_id = incident
        action = form.record.action_link()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(open_one.incident_id, incident)
        context["active_ids"] = closed.ids
        with Form(wizard.with_context(**context)) as form:
            form.incident_id = incident
        with self.assertRaisesRegex(UserError, "Only open complaints of"):
            form.record.action_link()
        self.assertFalse(closed.incident_id)

    def test_incident_link_refuses_a_resolved_incident(self):
        incident = self.env["complaint.incident"].create(
            {
                "name": "Old outage",
                "area": "Tianhe",
                "start_date": "2026-11-01 08:00:00",
                "end_date": "2026-11-01 18:00:00",
                "state": "resolved",
            }
        )
        ticket = self._drive_to(self._create_complaint(), "handling")
        wizard = (
            self.env["complaint.incident.link.wizard"]
            .with_user(self.handler)
            .create({"ticket_ids": [(6, 0, ticket.ids)], "incident_id": incident.id})
        )
        with self.assertRaisesRegex(UserError, "is resolved"):
            wizard.action_link()
        self.assertFalse(ticket.incident_id)

    def test_remedy_goes_to_managers_when_no_supervisor_sees_it(self):
        """The supervisors' departments do not cover the complaint's team: the
        next level that can see it is asked, not nobody."""
        self.team.user_ids = [(3, self.supervisor.id)]
        self.env["complaint.department"].create(
            {
                "name": "Shenzhen centre",
                "team_ids": [(4, self.other_team.id)],
                "supervisor_ids": [(4, self.supervisor.id)],
            }
        )
        ticket = self._drive_to(self._create_complaint(), "handling")
        remedy = (
            self.env["complaint.remedy"]
            .with_user(self.handler)
            .create(
                {
                    "ticket_id": ticket.id,
                    "remedy_type": "compensation",
                    "amount": 300,
                    "description": "Compensation.",
                }
            )
        )
        self.assertFalse(remedy.with_user(self.supervisor).has_access("read"))
        remedy.action_submit()
        self.assertEqual(remedy.state, "pending")
        approvers = remedy.activity_ids.user_id
        self.assertTrue(approvers, "somebody who can see it is asked")
        self.assertNotIn(self.supervisor, approvers)
        for approver in approvers:
            self.assertTrue(remedy.with_user(approver).has_access("read"))
