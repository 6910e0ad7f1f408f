# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import VALID_ID, ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintIntake(ComplaintCommon):
    def test_create_numbers_and_places_complaint(self):
        ticket = self._create_complaint(user=self.handler, team_id=False)
        self.assertEqual(ticket.kind, "complaint")
        self.assertRegex(ticket.number, r"^TS\d{6}\d{6}$")
        self.assertEqual(ticket.team_id, self.team, "default complaint team")
        self.assertEqual(ticket.complaint_state, "received")
        self.assertEqual(ticket.first_responder_id, self.handler)
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Plain question", "description": "<p>How?</p>"}
        )
        self.assertEqual(plain.kind, "consultation")
        self.assertFalse(plain.number.startswith("TS"))
        self.assertFalse(plain.complaint_state)

    def test_batch_numbers_follow_the_sequence(self):
        """A batch draws its numbers at once, in order, from the company's
        complaint sequence; a gap-free sequence and a company's own sequence
        are honoured too."""

        def serials(tickets):
            return [int(number[-6:]) for number in tickets.mapped("number")]

        model = self.env["helpdesk.ticket"].with_user(self.handler)
        batch = model.create(
            [self._complaint_vals(service_number=f"1380000000{i}") for i in range(3)]
        )
        first = serials(batch)[0]
        self.assertEqual(serials(batch), [first, first + 1, first + 2])
        self.assertEqual(
            batch.mapped("stage_id"),
            self.env.ref("complaint_handling.helpdesk_ticket_stage_complaint_received"),
        )
        sequence = self.env.ref("complaint_handling.ir_sequence_complaint")
        sequence.write({"implementation": "no_gap", "number_next": first + 100})
        more = model.create([self._complaint_vals() for _i in range(2)])
        self.assertEqual(serials(more), [first + 100, first + 101])
        self.env["ir.sequence"].create(
            {
                "name": "Complaints of this company",
                "code": "complaint.ticket.sequence",
                "prefix": "GD",
                "padding": 6,
                "company_id": self.company.id,
            }
        )
        own = model.create([self._complaint_vals() for _i in range(2)])
        self.assertEqual(own.mapped("number"), ["GD000001", "GD000002"])

    def test_form_creates_complaint_from_action_context(self):
        form = Form(
            self.env["helpdesk.ticket"]
            .with_user(self.handler)
            .with_context(default_kind="complaint"),
            view="complaint_handling.helpdesk_ticket_complaint_view_form",
        )
        form.name = "No signal at home"
        form.description = "<p>No 4G signal in my flat since Monday.</p>"
        form.partner_id = self.customer
        form.team_id = self.team
        form.category_id = self.category_signal
        form.severity = "serious"
        form.urgency = "urgent"
        self.assertEqual(form.priority, "2")
        ticket = form.save()
        self.assertEqual(ticket.kind, "complaint")
        self.assertEqual(ticket.partner_name, self.customer.name)

    def test_priority_follows_severity_and_urgency(self):
        cases = [
            ("minor", "low", "0"),
            ("general", "normal", "1"),
            ("serious", "urgent", "2"),
            ("major", "critical", "3"),
            ("major", "low", "2"),
        ]
        tickets = self.env["helpdesk.ticket"].create(
            [self._complaint_vals(severity=s, urgency=u) for s, u, _p in cases]
        )
        self.assertEqual(tickets.mapped("priority"), [p for _s, _u, p in cases])
        tickets[0].with_user(self.handler).severity = "major"
        self.assertEqual(tickets[0].priority, "2")

    def test_received_date_may_precede_creation_not_follow_it(self):
        with freeze_time("2026-03-10 09:00:00"):
            ticket = self._create_complaint(received_date="2026-03-08 16:30:00")
            self.assertEqual(ticket.received_date, datetime(2026, 3, 8, 16, 30))
            with self.assertRaisesRegex(ValidationError, "in the future"):
                self._create_complaint(received_date="2026-03-11 09:00:00")
            with self.assertRaisesRegex(ValidationError, "after the complaint"):
                self._create_complaint(
                    received_date="2026-03-08 16:30:00", issue_date="2026-03-09"
                )

    def test_invalid_identifiers_are_refused(self):
        bad_values = [
            {"contact_phone": "12345"},
            {"contact_phone": "1380013800a"},
            {"contact_phone": "23800138000"},
            {"id_number": "110105194912310021"},
            {"id_number": "11010519491231"},
            {"id_document_type": "passport", "id_number": "E1234-5678"},
            {"service_number": "13 8001"},
        ]
        for values in bad_values:
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self._create_complaint(user=self.handler, **values)
        good = self._create_complaint(
            user=self.handler, contact_phone="+86 138-0013-8000"
        )
        good.write(
            {"contact_phone_masked": "020-87654321", "id_number_masked": VALID_ID}
        )
        self.assertEqual(good.sudo().contact_phone, "+862087654321")
        with self.assertRaises(ValidationError):
            good.write({"contact_phone_masked": "call me"})
        self.assertEqual(good.sudo().contact_phone, "+862087654321", "unchanged")

    def test_complaint_needs_complaint_team_and_received_step(self):
        plain_team = self.env["helpdesk.ticket.team"].create({"name": "Sales desk"})
        with self.assertRaisesRegex(ValidationError, "complaint process"):
            self._create_complaint(team_id=plain_team.id)
        closed_stage = self.env.ref(
            "complaint_handling.helpdesk_ticket_stage_complaint_closed"
        )
        with self.assertRaisesRegex(ValidationError, "received step"):
            self._create_complaint(stage_id=closed_stage.id)

    def test_process_fields_cannot_be_forced(self):
        with self.assertRaises(UserError):
            self._create_complaint(user=self.handler, escalation_level="3")
        ticket = self._create_complaint(user=self.handler)
        for vals in (
            {"handling_round": 5},
            {"customer_confirmed": True},
            {"refuse_explanation": "forged"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                ticket.with_user(self.handler).write(vals)
        self.assertEqual(ticket.handling_round, 1)
        self.assertFalse(ticket.customer_confirmed)

    def test_repeat_complaint_detected_and_linked(self):
        with freeze_time("2026-05-01 10:00:00"):
            first = self._create_complaint(received_date="2026-04-20 10:00:00")
            other_type = self._create_complaint(category_id=self.category_signal.id)
            old = self._create_complaint(received_date="2026-02-01 10:00:00")
            second = self._create_complaint(user=self.handler)
        self.assertTrue(second.is_repeat)
        self.assertEqual(second.repeat_of_ids, first)
        self.assertFalse(other_type.is_repeat)
        self.assertFalse(first.is_repeat, "outside the window of the older one")
        self.assertNotIn(old, second.repeat_of_ids)
        self.assertIn(first.number, second.message_ids[0].body)

    def test_repeat_by_service_number_within_one_batch(self):
        other = self.env["res.partner"].create({"name": "Zhang Wei (work)"})
        now = datetime(2026, 6, 1, 8, 0)
        with freeze_time(now):
            first, second = self.env["helpdesk.ticket"].create(
                [
                    self._complaint_vals(
                        partner_id=False,
                        received_date=now - timedelta(hours=2),
                    ),
                    self._complaint_vals(partner_id=other.id, received_date=now),
                ]
            )
        self.assertEqual(second.repeat_of_ids, first)
        self.assertFalse(first.repeat_of_ids)

    def test_repeats_of_a_batch_linked_at_once(self):
        """Each complaint of a batch gets its own earlier complaints (before
        or within the batch), and is searchable as a repeat."""
        other = self.env["res.partner"].create({"name": "Li Na"})
        now = datetime(2026, 6, 1, 8, 0)
        with freeze_time(now):
            earlier = self._create_complaint(
                partner_id=other.id,
                service_number="13700000001",
                received_date=now - timedelta(days=3),
            )
            batch = self.env["helpdesk.ticket"].create(
                [
                    self._complaint_vals(received_date=now - timedelta(hours=3)),
                    self._complaint_vals(
                        partner_id=other.id,
                        service_number="13700000001",
                        received_date=now - timedelta(hours=2),
                    ),
                    self._complaint_vals(received_date=now - timedelta(hours=1)),
                    self._complaint_vals(
                        category_id=self.category_signal.id, received_date=now
                    ),
                ]
            )
        first, second, third, signal = batch
        self.assertFalse(first.repeat_of_ids)
        self.assertEqual(second.repeat_of_ids, earlier)
        self.assertEqual(third.repeat_of_ids, first)
        self.assertFalse(signal.repeat_of_ids)
        repeats = self.env["helpdesk.ticket"].search(
            [("id", "in", batch.ids), ("is_repeat", "=", True)]
        )
        self.assertEqual(repeats, second | third)
        self.assertIn(earlier.number, second.message_ids[0].body)
        self.assertIn(first.number, third.message_ids[0].body)

    def test_repeat_found_whoever_records_it(self):
        """An integration user who sees only its own tickets still gets the
        repeat flagged."""
        integration = new_test_user(
            self.env,
            login="cp_intake_api",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
        )
        first = self._create_complaint(user=self.handler)
        second = self._create_complaint(user=integration)
        self.assertEqual(second.sudo().repeat_of_ids, first)

    def test_repeat_window_is_configurable(self):
        self.company.complaint_repeat_window_days = 3
        with freeze_time("2026-05-10 10:00:00"):
            self._create_complaint(received_date="2026-05-01 10:00:00")
            second = self._create_complaint()
        self.assertFalse(second.is_repeat)

    def test_kind_cannot_change_once_in_process(self):
        ticket = self._create_complaint(user=self.handler)
        ticket.with_user(self.handler).action_complaint_accept()
        with self.assertRaisesRegex(UserError, "already in process"):
            ticket.with_user(self.handler).kind = "consultation"
        self.assertEqual(ticket.kind, "complaint")
