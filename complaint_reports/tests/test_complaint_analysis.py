# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.complaint_handling.models.complaint_escalation import (
    ESCALATION_REASONS,
)
from odoo.addons.complaint_handling.tests.common import ComplaintPartnerCommon


@tagged("post_install", "-at_install")
class TestComplaintAnalysis(ComplaintPartnerCommon):
    """The analysis' figures against hand-computed values, and each role's
    rows: those of the complaints it may read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.analysis_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Analysis desk",
                "complaint_process": True,
                "user_ids": [(4, cls.handler.id)],
            }
        )
        common = {"team_id": cls.analysis_team.id, "user_id": cls.handler.id}
        # A: closed at the first contact, satisfied (5), a 50.00 remedy.
        cls.a = cls._create_complaint(name="A", **common)
        cls._drive(cls.a, "accepted")
        remedy = (
            cls.env["complaint.remedy"]
            .with_user(cls.manager)
            .create(
                {
                    "ticket_id": cls.a.id,
                    "remedy_type": "fee_waiver",
                    "amount": 50.0,
                    "description": "Plan fee of October waived.",
                }
            )
        )
        remedy.action_submit()
        cls._drive(cls.a, "closed")
        # B: not accepted.
        cls.b = cls._create_complaint(name="B", **common)
        reason = cls.env["complaint.refuse.reason"].search(
            [("reason_type", "!=", "time_barred")], limit=1
        )
        cls.env["complaint.refuse.wizard"].with_user(cls.handler).create(
            {
                "ticket_id": cls.b.id,
                "reason_id": reason.id,
                "explanation": "This is not a service of ours.",
            }
        ).action_refuse()
        # C: open, escalated.
        cls.c = cls._create_complaint(name="C", **common)
        cls.c.with_user(cls.handler).action_complaint_accept()
        cls.c.with_user(cls.handler)._complaint_escalate(
            ESCALATION_REASONS[0][0], "Needs level 2"
        )
        cls.all = cls.a | cls.b | cls.c

    def _rows(self, user=None):
        Analysis = self.env["complaint.analysis"]
        if user:
            Analysis = Analysis.with_user(user)
        return Analysis.search([("ticket_id", "in", self.all.ids)])

    def test_figures_against_hand_computed_values(self):
        self.env.flush_all()
        Analysis = self.env["complaint.analysis"]
        ((nbr, closed, repeat, escalated, fcr, rated, satisfied, score, remedy),) = (
            Analysis._read_group(
                [("ticket_id", "in", self.all.ids)],
                [],
                [
                    "nbr:sum",
                    "closed:sum",
                    "repeat:sum",
                    "escalated:sum",
                    "fcr:sum",
                    "rated:sum",
                    "satisfied:sum",
                    "satisfaction_score:avg",
                    "remedy_amount:sum",
                ],
            )
        )
        self.assertEqual((nbr, closed), (3, 1))
        self.assertEqual(self.b.complaint_state, "refused")
        self.assertEqual(repeat, len(self.all.filtered("is_repeat")))
        self.assertEqual(escalated, 1)
        self.assertEqual((fcr, rated, satisfied), (1, 1, 1))
        self.assertEqual(score, 5.0)
        self.assertEqual(remedy, 50.0)
        row = Analysis.search([("ticket_id", "=", self.a.id)])
        self.assertEqual(row.root_category_id, self.a.category_id.parent_id)
        self.assertGreaterEqual(row.hours_to_close, 0.0)

    def test_refusals_have_no_time_to_close(self):
        """A refusal sets the closing date, but the complaint was not solved:
        it stays out of the hours to close."""
        with freeze_time("2026-11-02 01:00:00"):
            refused = self._create_complaint(name="Refused later")
        reason = self.env["complaint.refuse.reason"].search(
            [("reason_type", "!=", "time_barred")], limit=1
        )
        with freeze_time("2026-11-02 04:00:00"):
            self.env["complaint.refuse.wizard"].with_user(self.handler).create(
                {
                    "ticket_id": refused.id,
                    "reason_id": reason.id,
                    "explanation": "Not a service of ours.",
                }
            ).action_refuse()
        self.assertTrue(refused.closed_date)
        self.env.flush_all()
        row = self.env["complaint.analysis"].search([("ticket_id", "=", refused.id)])
        self.assertEqual(row.outcome, "refused")
        self.assertFalse(row.hours_to_close)

    def test_each_role_reads_the_rows_of_its_complaints(self):
        self.env.flush_all()
        self.assertEqual(self._rows(self.handler).ticket_id, self.all)
        # Staff without the helpdesk right read no analysis at all.
        with self.assertRaises(AccessError):
            self._rows(self.tech)
        for user in (self.other_handler,):
            with self.subTest(user=user.login):
                self.assertFalse(self._rows(user))
                with self.assertRaises(AccessError):
                    self.env["complaint.analysis"].with_user(user).browse(
                        self.a.id
                    ).read(["nbr"])
                groups = (
                    self.env["complaint.analysis"]
                    .with_user(user)
                    .read_group([("ticket_id", "in", self.all.ids)], ["nbr"], [])
                )
                self.assertFalse(groups[0]["nbr"] if groups else 0)
        # A confidential complaint: only those who may read it.
        self.assertIn(self.a, self._rows(self.supervisor).ticket_id)
        self.a.with_user(self.supervisor).write(
            {"confidential": True, "confidential_reason": "media"}
        )
        self.env.flush_all()
        self.assertNotIn(self.a, self._rows(self.supervisor).ticket_id)
        self.assertIn(self.a, self._rows(self.manager).ticket_id)
        # No personal column.
        fields = self.env["complaint.analysis"].fields_get()
        for name in ("contact_phone", "service_number", "id_number", "partner_id"):
            self.assertNotIn(name, fields)

    def test_query_count_does_not_grow(self):
        self.env.flush_all()
        Analysis = self.env["complaint.analysis"].with_user(self.handler)
        domain = [("team_id", "=", self.analysis_team.id)]
        Analysis.read_group(domain, ["nbr"], ["received_date:month"])
        with self.assertQueryCount(ANALYSIS_QUERIES):
            Analysis.read_group(domain, ["nbr"], ["received_date:month"])
        self.env["helpdesk.ticket"].create(
            [
                self._complaint_vals(
                    team_id=self.analysis_team.id, user_id=self.handler.id
                )
                for _ in range(20)
            ]
        )
        self.env.flush_all()
        Analysis.read_group(domain, ["nbr"], ["received_date:month"])
        with self.assertQueryCount(ANALYSIS_QUERIES):
            Analysis.read_group(domain, ["nbr"], ["received_date:month"])


# A grouping of the analysis, whatever the number of complaints: the
# grouped query (the complaints' rules as a sub-query).
ANALYSIS_QUERIES = 1


@tagged("post_install", "-at_install")
class TestComplaintSlaAnalysis(ComplaintPartnerCommon):
    """The time limits' analysis: one row per clock, the complaint's rules."""

    def test_clocks_and_their_rules(self):
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "SLA analysis desk",
                "complaint_process": True,
                "user_ids": [(4, self.handler.id)],
            }
        )
        ticket = self._create_complaint(team_id=team.id, user_id=self.handler.id)
        ticket.with_user(self.handler).action_complaint_accept()
        self.env.flush_all()
        lines = self.env["complaint.sla.line"].search(
            [("ticket_id", "=", ticket.id), ("status", "!=", "cancelled")]
        )
        self.assertTrue(lines, "the complaint has time limits")
        Analysis = self.env["complaint.sla.analysis"]
        rows = Analysis.with_user(self.handler).search([("ticket_id", "=", ticket.id)])
        self.assertEqual(set(rows.ids), set(lines.ids))
        ((nbr, on_time, late, running),) = Analysis._read_group(
            [("ticket_id", "=", ticket.id)],
            [],
            ["nbr:sum", "on_time:sum", "late:sum", "running:sum"],
        )
        self.assertEqual(nbr, len(lines))
        self.assertEqual(
            on_time + late + running,
            len(lines.filtered(lambda x: x.status != "cancelled")),
        )
        self.assertEqual(on_time, len(lines.filtered(lambda x: x.status == "met")))
        self.assertFalse(
            Analysis.with_user(self.other_handler).search(
                [("ticket_id", "=", ticket.id)]
            )
        )
        with self.assertRaises(AccessError):
            Analysis.with_user(self.other_handler).browse(lines[:1].id).read(["nbr"])


@tagged("post_install", "-at_install")
class TestComplaintRegulatorTransfers(ComplaintPartnerCommon):
    def test_regulator_transfers_are_counted_apart(self):
        regulator = self.env.ref("complaint_handling.helpdesk_ticket_channel_regulator")
        self.assertTrue(regulator.complaint_regulator)
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Regulator desk", "complaint_process": True}
        )
        direct = self._create_complaint(team_id=team.id)
        transferred = self._create_complaint(team_id=team.id, channel_id=regulator.id)
        self.env.flush_all()
        groups = dict(
            self.env["complaint.analysis"]._read_group(
                [("team_id", "=", team.id)], ["regulator_transfer"], ["nbr:sum"]
            )
        )
        self.assertEqual(groups, {False: 1, True: 1})
        rows = self.env["complaint.analysis"].search(
            [("team_id", "=", team.id), ("regulator_transfer", "=", True)]
        )
        self.assertEqual(rows.ticket_id, transferred)
        self.assertNotIn(direct, rows.ticket_id)
