# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import SlaCommon, utc


@tagged("post_install", "-at_install")
class TestSlaCalendar(SlaCommon):
    def test_working_minutes_cross_the_weekend(self):
        # Friday 17:45 + 30 working minutes = Monday 09:15 (Shanghai).
        deadline = self.calendar._complaint_sla_plan(
            [utc("2026-11-20 17:45")], 30, "minutes"
        )[0]
        self.assertEqual(deadline, utc("2026-11-23 09:15"))
        # Lunch break does not count.
        deadline = self.calendar._complaint_sla_plan(
            [utc("2026-11-23 11:50")], 20, "minutes"
        )[0]
        self.assertEqual(deadline, utc("2026-11-23 13:10"))

    def test_working_days_skip_holidays_and_use_makeup_days(self):
        start = utc("2026-09-28 10:00")  # Monday
        self.assertEqual(
            self.calendar._complaint_sla_plan([start], 7, "working_days")[0],
            utc("2026-10-07 10:00"),
        )
        # National Day holidays 1-7 October, make-up Saturday 10 October.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "National Day",
                "calendar_id": self.calendar.id,
                "date_from": utc("2026-10-01 00:00"),
                "date_to": utc("2026-10-07 23:59"),
            }
        )
        self.assertEqual(
            self.calendar._complaint_sla_plan([start], 7, "working_days")[0],
            utc("2026-10-14 10:00"),
        )
        self.env["complaint.sla.makeup.day"].create(
            {"calendar_id": self.calendar.id, "date": "2026-10-10", "name": "调休"}
        )
        self.assertEqual(
            self.calendar._complaint_sla_plan([start], 7, "working_days")[0],
            utc("2026-10-13 10:00"),
        )
        # Working minutes on the make-up Saturday count too.
        self.assertEqual(
            self.calendar._complaint_sla_plan([utc("2026-10-09 17:30")], 60, "minutes")[
                0
            ],
            utc("2026-10-10 09:30"),
        )

    def test_start_on_a_day_off_counts_whole_days(self):
        # Saturday: the first working day is Monday; 2 working days end Tuesday
        # at the close of business.
        deadline = self.calendar._complaint_sla_plan(
            [utc("2026-11-21 11:00")], 2, "working_days"
        )[0]
        self.assertEqual(deadline, utc("2026-11-24 18:00"))

    def test_batch_costs_do_not_grow_with_starts(self):
        starts = [utc(f"2026-11-{day:02d} 10:00") for day in range(2, 28)]
        self.calendar._complaint_sla_plan(starts[:1], 7, "working_days")
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=5):
            self.calendar._complaint_sla_plan(starts[:2], 7, "working_days")
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=5):
            deadlines = self.calendar._complaint_sla_plan(starts, 7, "working_days")
        self.assertEqual(len(deadlines), len(starts))
