# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
from pathlib import Path

from freezegun import freeze_time

from odoo.tests import tagged

from .common import SlaCommon, utc


class SlaElapsedCommon(SlaCommon):
    """The test policy with the contact limit on the office calendar too, and
    a public holiday on Wednesday 25 November 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.policy.milestone_ids.filtered(
            lambda m: m.fulfil_event == "first_contact"
        )
        cls.contact.calendar_id = cls.calendar
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": cls.calendar.id,
                "date_from": utc("2026-11-25 00:00"),
                "date_to": utc("2026-11-25 23:59"),
            }
        )
        cls.handling_stage = cls.waiting_stage.search(
            [
                ("complaint_step", "=", "handling"),
                ("id", "!=", cls.waiting_stage.id),
            ],
            limit=1,
        )

    def _contacted_complaint(self):
        """Received Friday 20 November 16:00 (Shanghai), waiting for the
        customer from Friday 17:00 to Saturday 10:00, first contact Monday
        10:00."""
        ticket = self._create_complaint(
            user=self.handler, received_date=utc("2026-11-20 16:00")
        ).with_user(self.handler)
        with freeze_time(utc("2026-11-20 16:10")):
            ticket.action_complaint_accept()
        with freeze_time(utc("2026-11-20 16:30")):
            ticket.action_complaint_start()
        with freeze_time(utc("2026-11-20 17:00")):
            ticket.stage_id = self.waiting_stage
        with freeze_time(utc("2026-11-21 10:00")):
            ticket.stage_id = self.handling_stage
        with freeze_time(utc("2026-11-23 10:00")):
            self.env["complaint.handling.log"].with_user(self.handler).create(
                {
                    "ticket_id": ticket.id,
                    "log_type": "contact",
                    "contact_result": "reached",
                    "description": "Talked.",
                }
            )
        return ticket

    def _work_minutes_column(self, lines):
        """The stored column, NULL included (the ORM reads NULL as 0.0)."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id, elapsed_work_minutes, elapsed_work_days "
            "FROM complaint_sla_line WHERE id IN %s",
            [tuple(lines.ids)],
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}


