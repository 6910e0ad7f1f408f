# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

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


class ComplaintSlaLine(models.Model):
    """One clock of one complaint. Lines are history: the process and the job
    move them forward, nobody rewrites or deletes them."""

    _name = "complaint.sla.line"
    # Visible exactly when the complaint is (see ir.rule._compute_domain).
    _complaint_ticket_rules = True
    _description = "Complaint SLA Line"
    _order = "ticket_id, sequence, id"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    milestone_id = fields.Many2one(
        comodel_name="complaint.sla.milestone", required=True, readonly=True
    )
    name = fields.Char(related="milestone_id.name")
    sequence = fields.Integer(related="milestone_id.sequence", store=True)
    policy_id = fields.Many2one(related="milestone_id.policy_id", store=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
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
    remaining_minutes = fields.Float(
        readonly=True, help="Working minutes left when the clock was paused."
    )
    warning_schedule = fields.Char(readonly=True)
    warned_count = fields.Integer(readonly=True)
    breach_done = fields.Boolean(readonly=True)
    next_check = fields.Datetime(readonly=True)
    late_minutes = fields.Float(compute="_compute_late_minutes", store=True)
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
        for line in self.filtered(lambda line: line.status in OPEN):
            vals = {"met_date": when, "next_check": False, "pause_start": False}
            if line.status == "not_started":
                vals.update(status="met", start_date=when, deadline=when)
            elif line.status == "breached" or (line.deadline and when > line.deadline):
                vals["status"] = "met_late"
            else:
                vals["status"] = "met"
            line._sla_write(vals)
        self._sla_close_activities()

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
        for line in self.filtered(lambda line: line.status == "paused"):
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
            line._sla_write(
                {
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
            )

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

    # ------------------------------------------------------------------
    # Job
    # ------------------------------------------------------------------

    @api.model
    def _cron_check_deadlines(self, batch=JOB_BATCH):
        """Send the warnings and breach actions that are due, each exactly once.

        The due lines are locked with SKIP LOCKED: two workers running the job
        at once share the lines instead of handling them twice; the actions and
        the marks that they were done are written in the same transaction, so a
        crash half-way leaves neither."""
        now = fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM complaint_sla_line "
                "WHERE next_check IS NOT NULL AND status IN ('running', 'breached') "
                "AND next_check <= %s ORDER BY next_check LIMIT %s "
                "FOR UPDATE SKIP LOCKED",
                now,
                batch,
            )
        )
        lines = self.browse([row[0] for row in self.env.cr.fetchall()])
        # The job writes notes for the carrier's staff: in each company's
        # language, not the job user's (notices to a person use theirs).
        for lang, company_lines in lines.grouped(
            lambda line: line.company_id._complaint_lang()
        ).items():
            company_lines.with_context(lang=lang)._sla_process_due(now)
        if len(lines) == batch:
            self.env["ir.cron"]._notify_progress(done=len(lines), remaining=1)
        return lines

    def _sla_process_due(self, now):
        breached = self.browse()
        warned = defaultdict(lambda: self.browse())
        rows = {}
        for line in self:
            if line.deadline and now >= line.deadline and not line.breach_done:
                rows[line.id] = ("breached", True, line.warned_count, None)
                breached |= line
                continue
            warns = json.loads(line.warning_schedule or "[]")
            due = [w for w in warns if fields.Datetime.to_datetime(w) <= now]
            level = max(len(due), line.warned_count)
            if level > line.warned_count:
                warned[level] |= line
            pending = [fields.Datetime.to_datetime(w) for w in warns[level:]]
            rows[line.id] = (
                line.status,
                line.breach_done,
                level,
                min(pending + [line.deadline]),
            )
        self._sla_bulk_mark(rows)
        for level, lines in warned.items():
            lines._sla_notify("warning", level)
        breached._sla_notify("breach", 0)
        breached._sla_escalate()

    def _sla_bulk_mark(self, rows):
        """Write status, breach mark, warning count and next check of many lines
        in one statement: {line id: (status, breach_done, warned_count,
        next_check)}."""
        if not rows:
            return
        values = SQL(", ").join(
            SQL("(%s, %s, %s, %s, %s::timestamp)", line_id, *row)
            for line_id, row in rows.items()
        )
        self.env.cr.execute(
            SQL(
                "UPDATE complaint_sla_line AS line SET status = v.status, "
                "breach_done = v.breach_done, warned_count = v.warned_count, "
                "next_check = v.next_check "
                "FROM (VALUES %s) AS v(id, status, breach_done, warned_count, "
                "next_check) WHERE line.id = v.id",
                values,
            )
        )
        lines = self.browse(list(rows))
        fnames = ["status", "breach_done", "warned_count", "next_check"]
        lines.invalidate_recordset(fnames)
        lines.modified(fnames)

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

    def _sla_recipients(self):
        """Owner and supervisor of the complaint (hook: the hand-off adds the
        partner organisation's supervisor)."""
        self.ensure_one()
        ticket = self.ticket_id
        owner = ticket.user_id or ticket.team_id.user_id or ticket.first_responder_id
        supervisor = ticket.company_id.complaint_escalation_l2_user_id
        return owner, supervisor

    def _sla_notify(self, kind, level):
        """Warnings: one notification per owner (see _sla_warn_owners).
        Breaches: an activity for the owner and the supervisor of each
        complaint, and a note in its chatter. Batched: one activity creation,
        one note batch."""
        if kind == "warning":
            return self._sla_warn_owners(level)
        activity_type = self.env.ref("complaint_sla.mail_activity_type_sla")
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        summaries = defaultdict(list)  # (ticket id, user) -> summaries
        bodies = defaultdict(list)  # ticket id -> summaries
        for line in self:
            owner, supervisor = line._sla_recipients()
            tz_default = (
                line.milestone_id.calendar_id.tz or line.company_id.partner_id.tz
            )
            for user in (owner | supervisor).filtered("active"):
                # An activity is read by its user: in the user's language.
                summaries[(line.ticket_id.id, user)].append(
                    line.with_context(lang=user.lang or self.env.lang)._sla_summary(
                        kind, level, user.tz or tz_default
                    )
                )
            bodies[line.ticket_id.id].append(
                line._sla_summary(kind, level, owner.tz or tz_default)
            )
        # One activity per complaint and person (a batch may not subscribe the
        # same person twice to one complaint).
        activities = [
            {
                "res_model_id": model_id,
                "res_id": ticket_id,
                "activity_type_id": activity_type.id,
                "summary": texts[0] if len(texts) == 1 else "; ".join(texts),
                "user_id": user.id,
                "date_deadline": fields.Date.context_today(self),
            }
            for (ticket_id, user), texts in summaries.items()
        ]
        # No assignment e-mail per activity: the activity itself is the notice.
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            activities
        )
        # Warnings show in the chatter as the scheduled activities; a breach
        # also gets a note (the escalation, when there is one, logs its own).
        if bodies and kind == "breach":
            self.env["helpdesk.ticket"].browse(list(bodies))._message_log_batch(
                bodies={tid: "\n".join(texts) for tid, texts in bodies.items()}
            )
        if kind == "breach":
            self._sla_notify_partner_orgs()

    def _sla_warn_owners(self, level):
        """One notification per owner (inbox or e-mail, as the user chose)
        listing the complaints whose time is running out; the complaints
        themselves show *At risk*. A digest, not an activity per complaint: a
        busy handler gets one message per run, and the job stays fast."""
        by_owner = defaultdict(list)
        for line in self:
            owner = line._sla_recipients()[0]
            if owner.active:
                by_owner[owner].append(line)
        shown = 30
        for owner, owned in by_owner.items():
            # Written for its reader, in the owner's language.
            env = self.with_context(lang=owner.lang or self.env.lang).env
            lines = self.browse().union(*owned).with_env(env)
            subject = env._("Complaints at risk of missing their time limits")
            tz = owner.tz or lines[0].company_id.partner_id.tz
            more = Markup("")
            if len(lines) > shown:
                more = Markup("<p>%s</p>") % env._(
                    "… and %(count)s more: filter the complaints on SLA at Risk.",
                    count=len(lines) - shown,
                )
                lines = lines[:shown]
            items = Markup("").join(
                Markup('<li><a href="/odoo/helpdesk.ticket/%s">%s</a> %s</li>')
                % (
                    line.ticket_id.id,
                    line.ticket_id.number,
                    line._sla_summary("warning", level, tz),
                )
                for line in lines
            )
            env["mail.thread"].message_notify(
                partner_ids=owner.partner_id.ids,
                subject=subject,
                body=Markup("<p>%s</p><ul>%s</ul>%s") % (subject, items, more),
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _sla_notify_partner_orgs(self):
        """Tell the organisations the complaints are handed to which time limits
        were missed: one e-mail per organisation."""
        by_org = defaultdict(list)
        for line in self.filtered(lambda line: line.ticket_id.partner_org_id):
            by_org[line.ticket_id.partner_org_id].append(line)
        for org, lines in by_org.items():
            partners = org._complaint_notice_partners()
            if not partners:
                continue
            # Written for the organisation, in its language.
            org_env = self.with_context(lang=org.lang or self.env.lang).env
            lines = [line.with_env(org_env) for line in lines]
            items = Markup("").join(
                Markup("<li>%s: %s</li>")
                % (line.ticket_id.number, line._sla_summary("breach", 0, org.tz))
                for line in lines
            )
            subject = org_env._("Time limits missed on complaints handed to you")
            lines[0].ticket_id.sudo().message_notify(
                partner_ids=partners.ids,
                subject=subject,
                body=Markup("<p>%s</p><ul>%s</ul>") % (subject, items),
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _sla_summary(self, kind, level, tz):
        """The notice of a warning or a breach, its deadline in ``tz``."""
        self.ensure_one()
        deadline = fields.Datetime.context_timestamp(
            self.with_context(tz=tz or "UTC"), self.deadline
        )
        values = {
            "milestone": self.name,
            "level": level,
            "deadline": deadline.strftime("%Y-%m-%d %H:%M"),
        }
        if kind == "warning":
            return self.env._(
                "%(milestone)s: warning %(level)s, due %(deadline)s", **values
            )
        return self.env._(
            "%(milestone)s: time limit missed (due %(deadline)s)", **values
        )

    def _sla_escalate(self):
        """Escalate each complaint once, whatever the number of its limits
        missed in this run, all in one batch; the activities already tell the
        new owner, so no assignment e-mail."""
        by_ticket = defaultdict(list)
        for line in self.filtered(lambda line: line.milestone_id.escalate_on_breach):
            ticket = line.ticket_id
            if ticket.kind == "complaint" and ticket.escalation_level != "3":
                by_ticket[ticket].append(line.name)
        if not by_ticket:
            return
        tickets = self.env["helpdesk.ticket"].union(*by_ticket)
        tickets.with_context(mail_auto_subscribe_no_notify=True)._complaint_escalate(
            "time_limit",
            {
                ticket.id: self.env._("Time limit missed: %s", ", ".join(names))
                for ticket, names in by_ticket.items()
            },
        )
