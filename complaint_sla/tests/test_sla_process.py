# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SlaCommon, utc


@tagged("post_install", "-at_install")
class TestSlaProcess(SlaCommon):
    def test_policy_chosen_by_criteria_first_match_wins(self):
        billing_root = self.category_billing.parent_id
        specific = self.policy.copy(
            {
                "name": "Billing, major",
                "sequence": 1,
                "severity": "major",
                "category_ids": [(6, 0, billing_root.ids)],
            }
        )
        major = self._create_complaint(severity="major")
        general = self._create_complaint(severity="general")
        signal = self._create_complaint(
            severity="major", category_id=self.category_signal.id
        )
        self.assertEqual(major.sla_policy_id, specific, "sub-type matches its parent")
        self.assertEqual(general.sla_policy_id, self.policy)
        self.assertEqual(signal.sla_policy_id, self.policy)
        self.assertEqual(len(major.sla_line_ids), 4)
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Question", "description": "<p>?</p>"}
        )
        self.assertFalse(plain.sla_line_ids)

    def test_clocks_of_a_batch_keep_their_complaint_and_milestone(self):
        """The clocks of a batch are written at once: what they store of their
        complaint and milestone is what the related fields give, and it still
        follows the complaint afterwards."""
        batch = (
            self.env["helpdesk.ticket"]
            .with_user(self.handler)
            .create(
                [
                    self._complaint_vals(),
                    self._complaint_vals(category_id=self.category_signal.id),
                ]
            )
        )
        self.env.invalidate_all()
        lines = batch.sla_line_ids
        self.assertEqual(len(lines), 8)
        for line in lines:
            ticket, milestone = line.ticket_id, line.milestone_id
            self.assertEqual(
                (line.company_id, line.category_id, line.team_id),
                (ticket.company_id, ticket.category_id, ticket.team_id),
            )
            self.assertEqual(
                (line.policy_id, line.sequence), (self.policy, milestone.sequence)
            )
            self.assertEqual(line.create_uid, self.handler)
            self.assertEqual(line.late_minutes, 0)
        self.assertEqual(batch.mapped("sla_state"), ["on_time", "on_time"])
        lines_model = self.env["complaint.sla.line"]
        signal = [
            ("ticket_id", "in", batch.ids),
            ("category_id", "=", self.category_signal.id),
        ]
        self.assertEqual(lines_model.search(signal).ticket_id, batch[1])
        batch[0].category_id = self.category_signal
        self.assertEqual(lines_model.search(signal).ticket_id, batch)
        self.assertEqual(
            self.env["helpdesk.ticket"].search(
                [("id", "in", batch.ids), ("sla_state", "=", "on_time")]
            ),
            batch,
        )

    def test_clocks_start_and_are_met_by_their_events(self):
        with freeze_time(utc("2026-11-23 10:00")):
            ticket = self._create_complaint(
                user=self.handler, received_date=utc("2026-11-23 09:50")
            )
        contact = self._line(ticket, "Contact in 24 h")
        accept = self._line(ticket, "Accept in 30 min")
        result = self._line(ticket, "Result in 4 h")
        close = self._line(ticket, "Close in 7 working days")
        self.assertEqual(contact.status, "running")
        self.assertEqual(contact.start_date, utc("2026-11-23 09:50"))
        self.assertEqual(contact.deadline, utc("2026-11-24 09:50"))
        self.assertEqual(accept.deadline, utc("2026-11-23 10:20"))
        self.assertEqual(close.deadline, utc("2026-12-02 09:50"))
        self.assertEqual(result.status, "not_started")
        self.assertEqual(ticket.sla_state, "on_time")
        self.assertEqual(ticket.sla_deadline, utc("2026-11-23 10:20"))
        with freeze_time(utc("2026-11-23 10:40")):
            ticket.with_user(self.handler).action_complaint_accept()
        self.assertEqual(accept.status, "met_late")
        self.assertEqual(accept.met_date, utc("2026-11-23 10:40"))
        self.assertEqual(accept.late_minutes, 20)
        with freeze_time(utc("2026-11-23 11:00")):
            ticket.with_user(self.handler).action_complaint_start()
            self.env["complaint.handling.log"].with_user(self.handler).create(
                {
                    "ticket_id": ticket.id,
                    "log_type": "contact",
                    "contact_result": "no_answer",
                    "description": "No answer.",
                }
            )
            self.assertEqual(contact.status, "running", "not reached yet")
            self.env["complaint.handling.log"].with_user(self.handler).create(
                {
                    "ticket_id": ticket.id,
                    "log_type": "contact",
                    "contact_result": "reached",
                    "description": "Talked.",
                }
            )
        self.assertEqual(contact.status, "met")
        with freeze_time(utc("2026-11-24 09:00")):
            ticket.with_user(self.handler).solution_measures = "Refund."
            ticket.with_user(self.handler).action_complaint_confirm_solution()
        self.assertEqual(result.status, "running")
        self.assertEqual(result.deadline, utc("2026-11-24 13:00"))

    def test_pause_while_waiting_for_the_customer(self):
        with freeze_time(utc("2026-11-23 10:00")):
            ticket = self._create_complaint()
            ticket.action_complaint_accept()
            ticket.action_complaint_start()
        contact = self._line(ticket, "Contact in 24 h")
        with freeze_time(utc("2026-11-23 12:00")):
            ticket.stage_id = self.waiting_stage
        self.assertEqual(contact.status, "paused")
        with freeze_time(utc("2026-11-23 15:00")):
            ticket.stage_id = self.waiting_stage.search(
                [
                    ("complaint_step", "=", "handling"),
                    ("id", "!=", self.waiting_stage.id),
                ],
                limit=1,
            )
        self.assertEqual(contact.status, "running")
        self.assertEqual(contact.paused_minutes, 180)
        self.assertEqual(contact.deadline, utc("2026-11-24 13:00"))

    def test_refused_complaint_cancels_its_clocks(self):
        ticket = self._create_complaint()
        self.env["complaint.refuse.wizard"].create(
            {
                "ticket_id": ticket.id,
                "reason_id": self.env.ref(
                    "complaint_handling.complaint_refuse_reason_outside_scope"
                ).id,
                "explanation": "Not ours.",
            }
        ).action_refuse()
        self.assertEqual(set(ticket.sla_line_ids.mapped("status")), {"cancelled"})

    def test_lines_are_history_for_users(self):
        ticket = self._create_complaint()
        line = self._line(ticket, "Contact in 24 h").with_user(self.supervisor)
        with self.assertRaises(AccessError):
            line.write({"deadline": utc("2030-01-01 00:00")})
        with self.assertRaises(AccessError):
            line.unlink()

    def test_reapply_policy_on_request_keeps_history(self):
        ticket = self._create_complaint()
        old_lines = ticket.sla_line_ids
        new_policy = self.env["complaint.sla.policy"].create(
            {
                "name": "Stricter",
                "sequence": 1,
                "milestone_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Contact in 2 h",
                            "target": 2,
                            "unit": "hours",
                            "start_event": "received",
                            "fulfil_event": "first_contact",
                        },
                    ),
                ],
            }
        )
        self.assertEqual(ticket.sla_policy_id, self.policy, "not applied silently")
        ticket.with_user(self.supervisor).action_sla_reapply()
        self.assertEqual(ticket.sla_policy_id, new_policy)
        self.assertEqual(set(old_lines.mapped("status")), {"cancelled"})
        new_line = ticket.sla_line_ids - old_lines
        self.assertEqual(new_line.status, "running")
        self.assertIn("Stricter", ticket.message_ids[0].body)

    def test_extension_requested_then_approved_by_supervisor(self):
        with freeze_time(utc("2026-11-23 10:00")):
            ticket = self._create_complaint(user=self.handler)
        close = self._line(ticket, "Close in 7 working days")
        extension_model = self.env["complaint.sla.extension"].with_user(self.handler)
        with self.assertRaisesRegex(UserError, "later than the current"):
            extension_model.create(
                {
                    "line_id": close.id,
                    "reason": "x",
                    "requested_deadline": close.deadline - timedelta(days=1),
                }
            )
        extension = extension_model.create(
            {
                "line_id": close.id,
                "reason": "Waiting for the manufacturer's report.",
                "requested_deadline": close.deadline + timedelta(days=5),
            }
        )
        with self.assertRaisesRegex(UserError, "Only a supervisor"):
            extension.action_approve()
        with self.assertRaisesRegex(UserError, "customer was told"):
            extension.with_user(self.supervisor).action_approve()
        extension.write(
            {"customer_informed": True, "customer_note": "Told by phone on 23 Nov."}
        )
        with self.assertRaises(UserError):
            extension.write({"state": "approved"})
        extension.with_user(self.supervisor).action_approve()
        self.assertEqual(close.deadline, extension.requested_deadline)
        self.assertEqual(extension.decided_by_id, self.supervisor)
        self.assertIn("approved", ticket.message_ids[0].body)

    def test_own_extension_is_decided_by_someone_else(self):
        ticket = self._create_complaint(user=self.handler)
        close = self._line(ticket, "Close in 7 working days")
        extension = (
            self.env["complaint.sla.extension"]
            .with_user(self.supervisor)
            .create(
                {
                    "line_id": close.id,
                    "reason": "Waiting for the manufacturer's report.",
                    "requested_deadline": close.deadline + timedelta(days=5),
                    "customer_informed": True,
                }
            )
        )
        with self.assertRaisesRegex(UserError, "Someone else decides"):
            extension.action_approve()
        for vals in (
            {"decision_date": "2020-01-01 00:00:00"},
            {"requested_by_id": self.handler.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                extension.with_user(self.handler).write(vals)
        self.assertEqual(extension.state, "pending")
        self.assertEqual(extension.requested_by_id, self.supervisor)

    def test_existing_complaints_get_their_history_replayed(self):
        self.policy.active = False
        with freeze_time(utc("2026-11-02 10:00")):
            ticket = self._create_complaint()
            ticket.action_complaint_accept()
            ticket.action_complaint_start()
        with freeze_time(utc("2026-11-04 10:00")):
            self.env["complaint.handling.log"].create(
                {
                    "ticket_id": ticket.id,
                    "log_type": "contact",
                    "contact_result": "reached",
                    "description": "Talked.",
                }
            )
        self.assertFalse(ticket.sla_line_ids)
        self.policy.active = True
        with freeze_time(utc("2026-11-23 10:00")):
            ticket._sla_apply_policy()
            ticket._sla_replay_history()
        contact = self._line(ticket, "Contact in 24 h")
        self.assertEqual(contact.start_date, utc("2026-11-02 10:00"))
        self.assertEqual(contact.status, "met_late")
        self.assertEqual(contact.met_date, utc("2026-11-04 10:00"))
        self.assertEqual(self._line(ticket, "Result in 4 h").status, "not_started")

    def test_views_and_actions_load(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", "complaint_sla"), ("model", "=", "ir.actions.act_window")]
        )
        actions = self.env["ir.actions.act_window"].browse(data.mapped("res_id"))
        self.assertEqual(len(actions), 3)
        for action in actions:
            model = self.env[action.res_model].with_user(self.manager)
            views = [(False, mode) for mode in action.view_mode.split(",")]
            self.assertTrue(model.get_views(views)["views"])
        form = (
            self.env["helpdesk.ticket"]
            .with_user(self.handler)
            .get_views([(False, "form"), (False, "kanban"), (False, "list")])
        )
        self.assertIn("sla_state", form["views"]["form"]["arch"])
        self.assertIn("sla_state", form["views"]["kanban"]["arch"])
        self.assertIn("sla_deadline", form["views"]["list"]["arch"])

    def test_accept_query_count_with_clocks(self):
        ticket = self._create_complaint()
        self.env.invalidate_all()
        # 31: the confidential-complaint and department record rules read the
        # user's departments and add constant subqueries; the event's date is
        # recorded for clocks created later (one UPDATE); the personal values
        # the acceptance checks are read as superuser (one SELECT); the clock
        # met on a calendar measures its working time (the calendar, its
        # attendances, public holidays and make-up days: five).
        with self.assertQueryCount(36):
            ticket.with_user(self.handler).action_complaint_accept()
        self.assertEqual(self._line(ticket, "Accept in 30 min").status, "met")

    def test_event_costs_the_same_for_any_batch(self):
        """The SLA listens to ``_complaint_event`` once per batch: the queries
        of an event do not grow with the complaints it concerns."""

        class Rollback(Exception):
            pass

        def queries(tickets):
            """Queries of the event on ``tickets``; its effects rolled back."""
            self.env.invalidate_all()
            with self.assertRaises(Rollback), self.cr.savepoint():
                start = self.cr.sql_log_count
                tickets._complaint_event("accepted")
                self.env.flush_all()
                count = self.cr.sql_log_count - start
                accept = tickets.sla_line_ids.filtered(
                    lambda line: line.name == "Accept in 30 min"
                )
                self.assertEqual(set(accept.mapped("status")), {"met"})
                raise Rollback()
            self.env.invalidate_all()
            return count

        tickets = self.env["helpdesk.ticket"].create(
            [
                self._complaint_vals(
                    partner_id=False, service_number=f"138001390{i:02d}"
                )
                for i in range(8)
            ]
        )
        queries(tickets[:2])  # warm the caches
        self.assertEqual(queries(tickets[:2]), queries(tickets))

    def test_extension_refused_keeps_the_deadline(self):
        ticket = self._create_complaint(user=self.handler)
        close = self._line(ticket, "Close in 7 working days")
        deadline = close.deadline
        extension = (
            self.env["complaint.sla.extension"]
            .with_user(self.handler)
            .create(
                {
                    "line_id": close.id,
                    "reason": "More time, please.",
                    "requested_deadline": deadline + timedelta(days=3),
                }
            )
        )
        extension.with_user(self.supervisor).action_refuse("Not justified.")
        self.assertEqual(extension.state, "refused")
        self.assertEqual(close.deadline, deadline)
        with self.assertRaisesRegex(UserError, "already decided"):
            extension.with_user(self.supervisor).action_approve()

    def test_refuses_to_coexist_with_oca_helpdesk_mgmt_sla(self):
        module = self.env["ir.module.module"].search([("name", "=", "complaint_sla")])
        self.assertIn("helpdesk_mgmt_sla", module.exclusion_ids.mapped("name"))

    def test_closed_or_refused_complaint_shows_no_running_clock(self):
        ticket = self._drive_to(self._create_complaint(), "closed")
        self.assertFalse(
            ticket.sla_line_ids.filtered(
                lambda line: line.status in ("not_started", "running", "paused")
            )
        )
        self.assertIn(ticket.sla_state, ("met", "met_late"))
        self.assertFalse(ticket.sla_deadline)
        refused = self._create_complaint(service_number="13900000002")
        reason = self.env["complaint.refuse.reason"].create(
            {"name": "Outside our services", "reason_type": "outside_scope"}
        )
        self.env["complaint.refuse.wizard"].with_user(self.handler).create(
            {
                "ticket_id": refused.id,
                "reason_id": reason.id,
                "explanation": "A matter for the bank.",
            }
        ).action_refuse()
        self.assertEqual(refused.complaint_state, "refused")
        self.assertFalse(refused.sla_state)
        self.assertFalse(refused.sla_deadline)

    def test_trouble_ticket_shows_the_next_deadline(self):
        """The carrier's systems read the next deadline in the TMF621
        resource (expectedResolutionDate) and the SLA state."""
        with freeze_time(utc("2026-11-23 10:00")):
            ticket = self._create_complaint(
                user=self.handler, received_date=utc("2026-11-23 09:50")
            )
            (resource,) = ticket.with_user(self.handler)._tmf_resources("/tt")
        self.assertEqual(resource["expectedResolutionDate"], "2026-11-23T02:20:00Z")
        characteristics = {
            item["name"]: item["value"]
            for item in resource["troubleTicketCharacteristic"]
        }
        self.assertEqual(characteristics["slaState"], "on_time")
