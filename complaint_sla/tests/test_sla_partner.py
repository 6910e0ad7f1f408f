# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from freezegun import freeze_time

from odoo import Command, fields

from odoo.addons.complaint_handling.tests.common import ComplaintPartnerCommon

from .common import SlaTestMixin


def dt(value):
    return fields.Datetime.to_datetime(value)


class TestSlaPartner(SlaTestMixin, ComplaintPartnerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._sla_isolate()
        cls.carrier_policy = cls.env["complaint.sla.policy"].create(
            {
                "name": "Carrier policy",
                "sequence": 50,
                "kind": "complaint",
                "milestone_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Contact in 24 h",
                            "target": 24,
                            "unit": "hours",
                            "start_event": "received",
                            "fulfil_event": "first_contact",
                        },
                    )
                ],
            }
        )
        cls.agreement.action_generate_sla_policy()
        cls.org_policy = cls.agreement.sla_policy_ids

    def _line(self, ticket, start, fulfil):
        return ticket.sla_line_ids.filtered(
            lambda line: line.milestone_id.start_event == start
            and line.milestone_id.fulfil_event == fulfil
        )

    def test_policy_generated_from_agreement(self):
        policy = self.org_policy
        self.assertEqual(policy.agreement_id, self.agreement)
        targets = {
            (m.start_event, m.fulfil_event): (m.target, m.unit)
            for m in policy.milestone_ids
        }
        self.assertEqual(
            targets,
            {
                ("transferred", "acknowledged"): (30, "minutes"),
                ("transferred", "first_contact"): (24, "hours"),
                ("solution_confirmed", "result_reported"): (4, "hours"),
                ("result_reported", "callback_done"): (72, "hours"),
                ("received", "closed"): (7, "working_days"),
            },
        )
        # Generating again follows the agreement, without duplicates.
        self.agreement.ack_minutes = 45
        self.agreement.action_generate_sla_policy()
        self.assertEqual(self.agreement.sla_policy_ids, policy)
        self.assertEqual(len(policy.milestone_ids), 5)
        ack = policy.milestone_ids.filtered(lambda m: m.fulfil_event == "acknowledged")
        self.assertEqual((ack.target, ack.unit), (45, "minutes"))

    @freeze_time("2026-11-23 02:00:00")
    def test_transfer_applies_agreement_limits(self):
        ticket = self._create_complaint(partner_id=self.portal_customer.partner_id.id)
        self.assertEqual(ticket.sla_policy_id, self.carrier_policy)
        carrier_line = ticket.sla_line_ids
        ticket.with_user(self.handler).action_complaint_accept()
        ticket.env["complaint.transfer"].with_user(self.handler)._hand_off(
            ticket, self.agreement
        )
        self.assertEqual(ticket.sla_policy_id, self.org_policy)
        self.assertEqual(carrier_line.status, "cancelled")
        ack = self._line(ticket, "transferred", "acknowledged")
        self.assertEqual(ack.status, "running")
        self.assertEqual(ack.partner_org_id, self.org)
        self.assertEqual(ack.deadline, dt("2026-11-23 02:30:00"))
        self.assertEqual(
            self._line(ticket, "transferred", "first_contact").deadline,
            dt("2026-11-24 02:00:00"),
        )
        self.assertIn("SLA policy changed", " ".join(ticket.message_ids.mapped("body")))
        with freeze_time("2026-11-23 02:40:00"):
            ticket.with_user(self.agent).transfer_id.action_acknowledge()
        self.assertEqual(ack.status, "met_late")
        self.assertEqual(ack.met_date, dt("2026-11-23 02:40:00"))
        with freeze_time("2026-11-23 03:00:00"):
            ticket.with_user(self.agent).transfer_id.action_add_log(
                {
                    "log_type": "contact",
                    "contact_result": "reached",
                    "description": "Reached",
                }
            )
        self.assertEqual(
            self._line(ticket, "transferred", "first_contact").status, "met"
        )

    @freeze_time("2026-11-23 02:00:00")
    def test_return_restores_carrier_limits(self):
        ticket = self._handed_complaint(acknowledged=False)
        org_lines = ticket.sla_line_ids.filtered(
            lambda line: line.milestone_id.policy_id == self.org_policy
        )
        ticket.with_user(self.agent).transfer_id.action_return(
            "out_of_scope", "Not ours"
        )
        self.assertEqual(ticket.sla_policy_id, self.carrier_policy)
        self.assertEqual(set(org_lines.mapped("status")), {"cancelled"})
        carrier_lines = ticket.sla_line_ids.filtered(
            lambda line: line.milestone_id.policy_id == self.carrier_policy
            and line.status != "cancelled"
        )
        self.assertEqual(len(carrier_lines), 1)
        self.assertEqual(carrier_lines.status, "running")

    def _carrier_lines(self, ticket):
        return ticket.sla_line_ids.filtered(
            lambda line: line.policy_id == self.carrier_policy
            and line.status != "cancelled"
        )

    def _reached(self, ticket, when):
        with freeze_time(when):
            ticket.with_user(self.agent).transfer_id.action_add_log(
                {
                    "log_type": "contact",
                    "contact_result": "reached",
                    "description": "OK",
                }
            )

    def test_return_catches_up_carrier_clocks(self):
        """Back from the organisation, the carrier's clocks are created again
        from what happened meanwhile: started when their start event happened,
        met by the agent's contact. A clock that the hand-off fulfils is met by
        it, not cancelled with the carrier's policy."""
        self.carrier_policy.milestone_ids = [
            Command.create(
                {
                    "name": "Contact in 24 h after acceptance",
                    "target": 24,
                    "unit": "hours",
                    "start_event": "accepted",
                    "fulfil_event": "first_contact",
                }
            ),
            Command.create(
                {
                    "name": "Handed off in 2 h",
                    "target": 2,
                    "unit": "hours",
                    "start_event": "received",
                    "fulfil_event": "transferred",
                }
            ),
        ]
        with freeze_time("2026-11-23 02:00:00"):
            ticket = self._create_complaint(
                partner_id=self.portal_customer.partner_id.id
            )
        with freeze_time("2026-11-23 02:10:00"):
            ticket.with_user(self.handler).action_complaint_accept()
        with freeze_time("2026-11-23 02:30:00"):
            ticket.env["complaint.transfer"].with_user(self.handler)._hand_off(
                ticket, self.agreement
            )
        handed = self._carrier_lines(ticket)
        self.assertEqual(handed.name, "Handed off in 2 h")
        self.assertEqual(
            (handed.status, handed.met_date), ("met", dt("2026-11-23 02:30:00"))
        )
        with freeze_time("2026-11-23 02:40:00"):
            ticket.with_user(self.agent).transfer_id.action_acknowledge()
        self._reached(ticket, "2026-11-23 04:00:00")
        with freeze_time("2026-11-23 05:00:00"):
            ticket.with_user(self.agent).transfer_id.action_return(
                "out_of_scope", "Not ours"
            )
        lines = {line.name: line for line in self._carrier_lines(ticket)}
        self.assertEqual(len(lines), 3, "the met hand-off clock is not created again")
        self.assertEqual(lines["Handed off in 2 h"], handed)
        contact = lines["Contact in 24 h"]
        after = lines["Contact in 24 h after acceptance"]
        self.assertEqual(
            (contact.status, contact.start_date, contact.met_date),
            ("met", dt("2026-11-23 02:00:00"), dt("2026-11-23 04:00:00")),
        )
        self.assertEqual(
            (after.status, after.start_date, after.met_date),
            ("met", dt("2026-11-23 02:10:00"), dt("2026-11-23 04:00:00")),
        )

    def test_clock_past_its_deadline_on_return_breached_once(self):
        with freeze_time("2026-11-23 02:00:00"):
            ticket = self._create_complaint(
                partner_id=self.portal_customer.partner_id.id,
                user_id=self.handler.id,
            )
            ticket.with_user(self.handler).action_complaint_accept()
        with freeze_time("2026-11-23 03:00:00"):
            ticket.env["complaint.transfer"].with_user(self.handler)._hand_off(
                ticket, self.agreement
            )
        with freeze_time("2026-11-24 05:00:00"):
            ticket.with_user(self.agent).transfer_id.action_return(
                "out_of_scope", "Not ours"
            )
        contact = self._carrier_lines(ticket)
        self.assertEqual(contact.status, "running")
        self.assertEqual(contact.deadline, dt("2026-11-24 02:00:00"))
        self._run_job("2026-11-24 05:01:00")
        self.assertEqual(contact.status, "breached")
        breach = self._sla_activities(ticket)
        self.assertTrue(breach)
        escalations = ticket.escalation_ids
        self.assertEqual(escalations.reason, "time_limit")
        self._run_job("2026-11-24 06:00:00")
        self.assertEqual(self._sla_activities(ticket), breach)
        self.assertEqual(ticket.escalation_ids, escalations)

    def test_clock_breached_before_hand_off_not_breached_again(self):
        """A breach handled before the hand-off (owner told, complaint
        escalated) is not handled a second time when the complaint comes back
        and its clock is created again."""
        with freeze_time("2026-11-23 02:00:00"):
            ticket = self._create_complaint(
                partner_id=self.portal_customer.partner_id.id,
                user_id=self.handler.id,
            )
            ticket.with_user(self.handler).action_complaint_accept()
        first = self._carrier_lines(ticket)
        self._run_job("2026-11-24 03:00:00")
        self.assertEqual(first.status, "breached")
        breach, escalations = self._sla_activities(ticket), ticket.escalation_ids
        self.assertTrue(breach)
        self.assertTrue(escalations)
        with freeze_time("2026-11-24 04:00:00"):
            self.env["complaint.transfer"].sudo()._hand_off(ticket, self.agreement)
        self.assertEqual(first.status, "cancelled")
        # The carrier's clock ended with the hand-off: its breach activities
        # are done.
        self.assertFalse(breach.exists())
        with freeze_time("2026-11-24 05:00:00"):
            ticket.with_user(self.agent).transfer_id.action_return(
                "out_of_scope", "Not ours"
            )
        again = self._carrier_lines(ticket)
        self.assertNotEqual(again, first)
        self.assertEqual((again.status, again.breach_done), ("breached", True))
        self.assertEqual(again.start_date, dt("2026-11-23 02:00:00"))
        self._run_job("2026-11-24 06:00:00")
        # Not handled a second time: no new breach activity, no new escalation.
        self.assertFalse(self._sla_activities(ticket))
        self.assertEqual(ticket.escalation_ids, escalations)

    def test_reassignment_starts_a_new_round_of_hand_off_clocks(self):
        """The new organisation gets its own acknowledgement clock from its own
        hand-off, under the same policy; the first one's clock ends (kept when
        met, cancelled when open), and a clock that waits for the
        acknowledgement waits for the new one."""
        self.org_policy.active = False
        self.carrier_policy.milestone_ids = [
            Command.create(
                {
                    "name": "Acknowledged in 30 min",
                    "target": 30,
                    "unit": "minutes",
                    "start_event": "transferred",
                    "fulfil_event": "acknowledged",
                }
            ),
            Command.create(
                {
                    "name": "Solution agreed in 48 h after acknowledgement",
                    "target": 48,
                    "unit": "hours",
                    "start_event": "acknowledged",
                    "fulfil_event": "solution_confirmed",
                }
            ),
        ]

        def clock(ticket, name):
            return ticket.sla_line_ids.filtered(
                lambda line: line.name == name and line.status != "cancelled"
            ).sorted("id")[-1:]

        ack, solution = (
            "Acknowledged in 30 min",
            ("Solution agreed in 48 h after acknowledgement"),
        )
        with freeze_time("2026-11-23 02:00:00"):
            ticket = self._handed_complaint(acknowledged=False)
        first = clock(ticket, ack)
        self.assertEqual((first.status, first.partner_org_id), ("running", self.org))
        with freeze_time("2026-11-23 02:10:00"):
            ticket.with_user(self.agent).transfer_id.action_acknowledge()
        self.assertEqual(first.status, "met")
        first_solution = clock(ticket, solution)
        self.assertEqual(first_solution.start_date, dt("2026-11-23 02:10:00"))
        with freeze_time("2026-11-23 03:00:00"):
            ticket.env["complaint.transfer"].with_user(self.supervisor)._hand_off(
                ticket, self.other_agreement
            )
        self.assertEqual(ticket.sla_policy_id, self.carrier_policy)
        self.assertEqual(first.status, "met", "the first round stays on record")
        self.assertEqual(first_solution.status, "cancelled")
        second = clock(ticket, ack)
        self.assertNotEqual(second, first)
        self.assertEqual(
            (second.status, second.partner_org_id, second.deadline),
            ("running", self.other_org, dt("2026-11-23 03:30:00")),
        )
        self.assertEqual(clock(ticket, solution).status, "not_started")
        with freeze_time("2026-11-23 03:20:00"):
            ticket.with_user(self.other_agent).transfer_id.action_acknowledge()
        self.assertEqual(second.status, "met")
        self.assertEqual(clock(ticket, solution).start_date, dt("2026-11-23 03:20:00"))

    def test_breach_notifies_org_supervisor(self):
        with freeze_time("2026-11-23 02:00:00"):
            ticket = self._handed_complaint(acknowledged=False)
        self._run_job("2026-11-23 02:31:00")
        ack = self._line(ticket, "transferred", "acknowledged")
        self.assertEqual(ack.status, "breached")
        notice = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("subject", "=", "Time limits missed on complaints handed to you"),
            ]
        )
        self.assertEqual(notice.partner_ids, self.org_supervisor.partner_id)
        self.assertIn(ticket.number, notice.body)
        # The carrier's escalation still happens.
        self.assertEqual(ticket.escalation_level, "2")

    def test_policy_by_organisation(self):
        policy = self.env["complaint.sla.policy"].create(
            {
                "name": "Other organisation",
                "sequence": 1,
                "kind": "complaint",
                "partner_org_ids": [(4, self.other_org.id)],
                "milestone_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Acknowledge in 10 min",
                            "target": 10,
                            "unit": "minutes",
                            "start_event": "transferred",
                            "fulfil_event": "acknowledged",
                        },
                    )
                ],
            }
        )
        ticket = self._create_complaint()
        self.assertEqual(ticket.sla_policy_id, self.carrier_policy)
        ticket.with_user(self.handler).action_complaint_accept()
        ticket.env["complaint.transfer"].with_user(self.handler)._hand_off(
            ticket, self.other_agreement
        )
        self.assertEqual(ticket.sla_policy_id, policy)
        ticket.env["complaint.transfer"].with_user(self.handler)._hand_off(
            ticket, self.agreement
        )
        self.assertEqual(ticket.sla_policy_id, self.org_policy)

    def test_clocks_of_a_confidential_complaint_are_hidden(self):
        ticket = self._create_complaint()
        ticket.with_user(self.supervisor).write(
            {"confidential": True, "confidential_reason": "legal"}
        )
        Line = self.env["complaint.sla.line"]
        self.assertTrue(ticket.sla_line_ids)
        self.assertFalse(
            Line.with_user(self.handler).search([("ticket_id", "=", ticket.id)])
        )
        self.assertEqual(
            Line.with_user(self.manager).search([("ticket_id", "=", ticket.id)]),
            ticket.sla_line_ids,
        )
