# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.complaint_sla.tests.common import utc
from odoo.addons.complaint_sla.tests.test_sla_elapsed import SlaElapsedCommon

from ..hooks import uninstall_hook


@tagged("post_install", "-at_install")
class TestComplaintWorkTime(SlaElapsedCommon):
    """The analyses' measures in working time, against hand-computed values on
    an office calendar (09:00-12:00, 13:00-18:00, Monday to Friday, Shanghai)
    with a public holiday on Wednesday 25 November 2026."""

    def _contact(self, ticket, when):
        with freeze_time(when):
            self.env["complaint.handling.log"].with_user(self.handler).create(
                {
                    "ticket_id": ticket.id,
                    "log_type": "contact",
                    "contact_result": "reached",
                    "description": "Talked.",
                }
            )

    def test_complaint_measures_in_working_time(self):
        # A: received Friday 16:00, waiting for the customer Friday 17:00 to
        # Saturday 10:00, first contact Monday 10:00, closed Tuesday 1
        # December 12:00.
        first = self._contacted_complaint()
        with freeze_time(utc("2026-12-01 12:00")):
            self._drive_to(first, "closed")
        # B: received Monday 09:00, first contact 11:30, still open.
        second = self._create_complaint(
            user=self.handler, received_date=utc("2026-11-23 09:00")
        ).with_user(self.handler)
        with freeze_time(utc("2026-11-23 09:10")):
            second.action_complaint_accept()
            second.action_complaint_start()
        self._contact(second, utc("2026-11-23 11:30"))
        self.env.flush_all()
        Analysis = self.env["complaint.analysis"].with_user(self.handler)
        row = Analysis.search([("ticket_id", "=", first.id)])
        # Friday 16:00 to Monday 10:00.
        self.assertAlmostEqual(row.hours_to_first_contact, 66)
        # Friday 16:00-17:00 and Monday 09:00-10:00: the pause does not count.
        self.assertAlmostEqual(row.work_hours_to_first_contact, 2)
        # Friday 2 h; Monday 23, Tuesday 24, Thursday 26, Friday 27, Monday 30:
        # 5 x 8 h (Wednesday 25 is a public holiday); Tuesday 1 December
        # 09:00-12:00: 45 working hours of 8 a day.
        self.assertAlmostEqual(row.work_days_to_close, 45 / 8)
        ((hours, work_hours, work_days),) = Analysis._read_group(
            [("ticket_id", "in", (first | second).ids)],
            [],
            [
                "hours_to_first_contact:avg",
                "work_hours_to_first_contact:avg",
                "work_days_to_close:avg",
            ],
        )
        self.assertAlmostEqual(hours, (66 + 2.5) / 2)
        self.assertAlmostEqual(work_hours, (2 + 2.5) / 2)
        # The open complaint has no working days to close: not counted as 0.
        self.assertAlmostEqual(work_days, 45 / 8)
        # Each time limit: clock and working hours.
        SlaAnalysis = self.env["complaint.sla.analysis"].with_user(self.handler)
        groups = {
            milestone.name: (elapsed, work)
            for milestone, elapsed, work in SlaAnalysis._read_group(
                [("ticket_id", "=", first.id)],
                ["milestone_id"],
                ["elapsed_hours:avg", "work_hours:avg"],
            )
        }
        self.assertAlmostEqual(groups["Close in 7 working days"][0], 260)
        self.assertAlmostEqual(groups["Close in 7 working days"][1], 45)
        self.assertAlmostEqual(groups["Contact in 24 h"][0], 66 - 17)
        self.assertAlmostEqual(groups["Contact in 24 h"][1], 2)
        # The result limit has no calendar: no working hours (False), not 0.0.
        self.assertEqual(groups["Result in 4 h"][0], 0)
        self.assertIs(groups["Result in 4 h"][1], False)
        # Other handlers read none of it.
        self.assertFalse(
            Analysis.with_user(self.other_handler).search(
                [("ticket_id", "in", (first | second).ids)]
            )
        )

    def test_first_contact_is_the_earliest_met(self):
        """Two limits end at the first contact: the hours are those of the one
        met first."""
        self.env["complaint.sla.milestone"].create(
            {
                "policy_id": self.policy.id,
                "name": "Contact in 48 h",
                "sequence": 5,
                "target": 48,
                "unit": "hours",
                "calendar_id": self.calendar.id,
                "start_event": "received",
                "fulfil_event": "first_contact",
            }
        )
        ticket = self._create_complaint(received_date=utc("2026-11-23 09:00"))
        later = self._line(ticket, "Contact in 48 h")
        earlier = self._line(ticket, "Contact in 24 h")
        # Met out of order: 14:00, then 11:30 (one limit per round of calls).
        later._sla_fulfil(utc("2026-11-23 14:00"))
        earlier._sla_fulfil(utc("2026-11-23 11:30"))
        self.assertAlmostEqual(later.elapsed_work_minutes, 4 * 60)
        self.env.flush_all()
        row = self.env["complaint.analysis"].search([("ticket_id", "=", ticket.id)])
        self.assertAlmostEqual(row.hours_to_first_contact, 2.5)
        self.assertAlmostEqual(row.work_hours_to_first_contact, 2.5)
        self.assertFalse(row.work_days_to_close)

    def test_work_time_is_computed_only_when_read(self):
        """The measures are correlated sub-queries: a count by month does not
        read the time limits at all, whatever the number of complaints."""
        Analysis = self.env["complaint.analysis"]

        def plan(column):
            self.env.cr.execute(
                SQL(
                    "EXPLAIN SELECT %s FROM (%s) AS a WHERE a.received_date >= %s",
                    column,
                    Analysis._table_query,
                    "2026-11-01",
                )
            )
            return " ".join(line for (line,) in self.env.cr.fetchall())

        self.assertNotIn("complaint_sla_line", plan(SQL("count(*)")))
        self.assertIn("complaint_sla_line", plan(SQL("avg(a.work_days_to_close)")))

    def test_sla_analysis_menu_moves_here(self):
        """complaint_sla's own analysis menu is hidden while this addon
        analyses the time limits, and comes back when it is uninstalled."""
        menu = self.env.ref("complaint_sla.complaint_sla_line_menu")
        self.assertFalse(menu.active)
        visible = self.env["ir.ui.menu"].with_user(self.supervisor)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
        self.assertIn(
            self.env.ref("complaint_reports.complaint_sla_analysis_menu").id, visible
        )
        # Handlers reach the analysis of their complaints through Reporting.
        analysis_menu = self.env.ref("complaint_reports.complaint_analysis_menu")
        Menus = self.env["ir.ui.menu"].with_user(self.handler)
        self.assertIn(analysis_menu.id, Menus._visible_menu_ids())
        uninstall_hook(self.env)
        self.assertTrue(menu.active)
        self.env.registry.clear_cache()
        self.assertNotIn(
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_reporting_menu").id,
            Menus._visible_menu_ids(),
        )
