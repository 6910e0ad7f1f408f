# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintProcess(ComplaintCommon):
    def test_accept_requires_intake_data(self):
        ticket = self._create_complaint(
            user=self.handler, contact_phone=False, category_id=False
        )
        with self.assertRaisesRegex(
            UserError, r"- a contact phone\n- the complaint type"
        ):
            ticket.with_user(self.handler).action_complaint_accept()
        self.assertEqual(ticket.complaint_state, "received")
        ticket.with_user(self.handler).write(
            {
                "contact_phone_masked": "13900139000",
                "category_id": self.category_signal.id,
            }
        )
        ticket.with_user(self.handler).action_complaint_accept()
        self.assertEqual(ticket.complaint_state, "accepted")

    def test_wrong_transitions_are_refused(self):
        ticket = self._create_complaint(user=self.handler)
        stage = self.env["helpdesk.ticket.stage"]
        closed = stage.search([("complaint_step", "=", "closed")], limit=1)
        with self.assertRaisesRegex(UserError, "cannot enter"):
            ticket.with_user(self.handler).stage_id = closed
        self._drive_to(ticket, "handling")
        received = stage.search([("complaint_step", "=", "received")], limit=1)
        with self.assertRaisesRegex(UserError, "cannot go from"):
            ticket.with_user(self.handler).stage_id = received
        plain = stage.search([("complaint_step", "=", False)], limit=1)
        with self.assertRaisesRegex(UserError, "complaint stages"):
            ticket.with_user(self.handler).stage_id = plain
        self.assertEqual(ticket.complaint_state, "handling")

    def test_full_process_first_contact_resolution(self):
        ticket = self._create_complaint(user=self.handler)
        ticket = self._drive_to(ticket, "closed")
        self.assertTrue(ticket.closed)
        self.assertEqual(ticket.handling_round, 1)
        self.assertEqual(ticket.satisfaction, "5")
        self.assertTrue(ticket.first_contact_resolution)
        self.assertTrue(ticket.customer_confirmed_date)

    def test_solution_needs_measures_and_confirmation(self):
        ticket = self._drive_to(self._create_complaint(), "handling")
        with self.assertRaisesRegex(UserError, "solution measures"):
            ticket.action_complaint_confirm_solution()
        confirmed = self.env["helpdesk.ticket.stage"].search(
            [("complaint_step", "=", "solution_confirmed")], limit=1
        )
        ticket.solution_measures = "Refund."
        with self.assertRaisesRegex(UserError, "not confirmed"):
            ticket.stage_id = confirmed
        ticket.action_complaint_confirm_solution()
        self.assertTrue(ticket.customer_confirmed)
        ticket.action_complaint_mark_implemented()
        self.assertTrue(ticket.solution_implemented)
        self.assertTrue(ticket.solution_implemented_date)

    def test_result_reported_requires_feedback(self):
        ticket = self._drive_to(self._create_complaint(), "solution_confirmed")
        with self.assertRaisesRegex(UserError, "result feedback"):
            ticket.action_complaint_report_result()
        self.assertEqual(ticket.complaint_state, "solution_confirmed")
        feedback = (
            self.env["complaint.feedback"]
            .with_user(self.handler)
            .create(
                {"ticket_id": ticket.id, "channel": "email", "conclusion": "Refunded."}
            )
        )
        self.assertEqual(ticket.last_feedback_id, feedback)
        self.assertIn("Refunded.", ticket.message_ids[0].body)
        ticket.action_complaint_report_result()
        self.assertEqual(ticket.complaint_state, "result_reported")

    def test_feedback_reply_mail_template_renders(self):
        ticket = self._drive_to(self._create_complaint(), "result_reported")
        template = self.env.ref("complaint_handling.mail_template_complaint_reply")
        body = template._render_field("body_html", ticket.ids)[ticket.id]
        self.assertIn("The fee was charged twice", body)
        self.assertIn(ticket.number, body)
        action = ticket.last_feedback_id.action_send_reply()
        self.assertEqual(action["context"]["default_template_id"], template.id)

    def test_callback_unsatisfied_starts_new_round_and_escalates(self):
        ticket = self._drive_to(self._create_complaint(), "result_reported")
        self.env["complaint.callback"].with_user(self.handler).create(
            {
                "ticket_id": ticket.id,
                "reached": True,
                "satisfaction": "2",
                "problem_solved": False,
                "comment": "Still charged twice.",
            }
        )
        # The complaint moved to the level-2 team: read it as the system.
        ticket = ticket.with_env(self.env)
        self.assertEqual(ticket.complaint_state, "handling")
        self.assertEqual(ticket.handling_round, 2)
        self.assertEqual(ticket.escalation_level, "2")
        self.assertEqual(ticket.escalation_ids.reason, "unsatisfied")
        self.assertEqual(ticket.user_id, self.supervisor)
        self.assertFalse(ticket.customer_confirmed, "a new round, a new solution")
        # The new round needs its own feedback and callback.
        ticket = ticket.with_user(self.supervisor)
        ticket.action_complaint_confirm_solution()
        with self.assertRaisesRegex(UserError, "result feedback"):
            ticket.action_complaint_report_result()
        self.env["complaint.feedback"].with_user(self.supervisor).create(
            {"ticket_id": ticket.id, "conclusion": "Second refund done."}
        )
        ticket.action_complaint_report_result()
        self.env["complaint.callback"].with_user(self.supervisor).create(
            {
                "ticket_id": ticket.id,
                "reached": True,
                "satisfaction": "4",
                "problem_solved": True,
            }
        )
        ticket.action_complaint_close()
        self.assertEqual(ticket.complaint_state, "closed")
        self.assertFalse(ticket.first_contact_resolution)

    def test_close_after_documented_failed_callbacks(self):
        ticket = self._drive_to(self._create_complaint(), "result_reported")
        callback = self.env["complaint.callback"].with_user(self.handler)
        for _attempt in range(2):
            callback.create({"ticket_id": ticket.id, "reached": False})
        with self.assertRaisesRegex(UserError, r"3 documented failed attempts \(2"):
            ticket.action_complaint_callback_done()
        callback.create({"ticket_id": ticket.id, "reached": False})
        ticket.action_complaint_callback_done()
        ticket.action_complaint_close()
        self.assertEqual(ticket.complaint_state, "closed")
        self.assertFalse(ticket.satisfaction)

    def test_callback_values_are_checked(self):
        ticket = self._drive_to(self._create_complaint(), "result_reported")
        with self.assertRaisesRegex(ValidationError, "satisfaction"):
            self.env["complaint.callback"].create(
                {"ticket_id": ticket.id, "reached": True}
            )
        with self.assertRaisesRegex(ValidationError, "not reached"):
            self.env["complaint.callback"].create(
                {"ticket_id": ticket.id, "reached": False, "satisfaction": "3"}
            )
        other = self._drive_to(self._create_complaint(), "handling")
        with self.assertRaisesRegex(UserError, "after the result"):
            self.env["complaint.callback"].create(
                {"ticket_id": other.id, "reached": False}
            )

    def test_refuse_requires_reason_and_explanation(self):
        ticket = self._create_complaint(user=self.handler)
        refused = self.env["helpdesk.ticket.stage"].search(
            [("complaint_step", "=", "refused")], limit=1
        )
        with self.assertRaisesRegex(UserError, "Refuse button"):
            ticket.with_user(self.handler).stage_id = refused
        action = ticket.with_user(self.handler).action_complaint_refuse()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.handler)
            .with_context(**action["context"])
        )
        wizard_form.reason_id = self.env.ref(
            "complaint_handling.complaint_refuse_reason_outside_scope"
        )
        with self.assertRaises(AssertionError):
            wizard_form.save()  # explanation is required
        wizard_form.explanation = "Handset repairs are done by the manufacturer."
        wizard_form.save().action_refuse()
        self.assertEqual(ticket.complaint_state, "refused")
        self.assertTrue(ticket.closed)
        self.assertIn("manufacturer", ticket.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "archive it instead"):
            ticket.with_user(self.manager).unlink()
        self.assertTrue(ticket.exists())

    def test_refuse_time_barred_only_when_past_the_bar(self):
        reason = self.env.ref("complaint_handling.complaint_refuse_reason_time_barred")
        with freeze_time("2026-09-01 10:00:00"):
            recent = self._create_complaint(issue_date="2026-06-01")
            old = self._create_complaint(issue_date="2026-03-15")
            general_old = self._create_complaint(
                issue_date="2026-03-15", category_id=self.category_signal.id
            )
            self.assertFalse(recent.is_time_barred)
            self.assertTrue(old.is_time_barred, "billing disputes: 5 months")
            self.assertFalse(general_old.is_time_barred, "others: 2 years")
            wizard = self.env["complaint.refuse.wizard"].with_user(self.handler)
            with self.assertRaisesRegex(UserError, "not time-barred"):
                wizard.create(
                    {"ticket_id": recent.id, "reason_id": reason.id, "explanation": "x"}
                ).action_refuse()
            self.assertEqual(recent.complaint_state, "received")
            wizard.create(
                {"ticket_id": old.id, "reason_id": reason.id, "explanation": "Late."}
            ).action_refuse()
            self.assertEqual(old.complaint_state, "refused")
            self.company.complaint_billing_time_bar_months = 2
            recent.invalidate_recordset(["is_time_barred"])
            self.assertTrue(recent.is_time_barred)

    def test_refuse_repeated_needs_concluded_complaint(self):
        reason = self.env.ref("complaint_handling.complaint_refuse_reason_repeated")
        concluded = self._drive_to(self._create_complaint(), "closed")
        repeat = self._create_complaint(user=self.handler)
        self.assertEqual(repeat.repeat_of_ids, concluded)
        wizard = self.env["complaint.refuse.wizard"].with_user(self.handler)
        with self.assertRaisesRegex(UserError, "concluded complaint"):
            wizard.create(
                {"ticket_id": repeat.id, "reason_id": reason.id, "explanation": "x"}
            ).action_refuse()
        form = Form(wizard.with_context(default_ticket_id=repeat.id))
        form.reason_id = reason
        self.assertEqual(form.related_ticket_id, concluded, "proposed from repeats")
        form.explanation = "Already answered in the earlier complaint."
        form.save().action_refuse()
        self.assertEqual(repeat.refused_related_ticket_id, concluded)

    def test_reopen_refused_and_closed_need_supervisor(self):
        ticket = self._create_complaint(user=self.handler)
        self.env["complaint.refuse.wizard"].with_user(self.handler).create(
            {
                "ticket_id": ticket.id,
                "reason_id": self.env.ref(
                    "complaint_handling.complaint_refuse_reason_outside_scope"
                ).id,
                "explanation": "Not ours.",
            }
        ).action_refuse()
        with self.assertRaisesRegex(UserError, "Only a supervisor"):
            ticket.with_user(self.handler).action_complaint_reopen()
        ticket.with_user(self.supervisor).action_complaint_reopen()
        self.assertEqual(ticket.complaint_state, "received")
        closed = self._drive_to(self._create_complaint(), "closed")
        with self.assertRaisesRegex(UserError, "Only a supervisor"):
            closed.with_user(self.handler).action_complaint_rehandle()
        closed.with_user(self.supervisor).action_complaint_rehandle()
        self.assertEqual(closed.complaint_state, "handling")
        self.assertEqual(closed.handling_round, 2)

    def test_handling_log_contact_and_tech_request(self):
        ticket = self._drive_to(self._create_complaint(), "handling")
        log = self.env["complaint.handling.log"].with_user(self.handler)
        with self.assertRaisesRegex(ValidationError, "outcome"):
            log.create(
                {"ticket_id": ticket.id, "log_type": "contact", "description": "x"}
            )
        contact = log.create(
            {
                "ticket_id": ticket.id,
                "log_type": "contact",
                "contact_result": "reached",
                "description": "Customer confirms the double charge.",
            }
        )
        self.assertEqual(contact.user_id, self.handler)
        self.assertEqual(contact.handling_round, 1)
        # The company's technical contact is the default: without one, the
        # request must name who answers it.
        self.company.complaint_tech_user_id = False
        with self.assertRaisesRegex(ValidationError, "technical contact"):
            log.create(
                {"ticket_id": ticket.id, "log_type": "tech_request", "description": "x"}
            )
        request = log.create(
            {
                "ticket_id": ticket.id,
                "log_type": "tech_request",
                "tech_user_id": self.tech.id,
                "description": "Check the billing records of 13800138000.",
            }
        )
        activity = request.activity_id
        self.assertEqual(activity.user_id, self.tech)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("complaint_handling.mail_activity_type_tech_check"),
        )
        answer = request.with_user(self.tech)
        with self.assertRaisesRegex(UserError, "Write the technical answer"):
            answer.action_answer_tech_request()
        answer.tech_answer = "Billing system applied the fee twice on 1 Oct."
        answer.action_answer_tech_request()
        self.assertTrue(request.tech_answer_date)
        self.assertFalse(activity.exists(), "activity done")
        self.assertIn("applied the fee twice", ticket.message_ids[0].body)

    def test_no_log_on_closed_complaint(self):
        ticket = self._drive_to(self._create_complaint(), "closed")
        with self.assertRaisesRegex(UserError, "reopen it"):
            self.env["complaint.handling.log"].with_user(self.handler).create(
                {"ticket_id": ticket.id, "log_type": "note", "description": "late"}
            )

    def test_consultation_keeps_plain_helpdesk_flow(self):
        plain_team = self.env["helpdesk.ticket.team"].create(
            {"name": "Info desk", "user_ids": [(4, self.handler.id)]}
        )
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.handler)
            .create(
                {
                    "name": "Roaming tariffs?",
                    "description": "<p>What are the roaming tariffs?</p>",
                    "team_id": plain_team.id,
                }
            )
        )
        stages = plain_team._get_applicable_stages()
        self.assertFalse(stages.filtered("complaint_step"))
        done = stages.filtered("closed")[:1]
        ticket.stage_id = done
        self.assertTrue(ticket.closed)

    def test_process_records_keep_their_author_and_round(self):
        ticket = self._drive_to(self._create_complaint(), "handling")
        log = (
            self.env["complaint.handling.log"]
            .with_user(self.handler)
            .create(
                {
                    "ticket_id": ticket.id,
                    "log_type": "tech_request",
                    "tech_user_id": self.tech.id,
                    "description": "Check the cell of the customer's home.",
                    "user_id": self.supervisor.id,
                }
            )
        )
        self.assertEqual(log.user_id, self.handler, "author is who recorded it")
        for vals in (
            {"user_id": self.supervisor.id},
            {"handling_round": 3},
            {"ticket_id": self._create_complaint().id},
            {"tech_answer_date": "2026-01-01 00:00:00"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                log.write(vals)
        answer = log.with_user(self.tech)
        answer.tech_answer = "Cell 4521 was down for maintenance."
        answer.action_answer_tech_request()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            answer.tech_answer = "Nothing wrong."
        self.assertEqual(log.tech_answer, "Cell 4521 was down for maintenance.")

    def test_step_names_in_errors_are_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env.ref("base.module_complaint_handling")._update_translations(["zh_CN"])
        self.handler.lang = "zh_CN"
        ticket = self._create_complaint()
        ticket.with_user(self.handler).action_complaint_accept()
        # As the web client sends it: the user's language in the context.
        as_handler = ticket.with_user(self.handler).with_context(lang="zh_CN")
        with self.assertRaisesRegex(UserError, "已受理.*已接收"):
            as_handler._complaint_move_to_step("received")
