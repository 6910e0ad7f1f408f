# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintEscalation(ComplaintCommon):
    def test_escalate_records_and_moves_responsibility(self):
        ticket = self._create_complaint(user_id=self.handler.id)
        self._drive_to(ticket, "handling")
        action = ticket.with_user(self.handler).action_complaint_escalate()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.handler)
            .with_context(**action["context"])
        )
        self.assertEqual(form.to_level, "2")
        form.reason = "regulator_media"
        form.note = "A journalist called about this case."
        form.save().action_escalate()
        escalation = ticket.escalation_ids
        self.assertRecordValues(
            escalation,
            [
                {
                    "from_level": "1",
                    "to_level": "2",
                    "reason": "regulator_media",
                    "user_id": self.handler.id,
                    "from_team_id": self.team.id,
                    "from_user_id": self.handler.id,
                    "to_team_id": self.l2_team.id,
                    "to_user_id": self.supervisor.id,
                    "note": "A journalist called about this case.",
                }
            ],
        )
        self.assertEqual(ticket.escalation_level, "2")
        self.assertEqual(ticket.team_id, self.l2_team)
        self.assertEqual(ticket.user_id, self.supervisor)
        self.assertEqual(ticket.complaint_state, "handling", "stage kept")
        # Level 3: senior management keeps the team, takes the responsibility.
        ticket.with_user(self.supervisor)._complaint_escalate(
            "management_legal", "Customer asks for the legal department."
        )
        self.assertEqual(ticket.escalation_level, "3")
        self.assertEqual(ticket.user_id, self.manager)
        with self.assertRaisesRegex(UserError, "higher level, up to 3"):
            ticket.with_user(self.manager)._complaint_escalate("group_risk", "again")
        self.assertEqual(len(ticket.escalation_ids), 2)

    def test_escalate_only_upwards_and_complaints(self):
        ticket = self._create_complaint()
        ticket._complaint_escalate("major_incident", "Outage", to_level=3)
        with self.assertRaisesRegex(UserError, "higher level"):
            ticket._complaint_escalate("major_incident", "down", to_level=2)
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Question", "description": "<p>?</p>"}
        )
        with self.assertRaisesRegex(UserError, "Only complaints"):
            plain._complaint_escalate("group_risk", "x")

    def test_escalation_records_are_read_only_for_users(self):
        ticket = self._create_complaint()
        ticket._complaint_escalate("group_risk", "Twenty customers in one building.")
        escalation = ticket.escalation_ids.with_user(self.supervisor)
        self.assertEqual(escalation.reason, "group_risk")
        with self.assertRaises(AccessError):
            escalation.write({"note": "rewritten"})
        with self.assertRaises(AccessError):
            escalation.unlink()
        with self.assertRaises(AccessError):
            self.env["complaint.escalation"].with_user(self.supervisor).create(
                {"ticket_id": ticket.id, "reason": "group_risk"}
            )
