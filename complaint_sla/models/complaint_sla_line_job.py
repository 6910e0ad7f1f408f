# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from .complaint_sla_line import JOB_BATCH

# First key of the job's advisory locks on complaints (the second: the id).
SLA_JOB_LOCK = 0x534C41  # "SLA"


class ComplaintSlaLine(models.Model):
    """The deadline job: warnings and breaches that are due, each sent exactly
    once, to the people who act on them, in their language."""

    _inherit = "complaint.sla.line"

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
        lines = self._sla_own_complaints(
            self.browse([row[0] for row in self.env.cr.fetchall()])
        )
        # The job writes notes for the carrier's staff: in each company's
        # language, not the job user's (notices to a person use theirs).
        for lang, company_lines in lines.grouped(
            lambda line: line.company_id._complaint_lang()
        ).items():
            company_lines.with_context(lang=lang)._sla_process_due(now)
        if len(lines) == batch:
            self.env["ir.cron"]._notify_progress(done=len(lines), remaining=1)
        return lines

    @api.model
    def _sla_own_complaints(self, lines):
        """The lines of ``lines`` whose complaint no other run of the job is
        handling (a transaction-level advisory lock per complaint, not
        waited for). Two clocks of one complaint due together could
        otherwise go to two runs, which would both make the same people
        follow the complaint: the second run would fail on the followers'
        unique key and be rolled back whole. The lines left stay due for the
        next run."""
        ticket_ids = sorted(set(lines.ticket_id.ids))
        if not ticket_ids:
            return lines
        self.env.cr.execute(
            SQL(
                "SELECT id FROM unnest(%s::int[]) AS id "
                "WHERE pg_try_advisory_xact_lock(%s, id)",
                ticket_ids,
                SLA_JOB_LOCK,
            )
        )
        mine = {row[0] for row in self.env.cr.fetchall()}
        return lines.filtered(lambda line: line.ticket_id.id in mine)

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
        # The confidential complaints of the batch each person may not read:
        # one check per person, not per line.
        hidden = {}

        def unreadable(user):
            if user not in hidden:
                hidden[user] = self.ticket_id._complaint_unreadable_confidential(user)
            return hidden[user]

        bodies = defaultdict(list)  # ticket id -> summaries
        for line in self:
            owner, supervisor = line._sla_recipients()
            tz_default = (
                line.milestone_id.calendar_id.tz or line.company_id.partner_id.tz
            )
            # Only those who can read the complaint (a confidential one's
            # activity would show its title to the others).
            readers = (owner | supervisor).filtered(
                lambda u, t=line.ticket_id: u.active and t not in unreadable(u)
            )
            for user in readers:
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
