# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import bisect
import json
from collections import defaultdict
from datetime import timedelta
from itertools import accumulate

from odoo import api, fields, models
from odoo.models import LOG_ACCESS_COLUMNS
from odoo.tools import SQL, clean_context

STATUSES = [
    ("not_started", "Not started"),
    ("running", "Running"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("met_late", "Met late"),
    ("breached", "Breached"),
    ("cancelled", "Cancelled"),
]
OPEN = ("not_started", "running", "paused", "breached")
JOB_BATCH = 500


def _late_minutes(met_date, deadline):
    if met_date and deadline and met_date > deadline:
        return (met_date - deadline).total_seconds() / 60
    return 0.0


class _WorkClock:
    """Working minutes between two moments of sorted, disjoint working
    intervals (naive UTC): a bisection each, whatever the number of
    intervals, so that a batch of clocks is measured on one fetch."""

    def __init__(self, intervals):
        self.intervals = intervals
        self.starts = [lo for lo, _hi in intervals]
        self.before = list(
            accumulate(
                ((hi - lo).total_seconds() / 60 for lo, hi in intervals), initial=0.0
            )
        )

    def _until(self, moment):
        index = bisect.bisect_right(self.starts, moment) - 1
        if index < 0:
            return 0.0
        lo, hi = self.intervals[index]
        return self.before[index] + (min(moment, hi) - lo).total_seconds() / 60

    def minutes(self, start, end):
        return max(self._until(end) - self._until(start), 0.0)


class ComplaintSlaLine(models.Model):
    """One clock of one complaint. Lines are history: the process and the job
    move them forward, nobody rewrites or deletes them."""

    _name = "complaint.sla.line"
    # A record of the complaint: visible when it is, kept as long as it is.
    _inherit = ["complaint.record.mixin"]
    _description = "Complaint SLA Line"
    _order = "ticket_id, sequence, id"

    ticket_id = fields.Many2one(readonly=True)
    milestone_id = fields.Many2one(
        comodel_name="complaint.sla.milestone", required=True, readonly=True
    )
    name = fields.Char(related="milestone_id.name")
    sequence = fields.Integer(related="milestone_id.sequence", store=True)
    policy_id = fields.Many2one(related="milestone_id.policy_id", store=True)
    category_id = fields.Many2one(related="ticket_id.category_id", store=True)
    team_id = fields.Many2one(related="ticket_id.team_id", store=True)
    partner_org_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner Organisation",
        readonly=True,
        index="btree_not_null",
        help="The organisation the complaint was handed to when the time limit "
        "was set.",
    )
    status = fields.Selection(
        selection=STATUSES, default="not_started", required=True, readonly=True
    )
    start_date = fields.Datetime(readonly=True)
    deadline = fields.Datetime(readonly=True)
    met_date = fields.Datetime(readonly=True)
    pause_start = fields.Datetime(readonly=True)
    paused_minutes = fields.Float(readonly=True)
    paused_work_minutes = fields.Float(
        string="Paused Working Minutes",
        readonly=True,
        help="Working minutes of the milestone's calendar during which the clock "
        "was paused; empty for a clock without a calendar.",
    )
    remaining_minutes = fields.Float(
        readonly=True, help="Working minutes left when the clock was paused."
    )
    warning_schedule = fields.Char(readonly=True)
    warned_count = fields.Integer(readonly=True)
    breach_done = fields.Boolean(readonly=True)
    next_check = fields.Datetime(readonly=True)
    late_minutes = fields.Float(compute="_compute_late_minutes", store=True)
    # What the clock took, stored when it is met (on time or late): the
    # analyses average them over many complaints, no calendar at read time.
    elapsed_minutes = fields.Float(
        readonly=True,
        help="Minutes from the start of the clock to the moment it was met, less "
        "the time it was paused. Empty while it is not met.",
    )
    elapsed_work_minutes = fields.Float(
        string="Elapsed Working Minutes",
        readonly=True,
        help="Working minutes of the milestone's calendar (public holidays "
        "excluded, make-up days included) from the start of the clock to the "
        "moment it was met, less those it was paused. Empty while it is not met, "
        "and for a clock without a calendar: that one runs round the clock, see "
        "Elapsed Minutes.",
    )
    elapsed_work_days = fields.Float(
        string="Elapsed Working Days",
        readonly=True,
        help="Elapsed working minutes in working days of the calendar's average "
        "hours per day. Empty when the working minutes are.",
    )
    extension_ids = fields.One2many(
        comodel_name="complaint.sla.extension", inverse_name="line_id"
    )

    def init(self):
        # The job reads only the lines due for a check: a partial index keeps
        # it independent of the number of open complaints.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS complaint_sla_line_due_idx "
                "ON complaint_sla_line (next_check) "
                "WHERE next_check IS NOT NULL AND status IN ('running', 'breached')"
            )
        )

    @api.depends("met_date", "deadline")
    def _compute_late_minutes(self):
        for line in self:
            line.late_minutes = _late_minutes(line.met_date, line.deadline)

    # ------------------------------------------------------------------
    # Clock
    # ------------------------------------------------------------------

    def _sla_schedule(self, starts):
        """Deadline and warning times of ``self`` (one line per start), batched
        per milestone: one working-interval fetch per calendar and milestone."""
        result = {}
        groups = defaultdict(list)
        for line, start in zip(self, starts, strict=True):
            groups[line.milestone_id].append((line, start))
        for milestone, items in groups.items():
            planned = self._sla_plan(milestone, [start for _line, start in items])
            for (line, _start), plan in zip(items, planned, strict=True):
                result[line] = plan
        return result

    @api.model
    def _sla_plan(self, milestone, starts):
        """[(deadline, [warning times])] of ``milestone`` for ``starts``."""
        percents = milestone._warning_percents()
        calendar = milestone.calendar_id
        if not calendar:
            minutes = milestone._minutes()
            return [
                (
                    start + timedelta(minutes=minutes),
                    [start + timedelta(minutes=minutes * p / 100) for p in percents],
                )
                for start in starts
            ]
        if milestone.unit == "working_days":
            deadlines = calendar._complaint_sla_plan(
                starts, milestone.target, "working_days"
            )
        else:
            deadlines = calendar._complaint_sla_plan(
                starts, milestone._minutes(), "minutes"
            )
        known = [d for d in deadlines if d]
        if not known or not percents:
            return [(d, []) for d in deadlines]
        intervals = calendar._complaint_sla_intervals(min(starts), max(known))
        plans = []
        for start, deadline in zip(starts, deadlines, strict=True):
            if deadline is None:
                plans.append((None, []))
                continue
            total = sum(
                (min(hi, deadline) - max(lo, start)).total_seconds() / 60
                for lo, hi in intervals
                if hi > start and lo < deadline
            )
            warns = [
                calendar._complaint_sla_add_minutes(intervals, start, total * p / 100)
                for p in percents
            ]
            plans.append((deadline, [w for w in warns if w]))
        return plans

    @api.model
    def _sla_running_vals(self, start, deadline, warns):
        return {
            "status": "running",
            "start_date": start,
            "deadline": deadline,
            "warning_schedule": json.dumps(
                [fields.Datetime.to_string(w) for w in warns]
            ),
            "warned_count": 0,
            "next_check": min(warns + [deadline]) if deadline else False,
        }

    def _sla_start(self, when):
        lines = self.filtered(lambda line: line.status == "not_started")
        schedule = lines._sla_schedule([when] * len(lines))
        for line in lines:
            deadline, warns = schedule[line]
            vals = self._sla_running_vals(when, deadline, warns)
            # The organisation the complaint is handed to when the limit is set.
            vals["partner_org_id"] = line.ticket_id.partner_org_id.id
            line._sla_write(vals)
        paused = lines.filtered(
            lambda line: line.ticket_id.stage_id in line.milestone_id.pause_stage_ids
        )
        paused._sla_pause(when)

    def _sla_catch_up(self, events):
        """Bring new clocks of a complaint up to date with what already
        happened (``events``: {event: [datetimes]}): a clock starts when its
        start event last happened and is met by the first fulfilling event
        after that. A clock already past its deadline is left to the job, which
        handles its breach once; unless the complaint's earlier clock of the
        same milestone had its breach handled (owner told, complaint
        escalated): then it is breached at once, without a second round."""
        now = fields.Datetime.now()
        for line in self.filtered(lambda line: line.status == "not_started"):
            milestone = line.milestone_id
            starts = events.get(milestone.start_event)
            if not starts:
                continue
            start = max(starts)
            line._sla_start(start)
            met = [w for w in events.get(milestone.fulfil_event, []) if w >= start]
            if met:
                line._sla_fulfil(min(met))
                continue
            handled = line.ticket_id.sla_line_ids.filtered(
                lambda old, m=milestone: old.milestone_id == m
                and old.status == "cancelled"
                and old.breach_done
            )
            if handled and line.status == "running" and line.deadline <= now:
                line._sla_write(
                    {"status": "breached", "breach_done": True, "next_check": False}
                )

    def _sla_fulfil(self, when):
        lines = self.filtered(lambda line: line.status in OPEN)
        elapsed = lines._sla_elapsed_vals(when)
        for line in lines:
            vals = {
                "met_date": when,
                "next_check": False,
                "pause_start": False,
                **elapsed[line],
            }
            if line.status == "not_started":
                vals.update(status="met", start_date=when, deadline=when)
            elif line.status == "breached" or (line.deadline and when > line.deadline):
                vals["status"] = "met_late"
            else:
                vals["status"] = "met"
            line._sla_write(vals)
        self._sla_close_activities()

    def _sla_elapsed_vals(self, when):
        """{line: values} of what the open clocks ``self`` took until they are
        met at ``when``: clock minutes and, on their milestone's calendar,
        working minutes and days, less the time they were paused (a clock still
        paused is paused until ``when``). One working-interval fetch per
        calendar for the whole batch."""
        periods = [(line, line.start_date or when, when) for line in self]
        pausing = self.filtered(
            lambda line: line.status == "paused" and line.pause_start
        )
        pauses = [(line, line.pause_start, when) for line in pausing]
        work = self._sla_work_minutes(periods + pauses)
        pause_work = dict(zip(pausing, work[len(periods) :], strict=True))
        result = {}
        for line, (_line, start, end), worked in zip(
            self, periods, work[: len(periods)], strict=True
        ):
            paused = line.paused_minutes
            if line in pause_work:
                paused += (end - line.pause_start).total_seconds() / 60
            vals = {
                "paused_minutes": paused,
                "elapsed_minutes": max((end - start).total_seconds() / 60 - paused, 0),
            }
            if worked is not None:
                paused_work = line.paused_work_minutes + (pause_work.get(line) or 0.0)
                vals.update(line._sla_work_vals(worked - paused_work))
                vals["paused_work_minutes"] = paused_work
            result[line] = vals
        return result

    def _sla_work_vals(self, minutes):
        """Elapsed working minutes and days of ``minutes`` on the calendar of
        the line's milestone."""
        self.ensure_one()
        minutes = max(minutes, 0.0)
        vals = {"elapsed_work_minutes": minutes}
        hours_per_day = self.milestone_id.calendar_id.hours_per_day
        if hours_per_day:
            vals["elapsed_work_days"] = minutes / (hours_per_day * 60)
        return vals

    @api.model
    def _sla_work_minutes(self, periods):
        """Working minutes of ``periods`` ([(line, start, end)], naive UTC) on
        the calendar of each line's milestone; None for a line whose milestone
        has none. One working-interval fetch per calendar, whatever the number
        of periods."""
        result = [None] * len(periods)
        by_calendar = defaultdict(list)
        for index, (line, _start, _end) in enumerate(periods):
            if line.milestone_id.calendar_id:
                by_calendar[line.milestone_id.calendar_id].append(index)
        for calendar, indexes in by_calendar.items():
            first = min(periods[i][1] for i in indexes)
            last = max(periods[i][2] for i in indexes)
            clock = _WorkClock(
                calendar._complaint_sla_intervals(first, max(first, last))
            )
            for i in indexes:
                result[i] = clock.minutes(periods[i][1], periods[i][2])
        return result

    def _sla_store_elapsed(self):
        """Store what the met clocks ``self`` took, from their history (the
        addon's upgrade to 18.0.1.1.0; see its migration). Exact for clocks
        without a calendar or never paused; the working time of the pauses of
        a clock on a calendar was not recorded before: its working time stays
        empty rather than wrong. One interval fetch per calendar and batch."""
        lines = self.filtered(
            lambda line: line.status in ("met", "met_late")
            and line.start_date
            and line.met_date
        )
        work = lines._sla_work_minutes(
            [(line, line.start_date, line.met_date) for line in lines]
        )
        for line, worked in zip(lines, work, strict=True):
            vals = {
                "elapsed_minutes": max(
                    (line.met_date - line.start_date).total_seconds() / 60
                    - line.paused_minutes,
                    0,
                )
            }
            if worked is not None and not line.paused_minutes:
                vals.update(line._sla_work_vals(worked))
            line._sla_write(vals)

    def _sla_cancel(self):
        self.filtered(lambda line: line.status in OPEN)._sla_write(
            {"status": "cancelled", "next_check": False}
        )
        self._sla_close_activities()

    def _sla_close_activities(self, closed=False):
        """The breach activities of a complaint are done once none of its
        clocks is breached any more (met late, cancelled), or when it closes
        (``closed``: a clock breached for good stays breached, as history)."""
        # Only complaints that had a breach handled have such activities: no
        # query for the others.
        tickets = self.ticket_id.filtered(
            lambda ticket: any(ticket.sla_line_ids.mapped("breach_done"))
            and (closed or "breached" not in ticket.sla_line_ids.mapped("status"))
        )
        if not tickets:
            return
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "in", tickets.ids),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref("complaint_sla.mail_activity_type_sla").id,
                    ),
                ]
            )
        )
        activities.action_feedback()

    def _sla_pause(self, when):
        for line in self.filtered(lambda line: line.status == "running"):
            calendar = line.milestone_id.calendar_id
            if calendar:
                remaining = calendar._complaint_sla_working_minutes(when, line.deadline)
            else:
                remaining = max((line.deadline - when).total_seconds() / 60, 0)
            line._sla_write(
                {
                    "status": "paused",
                    "pause_start": when,
                    "remaining_minutes": remaining,
                    "next_check": False,
                }
            )

    def _sla_resume(self, when):
        lines = self.filtered(lambda line: line.status == "paused")
        pause_work = lines._sla_work_minutes(
            [(line, line.pause_start, when) for line in lines]
        )
        for line, paused_work in zip(lines, pause_work, strict=True):
            calendar = line.milestone_id.calendar_id
            if calendar:
                deadline = calendar._complaint_sla_plan(
                    [when], line.remaining_minutes, "minutes"
                )[0]
            else:
                deadline = when + timedelta(minutes=line.remaining_minutes)
            shift = deadline - line.deadline if line.deadline else timedelta()
            warns = [
                fields.Datetime.to_datetime(w) + shift
                for w in json.loads(line.warning_schedule or "[]")
            ]
            pending = warns[line.warned_count :]
            vals = {
                "status": "running",
                "deadline": deadline,
                "pause_start": False,
                "paused_minutes": line.paused_minutes
                + (when - line.pause_start).total_seconds() / 60,
                "warning_schedule": json.dumps(
                    [fields.Datetime.to_string(w) for w in warns]
                ),
                "next_check": min(pending + [deadline]),
            }
            if paused_work is not None:
                vals["paused_work_minutes"] = line.paused_work_minutes + paused_work
            line._sla_write(vals)

    def _sla_set_deadline(self, deadline):
        """Move the deadline (approved extension); warnings keep their count."""
        for line in self:
            vals = {"deadline": deadline}
            if line.status == "running":
                vals["next_check"] = deadline
            elif line.status == "breached" and deadline > fields.Datetime.now():
                vals.update(status="running", next_check=deadline, breach_done=False)
            line._sla_write(vals)

    def _sla_write(self, vals):
        """Lines are read-only for users: only the process moves them."""
        return self.sudo().write(vals)

    @api.model
    def _sla_create_batch(self, vals_list):
        """Create the lines of ``vals_list`` (ticket_id, milestone_id and the
        clock's values) with one INSERT per hundred lines.

        This is the hot path of complaint creation: five clocks a complaint,
        batches of hundreds of complaints from the carrier's integration.
        ``create()`` would run ``default_get`` for every line, then compute the
        related stored fields after the INSERT and write them with a second
        UPDATE, which makes up most of the engine's cost. Here the defaults are
        read once, the related values are taken from the complaint and the
        milestone (what their computation gives) and protected from
        recomputation; the rest is the ORM's own ``_create``: cache, the
        complaints' ``sla_line_ids``, recomputation of their SLA state,
        constraints and the access check. Overrides of ``create()`` are not
        called for these lines: extend this method instead."""
        if not vals_list:
            return self.browse()
        tickets = self.env["helpdesk.ticket"].browse(
            {v["ticket_id"] for v in vals_list}
        )
        milestones = self.env["complaint.sla.milestone"].browse(
            {v["milestone_id"] for v in vals_list}
        )
        stored = [
            field
            for name, field in self._fields.items()
            if field.store and field.column_type and name not in LOG_ACCESS_COLUMNS
        ]
        related = [field for field in stored if field.related]
        defaults = self.with_context(clean_context(self.env.context)).default_get(
            [field.name for field in stored if not field.related and not field.compute]
        )
        protected = {*related, self._fields["late_minutes"]}
        now, uid = self.env.cr.now(), self.env.uid
        data_list = []
        for vals in vals_list:
            sources = {
                "ticket_id": tickets.browse(vals["ticket_id"]),
                "milestone_id": milestones.browse(vals["milestone_id"]),
            }
            values = {
                **defaults,
                "partner_org_id": sources["ticket_id"].partner_org_id.id,
                **vals,
                "create_uid": uid,
                "create_date": now,
                "write_uid": uid,
                "write_date": now,
            }
            for field in related:
                first, *path = field.related.split(".")
                value = sources[first]
                for name in path:
                    value = value[name]
                values[field.name] = field.convert_to_write(value, self)
            values["late_minutes"] = _late_minutes(
                values.get("met_date"), values.get("deadline")
            )
            data_list.append(
                {
                    "stored": values,
                    "inversed": {},
                    "inherited": {},
                    "protected": protected,
                }
            )
        return self._create(data_list)
