# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from .complaint_sla_milestone import SLA_EVENTS

# Events that each hand-off to a partner organisation brings anew.
HANDOFF_EVENTS = ("transferred", "acknowledged")
# Process events that start or fulfil clocks.
SLA_EVENT_NAMES = {event for event, _label in SLA_EVENTS}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sla_policy_id = fields.Many2one(
        comodel_name="complaint.sla.policy", string="SLA Policy", readonly=True
    )
    sla_line_ids = fields.One2many(
        comodel_name="complaint.sla.line",
        inverse_name="ticket_id",
        string="Time Limits",
    )
    sla_event_dates = fields.Json(
        string="SLA Events",
        readonly=True,
        copy=False,
        help="When each event of the complaint process happened (UTC): clocks "
        "created later (a policy applied afterwards, a complaint back from a "
        "partner organisation) start and are met from them.",
    )
    sla_deadline = fields.Datetime(
        string="Next Deadline",
        compute="_compute_sla_state",
        store=True,
        index=True,
    )
    sla_state = fields.Selection(
        selection=[
            ("on_time", "On time"),
            ("at_risk", "At risk"),
            ("breached", "Breached"),
            ("met_late", "Met late"),
            ("met", "Met"),
        ],
        help="Running clocks: on time, at risk (warned) or breached; when none "
        "runs any more: met, or met late when one of them was.",
        string="SLA",
        compute="_compute_sla_state",
        store=True,
        index=True,
    )

    @api.depends(
        "sla_line_ids.status", "sla_line_ids.deadline", "sla_line_ids.warned_count"
    )
    def _compute_sla_state(self):
        for ticket in self:
            lines = ticket.sla_line_ids
            running = lines.filtered(lambda line: line.status in ("running", "paused"))
            ticket.sla_deadline = min(running.mapped("deadline"), default=False)
            statuses = set(lines.mapped("status"))
            if "breached" in statuses:
                ticket.sla_state = "breached"
            elif running.filtered("warned_count"):
                ticket.sla_state = "at_risk"
            elif running:
                ticket.sla_state = "on_time"
            elif "met_late" in statuses:
                ticket.sla_state = "met_late"
            elif "met" in statuses:
                ticket.sla_state = "met"
            else:
                # Only clocks not started yet, or cancelled: nothing to show.
                ticket.sla_state = False

    def _complaint_event(self, event, records=None, when=None):
        res = super()._complaint_event(event, records=records, when=when)
        when = when or fields.Datetime.now()
        if event == "received":
            self._sla_apply_policy()
        elif event == "stage":
            self._sla_on_stage(when)
        elif event == "refused":
            self.sudo().sla_line_ids._sla_cancel()
        elif event == "transferred":
            # A new hand-off is a new round of the clocks that hand-offs
            # start; it meets the clocks it fulfils before the organisation's
            # agreement brings its own time limits (whose clocks start from it).
            self._sla_new_round(HANDOFF_EVENTS)
            self._sla_fire(event, when)
            self._sla_reselect()
        elif event in ("returned", "recalled", "expired"):
            # (a reassignment re-selects on the new hand-off)
            self._sla_reselect()
        elif event in SLA_EVENT_NAMES:
            self._sla_fire(event, when)
        return res

    def _sla_on_stage(self, when):
        """The complaint changed stage: the clocks that pause in the new stage
        pause, the others resume. The lines are the process's own records:
        the user moved the complaint, the process moves its clocks (users
        cannot write lines themselves)."""
        lines = self.sudo().sla_line_ids
        pausing = lines.filtered(
            lambda line: line.ticket_id.stage_id in line.milestone_id.pause_stage_ids
        )
        (lines - pausing)._sla_resume(when)
        pausing._sla_pause(when)

    def _sla_fire(self, event, when=None):
        """The complaint process reached ``event``: fulfil the clocks it ends,
        start the clocks it starts."""
        when = when or fields.Datetime.now()
        self._sla_record_event(event, when)
        # As in _sla_on_stage_change; also after an escalation that took the
        # complaint out of the user's reach.
        lines = self.sudo().sla_line_ids
        lines.filtered(
            lambda line: line.milestone_id.fulfil_event == event
        )._sla_fulfil(when)
        lines.filtered(
            lambda line: line.milestone_id.start_event == event
            and line.status == "not_started"
        )._sla_start(when)
        if event == "closed":
            # Nothing runs on a closed complaint (also when its history is
            # replayed): the clocks it did not meet end; a breached one stays
            # breached, as history; nobody is asked to act on it any more.
            lines.filtered(
                lambda line: line.status in ("not_started", "running", "paused")
            )._sla_cancel()
            lines._sla_close_activities(closed=True)

    def _sla_record_event(self, event, when):
        """Append ``when`` to the dates of ``event``: one UPDATE for all the
        complaints (the job escalates hundreds at once)."""
        if not self:
            return
        self.flush_recordset(["sla_event_dates"])
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET sla_event_dates = jsonb_set("
                "COALESCE(sla_event_dates, '{}'), ARRAY[%(event)s::text], "
                "COALESCE(sla_event_dates -> %(event)s::text, '[]') "
                "|| to_jsonb(%(when)s::text)) WHERE id IN %(ids)s",
                event=event,
                when=fields.Datetime.to_string(when),
                ids=tuple(self.ids),
            )
        )
        self.invalidate_recordset(["sla_event_dates"])

    def _sla_customer_deadlines(self):
        """{event: deadline} of the running clocks a customer waits on: the
        first contact and the answer (the earliest of each). Read as the
        system: the customer sees the dates, not the clocks."""
        self.ensure_one()
        due = {}
        for line in self.sudo().sla_line_ids:
            event = line.milestone_id.fulfil_event
            if line.status == "running" and event in (
                "first_contact",
                "result_reported",
            ):
                due[event] = min(due.get(event, line.deadline), line.deadline)
        return due

    def _sla_event_times(self):
        """{event: [datetimes]} of the complaint, reception included; the
        events of a hand-off only from the last one on."""
        self.ensure_one()
        times = {
            event: [fields.Datetime.to_datetime(stamp) for stamp in stamps]
            for event, stamps in (self.sla_event_dates or {}).items()
        }
        times["received"] = [self.received_date or self.create_date]
        if times.get("transferred"):
            last = max(times["transferred"])
            for event in HANDOFF_EVENTS:
                times[event] = [when for when in times.get(event, []) if when >= last]
        return times

    def _sla_apply_policy(self):
        """Give each complaint the lines of its policy's milestones, and start
        the clocks that run from reception. Batched: one policy search, one
        line creation, one interval fetch per calendar."""
        mapping = self.env["complaint.sla.policy"]._policy_for(self)
        by_policy = {}
        for ticket, policy in mapping.items():
            by_policy.setdefault(policy, self.browse())
            by_policy[policy] |= ticket
        for policy, tickets in by_policy.items():
            if policy:
                tickets.sla_policy_id = policy
        # Clocks that run from reception are created running, with their
        # deadline planned for the whole batch at once (per milestone).
        line_model = self.env["complaint.sla.line"]
        by_milestone = defaultdict(list)
        for ticket, policy in mapping.items():
            for milestone in policy.milestone_ids:
                by_milestone[milestone].append(ticket)
        vals_list = []
        for milestone, tickets in by_milestone.items():
            if milestone.start_event == "received":
                starts = [t.received_date or t.create_date for t in tickets]
                plans = line_model._sla_plan(milestone, starts)
            else:
                starts = plans = [None] * len(tickets)
            for ticket, start, plan in zip(tickets, starts, plans, strict=True):
                vals = {"ticket_id": ticket.id, "milestone_id": milestone.id}
                if plan:
                    vals.update(line_model._sla_running_vals(start, *plan))
                vals_list.append(vals)
        lines = line_model.sudo()._sla_create_batch(vals_list)
        lines.filtered(
            lambda line: line.status == "running"
            and line.ticket_id.stage_id in line.milestone_id.pause_stage_ids
        )._sla_pause(fields.Datetime.now())
        return lines

    def _sla_replay_history(self):
        """Fire, in time order, the events that the complaint's records date:
        for complaints that existed before their time limits did."""
        for ticket in self:
            events = []
            for log in ticket.handling_log_ids:
                if log.log_type == "contact" and log.contact_result == "reached":
                    events.append((log.date, "first_contact"))
            if ticket.customer_confirmed_date:
                events.append((ticket.customer_confirmed_date, "solution_confirmed"))
            events += [(f.date, "result_reported") for f in ticket.feedback_ids]
            events += [
                (c.date, "callback_done")
                for c in ticket.callback_ids
                if c.reached and not c.unsatisfied
            ]
            events += [(e.date, "escalated") for e in ticket.escalation_ids]
            if ticket.complaint_state == "closed" and ticket.closed_date:
                events.append((ticket.closed_date, "closed"))
            for when, event in sorted(events):
                ticket._sla_fire(event, when)

    def _sla_new_round(self, events):
        """Clocks that start on ``events`` and already started belong to the
        previous hand-off: they end (cancelled if still open, kept if met) and a
        new clock of the same milestone waits for the event again."""
        lines = self.sudo().sla_line_ids.filtered(
            lambda line: line.milestone_id.start_event in events
            and line.status not in ("not_started", "cancelled")
        )
        if not lines:
            return
        lines._sla_cancel()
        pairs = {(line.ticket_id.id, line.milestone_id.id) for line in lines}
        lines.browse()._sla_create_batch(
            [
                {"ticket_id": ticket_id, "milestone_id": milestone_id}
                for ticket_id, milestone_id in sorted(pairs)
            ]
        )

    def action_sla_reapply(self):
        """Apply the policy that matches the complaint today, keeping history:
        lines of milestones that no longer apply are cancelled, not deleted."""
        self.check_access("write")
        return self._sla_reselect()

    def _sla_reselect(self):
        """See action_sla_reapply; also run by the hand-off, which changes the
        criteria (organisation, agreement)."""
        mapping = self.env["complaint.sla.policy"]._policy_for(self)
        for ticket, policy in mapping.items():
            if policy == ticket.sla_policy_id:
                continue
            old = ticket.sla_policy_id
            ticket.sla_line_ids.filtered(
                lambda line, p=policy: line.milestone_id not in p.milestone_ids
            ).sudo()._sla_cancel()
            ticket.sudo().sla_policy_id = policy
            have = ticket.sla_line_ids.filtered(
                lambda line: line.status != "cancelled"
            ).milestone_id
            new_lines = (
                self.env["complaint.sla.line"]
                .sudo()
                ._sla_create_batch(
                    [
                        {"ticket_id": ticket.id, "milestone_id": milestone.id}
                        for milestone in policy.milestone_ids - have
                    ]
                )
            )
            new_lines._sla_catch_up(ticket._sla_event_times())
            ticket._complaint_log(
                self.env._(
                    "SLA policy changed from %(old)s to %(new)s.",
                    old=old.name or "-",
                    new=policy.name or "-",
                )
            )
        return True
