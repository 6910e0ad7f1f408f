# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time
from markupsafe import Markup

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import ComplaintPartnerCommon


class TestComplaintPartner(ComplaintPartnerCommon):
    def _visible(self, user, ticket):
        return bool(
            self.env["helpdesk.ticket"].with_user(user).search([("id", "=", ticket.id)])
        )

    # Agreements --------------------------------------------------------

    def test_agreement_checks(self):
        Agreement = self.env["complaint.partner.agreement"]
        with self.assertRaisesRegex(ValidationError, "end before it starts"):
            Agreement.create(
                {
                    "name": "X",
                    "partner_org_id": self.org.id,
                    "date_start": "2026-05-01",
                    "date_end": "2026-04-01",
                }
            )
        base = {"partner_org_id": self.org.id, "date_start": "2026-01-01"}
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            Agreement.create({"name": "Z", "ack_minutes": 0, **base})
        with self.assertRaisesRegex(ValidationError, "percentages"):
            Agreement.create({"name": "Z", "target_fcr": 120, **base})
        with self.assertRaisesRegex(ValidationError, "not marked"):
            Agreement.create(
                {
                    "name": "Y",
                    "partner_org_id": self.customer.id,
                    "date_start": "2026-01-01",
                }
            )
        # The promised figures are stored, with the operator's defaults.
        self.assertEqual(
            (
                self.agreement.ack_minutes,
                self.agreement.contact_hours,
                self.agreement.report_hours,
                self.agreement.callback_hours,
                self.agreement.resolve_working_days,
            ),
            (30, 24, 4, 72, 7),
        )

    @freeze_time("2028-02-01")
    def test_agreement_state_search(self):
        running = self.env["complaint.partner.agreement"].search(
            [
                ("state", "=", "running"),
                ("id", "in", (self.agreement + self.other_agreement).ids),
            ]
        )
        self.assertEqual(running, self.other_agreement)
        self.assertEqual(self.agreement.state, "ended")

    # Hand-off ----------------------------------------------------------

    def test_transfer_refused_without_information(self):
        ticket = self._create_complaint()
        ticket.with_user(self.handler).action_complaint_accept()
        ticket.write(
            {
                "partner_id": False,
                "partner_name": False,
                "id_number": False,
                "account_number": False,
            }
        )
        with self.assertRaisesRegex(UserError, "customer name.*ID document or account"):
            ticket.env["complaint.transfer"].with_user(self.handler)._hand_off(
                ticket, self.agreement
            )
        self.assertFalse(ticket.partner_org_id)
        self.assertFalse(ticket.transfer_ids)

    def test_transfer_refused_out_of_scope_or_step(self):
        ticket = self._create_complaint()
        with self.assertRaisesRegex(UserError, "only accepted complaints"):
            ticket.env["complaint.transfer"].with_user(self.handler)._hand_off(
                ticket, self.agreement
            )
        ticket.with_user(self.handler).action_complaint_accept()
        self.agreement.category_ids = self.category_signal
        with self.assertRaisesRegex(UserError, "does not cover"):
            ticket.env["complaint.transfer"].with_user(self.handler)._hand_off(
                ticket, self.agreement
            )
        # The billing parent type covers its sub-types.
        self.agreement.category_ids = self.category_billing.parent_id
        ticket.env["complaint.transfer"].with_user(self.handler)._hand_off(
            ticket, self.agreement
        )
        self.assertEqual(ticket.partner_org_id, self.org)

    @freeze_time("2026-11-23 08:00:00")
    def test_transfer_and_acknowledge(self):
        ticket = self._handed_complaint(acknowledged=False)
        transfer = ticket.transfer_id
        self.assertEqual(transfer.state, "sent")
        self.assertEqual(transfer.sent_by_id, self.handler)
        self.assertEqual(ticket.transfer_state, "sent")
        self.assertIn("Handed to Yuexin", ticket.message_ids[0].body)
        # The supervisor agent got the notice, without becoming a follower.
        notified = (
            self.env["mail.message"]
            .search([("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)])
            .partner_ids
        )
        self.assertIn(self.org_supervisor.partner_id, notified)
        self.assertNotIn(self.org_supervisor.partner_id, ticket.message_partner_ids)
        # Another organisation cannot acknowledge it.
        with self.assertRaises(AccessError):
            ticket.with_user(self.other_agent).transfer_id.action_acknowledge()
        with freeze_time("2026-11-23 08:20:00"):
            ticket.with_user(self.agent).transfer_id.action_acknowledge()
        self.assertEqual(transfer.state, "acknowledged")
        self.assertEqual(
            transfer.date_acknowledged,
            fields.Datetime.to_datetime("2026-11-23 08:20:00"),
        )
        self.assertEqual(transfer.acknowledged_by_id, self.agent)
        self.assertEqual(ticket.complaint_state, "handling")
        with self.assertRaisesRegex(UserError, "already acknowledged"):
            ticket.with_user(self.agent2).transfer_id.action_acknowledge()

    def test_hand_off_in_one_batch(self):
        """Several complaints handed at once: one notice lists them all."""
        tickets = self._create_complaint() | self._create_complaint(
            name="No signal at home"
        )
        tickets.with_user(self.handler).action_complaint_accept()
        self.env["complaint.transfer"].with_user(self.handler)._hand_off(
            tickets, self.agreement
        )
        self.assertEqual(set(tickets.mapped("transfer_state")), {"sent"})
        notice = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "in", tickets.ids),
                ("partner_ids", "in", self.org_supervisor.partner_id.ids),
            ]
        )
        self.assertEqual(len(notice), 1)
        for ticket in tickets:
            self.assertIn(ticket.number, notice.body)

    def test_agent_visibility_and_masking(self):
        ticket = self._handed_complaint()
        not_handed = self._create_complaint(
            partner_id=self.portal_customer.partner_id.id
        )
        self.assertTrue(self._visible(self.agent, ticket))
        self.assertFalse(self._visible(self.agent, not_handed))
        self.assertFalse(self._visible(self.other_agent, ticket))
        self.assertFalse(self._visible(self.other_customer, ticket))
        self.assertTrue(self._visible(self.portal_customer, not_handed))
        as_agent = ticket.with_user(self.agent)
        with self.assertRaises(AccessError):
            as_agent.read(["id_number"])
        with self.assertRaises(AccessError):
            as_agent.read(["contact_phone"])
        self.assertEqual(as_agent.id_number_masked, "110***********002X")
        self.assertEqual(as_agent.contact_phone_portal, "+8619999990001")
        self.assertEqual(
            ticket.with_user(self.other_customer).contact_phone_portal, "+86199****0001"
        )
        # Logs, hand-offs: only those of the organisation's complaints.
        log = self.env["complaint.handling.log"].create(
            {"ticket_id": not_handed.id, "log_type": "note", "description": "internal"}
        )
        with self.assertRaises(AccessError):
            log.with_user(self.agent).read(["description"])
        self.assertEqual(
            self.env["complaint.transfer"].with_user(self.agent).search([]),
            ticket.transfer_id,
        )
        self.assertFalse(
            self.env["complaint.transfer"].with_user(self.other_agent).search([])
        )

    def test_phone_masked_once_closed(self):
        ticket = self._handed_complaint()
        self._drive_to(ticket, "closed")
        ticket.invalidate_recordset()
        self.assertEqual(
            ticket.with_user(self.agent).contact_phone_portal, "+86199****0001"
        )

    def test_agent_full_flow(self):
        ticket = self._handed_complaint()
        as_agent = ticket.with_user(self.agent)
        as_agent.transfer_id.action_take()
        self.assertEqual(ticket.partner_agent_id, self.agent)
        # Another agent of the organisation cannot act on it; the supervisor can.
        with self.assertRaisesRegex(UserError, "assigned to Liu Yang"):
            ticket.with_user(self.agent2).transfer_id.action_add_log(
                {"log_type": "note", "description": "x"}
            )
        log = as_agent.transfer_id.action_add_log(
            {
                "log_type": "contact",
                "contact_result": "reached",
                "description": "Called the customer, bill checked.",
            },
            [("bill.pdf", b"%PDF-1.4 evidence")],
        )
        self.assertEqual(log.user_id, self.agent)
        self.assertEqual(log.attachment_ids.name, "bill.pdf")
        self.assertEqual(log.attachment_ids.res_model, "complaint.handling.log")
        tech_log = as_agent.transfer_id.action_add_log(
            {"log_type": "tech_request", "description": "Check the billing records"}
        )
        self.assertEqual(tech_log.tech_user_id, self.tech)
        tech_log.with_user(self.tech).tech_answer = "Charged twice by a batch error."
        tech_log.with_user(self.tech).action_answer_tech_request()
        self.assertEqual(
            self.env["complaint.handling.log"]
            .with_user(self.agent)
            .browse(tech_log.id)
            .tech_answer,
            "Charged twice by a batch error.",
        )
        with self.assertRaisesRegex(UserError, "Describe"):
            as_agent.transfer_id.action_propose_solution("  ")
        as_agent.transfer_id.action_propose_solution("Refund the duplicated fee.")
        as_agent.transfer_id.action_confirm_solution()
        self.assertEqual(ticket.complaint_state, "solution_confirmed")
        feedback = as_agent.transfer_id.action_report_result(
            {"channel": "phone", "conclusion": "Refunded 58 yuan."}
        )
        self.assertEqual(feedback.user_id, self.agent)
        self.assertEqual(ticket.complaint_state, "result_reported")
        as_agent.transfer_id.action_record_callback(
            {"reached": "1", "satisfaction": "5", "problem_solved": "1"}
        )
        self.assertEqual(ticket.complaint_state, "callback_done")
        bodies = " ".join(ticket.message_ids.mapped("body"))
        for text in (
            "Acknowledged by Liu Yang",
            "Partner agent: Liu Yang",
            "logged Contact attempt",
            "Solution proposed by Liu Yang",
            "Result reported to the customer",
        ):
            self.assertIn(text, bodies)
        # The carrier closes; the organisation keeps reading its case.
        ticket.with_user(self.handler).action_complaint_close()
        self.assertTrue(self._visible(self.agent, ticket))

    def test_supervisor_assigns(self):
        ticket = self._handed_complaint()
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).transfer_id.action_assign(self.agent2)
        with self.assertRaisesRegex(UserError, "agent of your organisation"):
            ticket.with_user(self.org_supervisor).transfer_id.action_assign(
                self.other_agent
            )
        ticket.with_user(self.org_supervisor).transfer_id.action_assign(self.agent2)
        self.assertEqual(ticket.partner_agent_id, self.agent2)

    def test_agreement_starts_on_the_users_local_day(self):
        """An agreement in force from a date receives complaints from that
        day's midnight in the user's time zone, as the wizard offers it."""
        self.agreement.date_start = "2027-01-01"
        ticket = self._create_complaint(partner_id=self.portal_customer.partner_id.id)
        ticket.with_user(self.handler).action_complaint_accept()
        handler = ticket.with_user(self.handler).with_context(tz="Asia/Shanghai")
        with freeze_time("2026-12-31 15:00:00"):  # 23:00 in Shanghai
            self.assertEqual(self.agreement.with_env(handler.env).state, "future")
            with self.assertRaisesRegex(UserError, "does not cover"):
                handler.env["complaint.transfer"]._hand_off(handler, self.agreement)
        self.env.invalidate_all()  # the state is computed for "today"
        with freeze_time("2026-12-31 17:00:00"):  # 01:00 on 1 January in Shanghai
            self.assertEqual(self.agreement.with_env(handler.env).state, "running")
            handler.env["complaint.transfer"]._hand_off(handler, self.agreement)
        self.assertEqual(ticket.partner_org_id, self.org)

    def test_return_to_carrier(self):
        ticket = self._handed_complaint(acknowledged=False)
        with self.assertRaisesRegex(UserError, "Explain"):
            ticket.with_user(self.agent).transfer_id.action_return("incomplete", "")
        ticket.with_user(self.agent).transfer_id.action_return(
            "out_of_scope", "We do not handle broadband."
        )
        transfer = ticket.transfer_ids
        self.assertEqual(transfer.state, "returned")
        self.assertEqual(transfer.return_reason, "out_of_scope")
        self.assertFalse(ticket.partner_org_id)
        self.assertFalse(self._visible(self.agent, ticket))
        returned = ticket.activity_ids.filtered(
            lambda a: "returned" in (a.summary or "")
        )
        self.assertEqual(returned.user_id, ticket.user_id or ticket.first_responder_id)
        self.assertEqual(returned.note, Markup("<p>We do not handle broadband.</p>"))

    def test_agent_text_lands_escaped_in_the_owners_activity(self):
        """What an agent types is text: markup in it reaches the owner's
        activity escaped, neither rendered nor silently dropped."""
        ticket = self._handed_complaint(acknowledged=False)
        ticket.with_user(self.agent).transfer_id.action_return(
            "out_of_scope",
            '<img src=x onerror="alert(1)"><a href="https://evil.example">'
            "Pay here</a>\nSecond line",
        )
        returned = ticket.activity_ids.filtered(
            lambda a: "returned" in (a.summary or "")
        )
        self.assertNotIn("<img", returned.note)
        self.assertNotIn("<a ", returned.note)
        self.assertIn("&lt;img", returned.note)
        self.assertIn("Pay here", returned.note)
        self.assertIn("<br>", returned.note)
        self.assertIn("https://evil.example", returned.note)

    def test_take_back_removes_all_access(self):
        ticket = self._handed_complaint()
        as_agent = ticket.with_user(self.agent)
        # Posting in the portal chatter makes the agent a follower...
        ticket.message_subscribe(partner_ids=self.agent.partner_id.ids)
        self.assertIn(self.agent.partner_id, ticket.message_partner_ids)
        log = as_agent.transfer_id.action_add_log(
            {"log_type": "note", "description": "x"}
        )
        ticket.with_user(self.handler)._complaint_take_back(note="Handled in-house")
        # ...the take-back removes it: nothing stays readable.
        self.assertNotIn(self.agent.partner_id, ticket.message_partner_ids)
        self.assertEqual(ticket.transfer_ids.state, "recalled")
        for user in (self.agent, self.agent2, self.org_supervisor):
            self.assertFalse(self._visible(user, ticket))
            with self.assertRaises(AccessError):
                log.with_user(user).read(["description"])
            self.assertFalse(self.env["complaint.transfer"].with_user(user).search([]))
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).transfer_id.action_add_log(
                {"log_type": "note", "description": "late"}
            )

    def test_reassign_and_rehandle(self):
        ticket = self._handed_complaint()
        ticket.env["complaint.transfer"].with_user(self.handler)._hand_off(
            ticket, self.other_agreement
        )
        self.assertEqual(ticket.partner_org_id, self.other_org)
        self.assertEqual(
            ticket.transfer_ids.sorted("id").mapped("state"), ["reassigned", "sent"]
        )
        self.assertFalse(self._visible(self.agent, ticket))
        self.assertTrue(self._visible(self.other_agent, ticket))
        ticket.with_user(self.other_agent).transfer_id.action_acknowledge()
        self._drive_to(ticket, "result_reported")
        with self.assertRaisesRegex(UserError, "Only a supervisor"):
            ticket.with_user(self.handler)._complaint_order_rehandle("Wrong amount")
        with self.assertRaisesRegex(UserError, "reason"):
            ticket.with_user(self.supervisor)._complaint_order_rehandle(" ")
        ticket.with_user(self.supervisor)._complaint_order_rehandle("Wrong amount")
        self.assertEqual(ticket.complaint_state, "handling")
        self.assertEqual(ticket.handling_round, 2)
        self.assertEqual(ticket.transfer_id.rehandle_count, 1)
        self.assertTrue(self._visible(self.other_agent, ticket))

    def test_transfer_wizard(self):
        ticket = self._create_complaint()
        ticket.with_user(self.handler).action_complaint_accept()
        action = ticket.with_user(self.handler).action_complaint_transfer()
        wizard = (
            self.env["complaint.transfer.wizard"]
            .with_user(self.handler)
            .with_context(**action["context"])
            .create({"partner_org_id": self.org.id})
        )
        wizard._onchange_partner_org_id()
        self.assertEqual(wizard.agreement_id, self.agreement)
        wizard.action_confirm()
        self.assertEqual(ticket.partner_org_id, self.org)
        action = ticket.with_user(self.handler).action_complaint_take_back()
        self.env["complaint.transfer.wizard"].with_user(self.handler).with_context(
            **action["context"]
        ).create({}).action_confirm()
        self.assertFalse(ticket.partner_org_id)

    # Customer ----------------------------------------------------------

    def test_customer_confirms_and_rates(self):
        ticket = self._create_complaint(partner_id=self.portal_customer.partner_id.id)
        ticket.with_user(self.handler).action_complaint_accept()
        ticket.with_user(self.handler).action_complaint_start()
        with self.assertRaisesRegex(UserError, "no proposed solution"):
            ticket.with_user(self.portal_customer).action_portal_confirm_solution()
        ticket.with_user(self.handler).solution_measures = "Refund"
        with self.assertRaises(AccessError):
            ticket.with_user(self.other_customer).action_portal_confirm_solution()
        ticket.with_user(self.portal_customer).action_portal_confirm_solution()
        self.assertTrue(ticket.customer_confirmed)
        self._drive_to(ticket, "result_reported")
        with self.assertRaisesRegex(UserError, "how satisfied"):
            ticket.with_user(self.portal_customer).action_portal_rate("9", True, "")
        ticket.with_user(self.portal_customer).action_portal_rate(
            "2", False, "Still wrong"
        )
        self.assertEqual(ticket.satisfaction, "2")
        self.assertEqual(ticket.callback_ids.channel, "portal")
        # Unsatisfied: a new handling round, escalated.
        self.assertEqual(ticket.complaint_state, "handling")
        self.assertEqual(ticket.handling_round, 2)
        self.assertEqual(ticket.escalation_level, "2")

    # Agreement end -------------------------------------------------------

    def test_agreement_end_removes_access_at_once(self):
        ticket = self._handed_complaint()
        log = ticket.with_user(self.agent).transfer_id.action_add_log(
            {"log_type": "note", "description": "x"}
        )
        other = self._handed_complaint(acknowledged=False)
        self.agreement.date_end = fields.Date.subtract(fields.Date.today(), days=1)
        for each in (ticket, other):
            self.assertFalse(each.partner_org_id)
            self.assertEqual(each.transfer_ids.state, "expired")
        for user in (self.agent, self.agent2, self.org_supervisor):
            self.assertFalse(self._visible(user, ticket))
            self.assertFalse(self._visible(user, other))
            with self.assertRaises(AccessError):
                log.with_user(user).read(["description"])

    def test_agreement_archived_or_expired_by_the_job(self):
        ticket = self._handed_complaint()
        with freeze_time("2027-12-31 12:00:00"):
            self.env["complaint.partner.agreement"]._cron_end_expired_agreements()
        self.assertEqual(ticket.partner_org_id, self.org)  # still in force that day
        with freeze_time("2028-01-01 00:30:00"):
            self.env["complaint.partner.agreement"]._cron_end_expired_agreements()
        self.assertFalse(ticket.partner_org_id)
        self.assertFalse(self._visible(self.agent, ticket))
        second = self._create_complaint()
        second.with_user(self.handler).action_complaint_accept()
        second.env["complaint.transfer"].with_user(self.handler)._hand_off(
            second, self.other_agreement
        )
        self.other_agreement.active = False
        self.assertFalse(second.partner_org_id)
        self.assertFalse(self._visible(self.other_agent, second))

    def test_job_notes_in_the_company_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.company.partner_id.lang = "zh_CN"
        ticket = self._handed_complaint()
        with freeze_time("2028-01-01 00:30:00"):
            self.env["complaint.partner.agreement"].with_context(
                lang="en_US"
            )._cron_end_expired_agreements()
        self.assertFalse(ticket.partner_org_id)
        bodies = " ".join(str(body) for body in ticket.message_ids.mapped("body"))
        self.assertIn("的服务协议 SA-2026-001 已终止", bodies)
        self.assertNotIn("The agreement SA-2026-001", bodies)
