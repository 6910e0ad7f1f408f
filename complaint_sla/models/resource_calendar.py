# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import bisect
from datetime import datetime, time, timedelta

import pytz

from odoo import fields, models

from odoo.addons.resource.models.utils import Intervals, float_to_time

UTC = pytz.utc


def _naive_utc(dt):
    return dt.astimezone(UTC).replace(tzinfo=None)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    complaint_makeup_day_ids = fields.One2many(
        comodel_name="complaint.sla.makeup.day",
        inverse_name="calendar_id",
        string="Make-up Working Days",
    )

    def _complaint_sla_intervals(self, start, end):
        """Working intervals of this calendar between two naive UTC datetimes:
        its attendances less its global leaves (public holidays), plus its
        make-up working days. Returns a sorted list of (start, stop) naive UTC
        datetimes. Two queries, whatever the length of the period."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "UTC")
        start_utc, end_utc = UTC.localize(start), UTC.localize(end)
        work = self._work_intervals_batch(start_utc, end_utc)[False]
        makeups = self.env["complaint.sla.makeup.day"].search_fetch(
            [
                ("calendar_id", "=", self.id),
                ("date", ">=", start.date() - timedelta(days=1)),
                ("date", "<=", end.date() + timedelta(days=1)),
            ],
            ["date", "hour_from", "hour_to"],
        )
        extra = []
        for day in makeups:
            day_start = tz.localize(
                datetime.combine(day.date, float_to_time(day.hour_from))
            )
            day_end = tz.localize(
                datetime.combine(day.date, float_to_time(day.hour_to))
                if day.hour_to < 24
                else datetime.combine(day.date + timedelta(days=1), time.min)
            )
            lo, hi = max(day_start, start_utc), min(day_end, end_utc)
            if lo < hi:
                extra.append((lo, hi, self.env["resource.calendar.attendance"]))
        if extra:
            work = work | Intervals(extra)
        return [(_naive_utc(a), _naive_utc(b)) for a, b, _recs in work]

    def _complaint_sla_plan(self, starts, amount, unit):
        """Deadlines for ``starts`` (naive UTC) after ``amount`` of ``unit``
        ('minutes', 'hours' or 'working_days') of working time. One interval
        fetch for the whole batch: queries grow with calendars, not starts
        (a start whose period runs past the fetched horizon gets a second,
        longer fetch)."""
        self.ensure_one()
        if not starts:
            return []
        if unit == "working_days":
            span_days = amount * 7 / 5
        else:
            minutes = amount * (60 if unit == "hours" else 1)
            # Eight working hours a day, five days a week, and room for holidays.
            span_days = minutes / 480 * 7 / 5
        results = [None] * len(starts)
        todo = list(range(len(starts)))
        horizon = timedelta(days=int(span_days) + 14)
        for _attempt in range(4):
            subset = [starts[i] for i in todo]
            intervals = self._complaint_sla_intervals(
                min(subset), max(subset) + horizon
            )
            if unit == "working_days":
                tz = pytz.timezone(self.tz or "UTC")
                work_dates = sorted(
                    {UTC.localize(lo).astimezone(tz).date() for lo, _hi in intervals}
                )
                planned = [
                    self._complaint_sla_add_days(intervals, s, amount, work_dates)
                    for s in subset
                ]
            else:
                planned = [
                    self._complaint_sla_add_minutes(intervals, s, minutes)
                    for s in subset
                ]
            for i, deadline in zip(todo, planned, strict=True):
                results[i] = deadline
            todo = [i for i in todo if results[i] is None]
            if not todo:
                break
            horizon *= 4
        return results

    @staticmethod
    def _complaint_sla_add_minutes(intervals, start, minutes):
        remaining = timedelta(minutes=minutes)
        i = max(bisect.bisect_right(intervals, (start, start)) - 1, 0)
        for lo, hi in intervals[i:]:
            lo = max(lo, start)
            if hi <= lo:
                continue
            if hi - lo >= remaining:
                return lo + remaining
            remaining -= hi - lo
        return None

    def _complaint_sla_add_days(self, intervals, start, days, work_dates):
        """The same local time ``days`` working days later; a start outside
        working time counts from the next working moment. ``work_dates``: the
        sorted local dates of ``intervals``."""
        tz = pytz.timezone(self.tz or "UTC")
        local_start = UTC.localize(start).astimezone(tz)
        first = bisect.bisect_left(work_dates, local_start.date())
        target = first + days
        if target >= len(work_dates):
            return None
        if first == len(work_dates) or work_dates[first] != local_start.date():
            # Started on a day off: the period ends at the close of the last day.
            end_day = work_dates[target - 1]
            ends = [
                hi
                for lo, hi in intervals
                if UTC.localize(lo).astimezone(tz).date() == end_day
            ]
            return max(ends)
        end_local = tz.localize(
            datetime.combine(
                work_dates[target], local_start.time().replace(tzinfo=None)
            )
        )
        return _naive_utc(end_local)

    def _complaint_sla_working_minutes(self, start, end):
        """Working minutes between two naive UTC datetimes."""
        self.ensure_one()
        if end <= start:
            return 0.0
        total = timedelta()
        for lo, hi in self._complaint_sla_intervals(start, end):
            total += min(hi, end) - max(lo, start)
        return total.total_seconds() / 60
