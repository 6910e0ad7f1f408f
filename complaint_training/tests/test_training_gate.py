# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import TrainingCommon

# The gate of any number of complaints: their fields, types and parent types,
# teams, the person's qualifications (and, when he has some, their types and
# partner).
GATE_QUERIES = {"unqualified": 6, "qualified": 8}


@tagged("post_install", "-at_install")
class TestTrainingGate(TrainingCommon):
    """Assigning a complaint of a gated type (or team) needs a valid
    qualification; a supervisor may override with a reason, logged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls.category_billing.parent_id
        cls.billing.qualification_required = True
        cls.other_team.user_ids = [(4, cls.handler.id)]

    def _qualify(self, user, **values):
        vals = {
            "user_id": user.id,
            "category_ids": [(4, self.billing.id)],
            "date_start": "2026-01-01",
            "reason": "Five years on the billing desk.",
        }
        vals.update(values)
        return (
            self.env["complaint.qualification"].with_user(self.supervisor).create(vals)
        )

    def test_assignment_needs_a_valid_qualification(self):
        ticket = self._create_complaint(user_id=False)
        with self.assertRaises(UserError) as caught:
            ticket.with_user(self.supervisor).write({"user_id": self.handler.id})
        message = str(caught.exception)
        self.assertIn("Li Lei has no valid qualification", message)
        self.assertIn(self.category_billing.complete_name, message)
        self.assertFalse(ticket.user_id)
        # An expired one does not count; a valid one for a parent type does.
        self._qualify(self.handler, date_start="2025-01-01", date_end="2025-12-31")
        with self.assertRaises(UserError):
            ticket.with_user(self.supervisor).write({"user_id": self.handler.id})
        self._qualify(self.handler)
        ticket.with_user(self.supervisor).write({"user_id": self.handler.id})
        self.assertEqual(ticket.user_id, self.handler)
        # Other types are not gated.
        signal = self._create_complaint(category_id=self.category_signal.id)
        signal.with_user(self.supervisor).write({"user_id": self.other_handler.id})
        # A qualification for another business line does not cover.
        fixed = self._create_complaint(user_id=False, business_line="broadband")
        self._qualify(self.other_handler, business_line="mobile")
        with self.assertRaises(UserError):
            fixed.with_user(self.supervisor).write({"user_id": self.other_handler.id})

    def test_a_team_can_gate_all_its_complaints(self):
        self.billing.qualification_required = False
        self.team.qualification_required = True
        signal = self._create_complaint(
            category_id=self.category_signal.id, user_id=False
        )
        with self.assertRaises(UserError):
            signal.with_user(self.supervisor).write({"user_id": self.handler.id})
        self._qualify(self.handler, category_ids=[(4, self.category_signal.id)])
        signal.with_user(self.supervisor).write({"user_id": self.handler.id})

    def test_assign_to_me_and_creation_are_gated_too(self):
        ticket = self._create_complaint(user_id=False)
        with self.assertRaises(UserError):
            ticket.with_user(self.handler).assign_to_me()
        with self.assertRaises(UserError):
            self._create_complaint(user_id=self.handler.id)

    def test_supervisor_override_with_a_reason(self):
        ticket = self._create_complaint(user_id=False)
        action = ticket.with_user(self.supervisor).action_complaint_assign_override()
        wizard = Form(
            self.env["complaint.qualification.override.wizard"]
            .with_user(self.supervisor)
            .with_context(**action["context"])
        )
        wizard.user_id = self.handler
        self.assertIn("no valid qualification", wizard.missing)
        wizard.reason = "Only handler on duty during the typhoon."
        wizard.save().action_assign()
        self.assertEqual(ticket.user_id, self.handler)
        override = ticket.qualification_override_ids
        self.assertEqual(
            (override.assignee_id, override.supervisor_id, override.reason),
            (self.handler, self.supervisor, "Only handler on duty during the typhoon."),
        )
        self.assertIn(
            "without the qualification",
            ticket.message_ids[0].body,
        )
        with self.assertRaises(UserError):
            override.with_user(self.manager).write({"reason": "x"})
        # A handler cannot override, even by sending the context himself.
        other = self._create_complaint(user_id=False)
        with self.assertRaises(UserError):
            other.with_user(self.handler).with_context(
                complaint_qualification_override="Because"
            ).assign_to_me()
        self.assertFalse(other.user_id)

    def test_partner_agent_assignment_is_gated_in_the_portal_too(self):
        ticket = self._handed_complaint()
        transfer = ticket.transfer_id
        with self.assertRaises(UserError) as caught:
            transfer.with_user(self.agent).action_take()
        self.assertIn("Liu Yang has no valid qualification", str(caught.exception))
        with self.assertRaises(UserError):
            transfer.with_user(self.org_supervisor).action_assign(self.agent2)
        self._qualify(self.agent2)
        transfer.with_user(self.org_supervisor).action_assign(self.agent2)
        self.assertEqual(ticket.partner_agent_id, self.agent2)

    def test_mass_assignment_costs_constant_queries(self):
        """The gate of a mass assignment is checked per batch: the same
        number of queries for 10 complaints as for 50."""
        self._qualify(self.other_handler)
        small = self.env["helpdesk.ticket"].create(
            [self._complaint_vals(user_id=False) for _ in range(10)]
        )
        large = self.env["helpdesk.ticket"].create(
            [self._complaint_vals(user_id=False) for _ in range(50)]
        )
        # A first call from an empty record cache fills the caches of the
        # request's constants (the user's record rules, groups, teams and
        # departments); then each case is measured from an empty record cache.
        cases = [
            (batch, user, expected, queries)
            for batch in (small, large)
            for user, expected, queries in (
                (self.handler, batch, GATE_QUERIES["unqualified"]),
                (self.other_handler, batch.browse(), GATE_QUERIES["qualified"]),
            )
        ]
        self.env.invalidate_all()
        small.with_user(self.supervisor)._complaint_unqualified(self.handler)
        for batch, user, expected, queries in cases:
            self.env.invalidate_all()
            with self.assertQueryCount(queries):
                missing = batch.with_user(self.supervisor)._complaint_unqualified(user)
            self.assertEqual(missing, expected)