@tagged("post_install", "-at_install")
class TestSlaElapsed(SlaElapsedCommon):
    def test_elapsed_clock_and_working_time_less_pauses(self):
        self.assertEqual(self.calendar.hours_per_day, 8)
        ticket = self._contacted_complaint()
        contact = self._line(ticket, "Contact in 24 h")
        accept = self._line(ticket, "Accept in 30 min")
        self.assertEqual(contact.status, "met")
        # Friday 16:00 to Monday 10:00: 66 hours, less the pause from Friday
        # 17:00 to Saturday 10:00 (17 h).
        self.assertEqual(contact.paused_minutes, 17 * 60)
        self.assertAlmostEqual(contact.elapsed_minutes, (66 - 17) * 60)
        # Working time: Friday 16:00-18:00 and Monday 09:00-10:00 (3 h), less
        # the pause's working time: Friday 17:00-18:00.
        self.assertAlmostEqual(contact.paused_work_minutes, 60)
        self.assertAlmostEqual(contact.elapsed_work_minutes, 120)
        self.assertAlmostEqual(contact.elapsed_work_days, 120 / 480)
        self.assertEqual(accept.status, "met")
        self.assertAlmostEqual(accept.elapsed_minutes, 10)
        self.assertAlmostEqual(accept.elapsed_work_minutes, 10)
        # Clocks not met have taken nothing yet.
        pending = ticket.sla_line_ids - contact - accept
        self.assertEqual(set(pending.mapped("status")), {"running", "not_started"})
        self.assertEqual(
            set(self._work_minutes_column(pending).values()), {(None, None)}
        )
        self.assertFalse(any(pending.mapped("elapsed_minutes")))
        # Closed Tuesday 1 December 12:00; Wednesday 25 November is a public
        # holiday: Fri 2 h + Mon, Tue, Thu, Fri, Mon 5 x 8 h + Tue 3 h = 45 h.
        with freeze_time(utc("2026-12-01 12:00")):
            self._drive_to(ticket, "closed")
        close = self._line(ticket, "Close in 7 working days")
        result = self._line(ticket, "Result in 4 h")
        self.assertEqual(close.status, "met")
        self.assertAlmostEqual(close.elapsed_minutes, 260 * 60)
        self.assertAlmostEqual(close.elapsed_work_minutes, 45 * 60)
        self.assertAlmostEqual(close.elapsed_work_days, 45 / 8)
        # Without a calendar, a clock has no working time: empty, not zero.
        self.assertEqual(result.status, "met")
        self.assertEqual(result.elapsed_minutes, 0)
        self.assertEqual(self._work_minutes_column(result)[result.id], (None, None))

    def test_paused_until_met(self):
        """A clock met while paused was paused until then."""
        ticket = self._create_complaint(received_date=utc("2026-11-23 09:00"))
        contact = self._line(ticket, "Contact in 24 h")
        contact._sla_pause(utc("2026-11-23 10:00"))
        contact._sla_fulfil(utc("2026-11-23 14:00"))
        self.assertEqual(contact.paused_minutes, 240)
        self.assertAlmostEqual(contact.elapsed_minutes, 60)
        # 10:00-14:00 paused: three working hours (lunch 12:00-13:00).
        self.assertAlmostEqual(contact.paused_work_minutes, 180)
        self.assertAlmostEqual(contact.elapsed_work_minutes, 60)

    def test_batch_fulfil_fetches_intervals_once_per_calendar(self):
        with freeze_time(utc("2026-11-20 16:00")):
            tickets = self.env["helpdesk.ticket"].create(
                [self._complaint_vals() for _ in range(12)]
            )
        running = tickets.sla_line_ids.filtered(lambda line: line.status == "running")
        self.assertEqual(set(running.milestone_id.calendar_id), {self.calendar})
        small = running.filtered(lambda line: line.ticket_id in tickets[:2])
        large = running - small
        for lines in (small, large):
            self.env.invalidate_all()
            with self.assertQueryCount(__system__=FULFIL_QUERIES):
                lines.browse(lines.ids)._sla_fulfil(utc("2026-12-01 12:00"))
                self.env.flush_all()
        self.assertEqual(set(running.mapped("status")), {"met", "met_late"})
        close = large.filtered(lambda line: line.milestone_id.unit == "working_days")
        self.assertEqual(len(close), 10)
        self.assertEqual(
            set(close.mapped("elapsed_work_minutes")), {(2 + 5 * 8 + 3) * 60}
        )

    def test_migration_stores_what_met_clocks_took(self):
        ticket = self._contacted_complaint()
        with freeze_time(utc("2026-12-01 12:00")):
            self._drive_to(ticket, "closed")
        met = ticket.sla_line_ids.filtered(
            lambda line: line.status in ("met", "met_late")
        )
        expected = {
            line: (line.elapsed_minutes, line.elapsed_work_minutes) for line in met
        }
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE complaint_sla_line SET elapsed_minutes = NULL, "
            "elapsed_work_minutes = NULL, elapsed_work_days = NULL, "
            "paused_work_minutes = NULL WHERE id IN %s",
            [tuple(met.ids)],
        )
        self.env.invalidate_all()
        path = Path(__file__).parents[1] / "migrations/18.0.1.1.0/post-migration.py"
        spec = importlib.util.spec_from_file_location("sla_elapsed_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.0.0")
        contact = self._line(ticket, "Contact in 24 h")
        columns = self._work_minutes_column(met)
        for line in met:
            with self.subTest(line=line.name):
                self.assertAlmostEqual(line.elapsed_minutes, expected[line][0])
                if line == contact:
                    # Paused on a calendar: the pause's working time was not
                    # recorded before; unknown rather than wrong.
                    self.assertEqual(columns[line.id], (None, None))
                elif line.milestone_id.calendar_id:
                    self.assertAlmostEqual(columns[line.id][0], expected[line][1])
                else:
                    self.assertEqual(columns[line.id], (None, None))


# Fulfilling a batch of clocks, whatever its size: read the lines, their
# milestones and calendar; the calendar's working intervals (attendances and
# public holidays, two queries each, make-up days); the complaints' clocks;
# write the lines and the complaints' SLA state.
FULFIL_QUERIES = 13
