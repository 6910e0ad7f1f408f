# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty

from ..tools.constants import PROCESS, SIDE_TRANSITIONS, SUPERVISOR_GROUP


# helpdesk.ticket is split by concern on purpose, one file each (as Odoo
# splits mail.thread): pylint-odoo would have one class.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    """The complaint process: the step transition table and each step's
    entry conditions (``_complaint_errors_<step>``), moving between steps,
    the process events, callbacks and escalation."""

    _inherit = "helpdesk.ticket"

    def _complaint_event(self, event, records=None, when=None):
        """Hook: the process reached ``event`` (see COMPLAINT_EVENTS) for the
        complaints of ``self``, at ``when`` (default: now). Fired once per
        batch (per batch and date for ``first_contact``, whose date is the
        contact's), after the change is written; ``records`` are the records the
        event made when it made some (handling logs, escalations, hand-offs).
        Other addons (time limits, reports, integrations) listen here instead
        of overriding the process's methods."""
        return True

    def _complaint_log(self, body):
        """Log ``body`` (plain text, escaped here) as an internal note on each
        complaint: the process trail. No e-mail is sent, so it also works for
        integration users without an e-mail address."""
        if self:
            self._message_log_batch(bodies=dict.fromkeys(self.ids, body))

    def _complaint_current_round(self, records):
        """Keep the records (feedback, callbacks) of the current handling round."""
        self.ensure_one()
        return records.filtered(lambda r: r.handling_round == self.handling_round)

    def _complaint_step_errors(self, step):
        """Return the reasons why this complaint cannot enter ``step``.

        Each step has its own hook ``_complaint_errors_<step>`` to extend."""
        self.ensure_one()
        hook = getattr(self, f"_complaint_errors_{step}", None)
        return hook() if hook else []

    def _complaint_errors_accepted(self):
        missing = []
        if not (self.partner_id or self.partner_name):
            missing.append(self.env._("the complainant"))
        # Personal values are checked for presence only, as superuser (the
        # user may not have the personal data right).
        personal = self.sudo()
        if not personal.contact_phone:
            missing.append(self.env._("a contact phone"))
        if not (personal.service_number or personal.account_number):
            missing.append(self.env._("the service or account number"))
        if not self.category_id:
            missing.append(self.env._("the complaint type"))
        if is_html_empty(self.description):
            missing.append(self.env._("the complaint content"))
        if not self.received_date:
            missing.append(self.env._("the time received"))
        if not missing:
            return []
        return [
            self.env._(
                "To accept the complaint, record:\n%(missing)s",
                # A list, one item a line: no separator to translate.
                missing="\n".join(f"- {item}" for item in missing),
            )
        ]

    def _complaint_errors_solution_confirmed(self):
        if self.incident_id.state == "resolved":
            # A network incident is solved for everyone once service is back.
            return []
        errors = []
        if not self.solution_measures:
            errors.append(self.env._("Record the solution measures first."))
        if not self.customer_confirmed:
            errors.append(self.env._("The customer has not confirmed the solution."))
        return errors

    def _complaint_errors_result_reported(self):
        if self._complaint_current_round(self.feedback_ids):
            return []
        return [
            self.env._(
                "Record the result feedback given to the customer before "
                "reporting the result."
            )
        ]

    def _complaint_errors_callback_done(self):
        callbacks = self._complaint_current_round(self.callback_ids)
        satisfied = callbacks.filtered(lambda c: c.reached and not c.unsatisfied)
        failed = callbacks.filtered(lambda c: not c.reached)
        max_attempts = self.company_id.complaint_callback_max_attempts
        if satisfied or len(failed) >= max_attempts:
            return []
        return [
            self.env._(
                "Call the customer back first: a callback that reached them, or "
                "%(count)s documented failed attempts (%(done)s so far).",
                count=max_attempts,
                done=len(failed),
            )
        ]

    def _complaint_errors_closed(self):
        errors = self._complaint_errors_callback_done()
        if self.remedy_ids.filtered(lambda r: r.state == "pending"):
            errors.append(
                self.env._("A remedy is waiting for approval: decide it first.")
            )
        return errors

    def _complaint_errors_refused(self):
        if self.refuse_reason_id and self.refuse_explanation:
            return []
        return [
            self.env._(
                "Refuse a complaint with the Refuse button: it needs a reason and "
                "the explanation given to the customer."
            )
        ]

    def _complaint_step_labels(self):
        """{step: its name in the user's language}."""
        return dict(
            self.env["helpdesk.ticket.stage"]
            ._fields["complaint_step"]
            ._description_selection(self.env)
        )

    def _complaint_transition(self, src, step):
        """The transition table: (the steps whose entry conditions are checked,
        whether only a supervisor may) to go from ``src`` to ``step``, or
        ``None`` when the process does not go that way. Forward along the
        main line checks every step passed; back to handling starts a new
        round (from closed: supervisors only); the side steps are in
        SIDE_TRANSITIONS."""
        if src in PROCESS and step in PROCESS:
            i, j = PROCESS.index(src), PROCESS.index(step)
            if j > i:
                return PROCESS[i + 1 : j + 1], False
            if step == "handling":
                return [], src == "closed"
            return None
        return SIDE_TRANSITIONS.get((src, step))

    def _complaint_check_transition(self, step):
        labels = self._complaint_step_labels()
        for ticket in self:
            src = ticket.complaint_state
            if not step:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s must stay in the complaint stages.",
                        number=ticket.number,
                    )
                )
            if src == step:
                continue
            rule = ticket._complaint_transition(src, step)
            if rule is None:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s cannot go from %(src)s to %(dst)s.",
                        number=ticket.number,
                        src=labels.get(src, src),
                        dst=labels[step],
                    )
                )
            to_check, supervisor_only = rule
            if supervisor_only and not self.env.user.has_group(SUPERVISOR_GROUP):
                raise UserError(
                    self.env._(
                        "Only a supervisor can take complaint %(number)s from "
                        "%(src)s back to %(dst)s.",
                        number=ticket.number,
                        src=labels.get(src, src),
                        dst=labels[step],
                    )
                )
            for each in to_check:
                errors = ticket._complaint_step_errors(each)
                if errors:
                    raise UserError(
                        self.env._(
                            "Complaint %(number)s cannot enter %(step)s: %(errors)s",
                            number=ticket.number,
                            step=labels[each],
                            errors=" ".join(errors),
                        )
                    )

    def _complaint_stage_for(self, step):
        self.ensure_one()
        stages = self.team_id._get_applicable_stages().filtered(
            lambda s: s.complaint_step == step
        )
        if not stages:
            raise UserError(
                self.env._(
                    "No stage of team %(team)s stands for this step: configure "
                    "the complaint stages.",
                    team=self.team_id.display_name,
                )
            )
        return stages[:1]

    def _complaint_move_to_step(self, step):
        by_stage = {}
        for ticket in self:
            stage = ticket._complaint_stage_for(step)
            by_stage.setdefault(stage, self.browse())
            by_stage[stage] |= ticket
        for stage, tickets in by_stage.items():
            tickets.write({"stage_id": stage.id})
        return True

    def _complaint_apply_callbacks(self, callbacks):
        """React to new callbacks, in batches: unsatisfied customers start a
        new handling round (and escalate when configured); satisfied ones end
        the callback."""
        unsatisfied = callbacks.filtered("unsatisfied").ticket_id & self
        satisfied = callbacks.filtered("reached").ticket_id & self - unsatisfied
        if satisfied:
            satisfied._complaint_move_to_step("callback_done")
        if not unsatisfied:
            return
        unsatisfied._complaint_move_to_step("handling")
        escalating = unsatisfied.filtered(
            lambda t: t.company_id.complaint_escalate_unsatisfied
            and t.escalation_level != "3"
        )
        if escalating:
            comments = {
                callback.ticket_id.id: callback.comment or ""
                for callback in callbacks.filtered("unsatisfied")[::-1]
            }
            escalating._complaint_escalate(
                "unsatisfied",
                {
                    ticket.id: self.env._(
                        "Customer unsatisfied at callback: %s", comments[ticket.id]
                    )
                    for ticket in escalating
                },
            )
        levels = dict(self._fields["escalation_level"]._description_selection(self.env))
        for ticket in unsatisfied:
            message = self.env._(
                "Complaint %(number)s: the customer is unsatisfied, handling "
                "round %(round)s started.",
                number=ticket.number,
                round=ticket.handling_round,
            )
            if ticket in escalating:
                message = self.env._(
                    "%(message)s Escalated to %(level)s.",
                    message=message,
                    level=levels[ticket.escalation_level],
                )
            ticket._complaint_notify(message)

    def _complaint_escalate(self, reason, note, to_level=None):
        """Escalate to ``to_level`` (default: one level up), record who, when,
        why and the hand-over note (``note``: one text, or {ticket id: text}),
        and move responsibility. Batched: the complaints going to the same level
        of the same company are handed over together."""
        self.check_access("write")
        notes = note if isinstance(note, dict) else dict.fromkeys(self.ids, note)
        escalations = self.env["complaint.escalation"].sudo()
        for (company, from_level, level), tickets in self._complaint_escalation_groups(
            to_level
        ).items():
            escalations |= tickets._complaint_escalate_group(
                company, from_level, level, reason, notes
            )
        self._complaint_event("escalated", records=escalations)
        return True

    def _complaint_escalation_groups(self, to_level=None):
        """{(company, from level, to level): complaints}, checked."""
        groups = defaultdict(lambda: self.browse())
        for ticket in self:
            if ticket.kind != "complaint":
                raise UserError(self.env._("Only complaints are escalated."))
            from_level = int(ticket.escalation_level)
            level = int(to_level or from_level + 1)
            if level <= from_level or level > 3:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s is at level %(level)s: it can only "
                        "be escalated to a higher level, up to 3.",
                        number=ticket.number,
                        level=from_level,
                    )
                )
            groups[(ticket.company_id, from_level, level)] |= ticket
        return groups

    def _complaint_escalate_group(self, company, from_level, level, reason, notes):
        """Escalate complaints of one company from one level to another; return
        the escalation records."""
        team, user = company._complaint_escalation_target(level)
        escalations = (
            self.env["complaint.escalation"]
            .sudo()
            .create(
                [
                    {
                        "ticket_id": ticket.id,
                        "user_id": self.env.user.id,
                        "reason": reason,
                        "from_level": str(from_level),
                        "to_level": str(level),
                        "note": notes.get(ticket.id),
                        "from_team_id": ticket.team_id.id,
                        "from_user_id": ticket.user_id.id,
                        "to_team_id": (team or ticket.team_id).id,
                        "to_user_id": (user or ticket.user_id).id,
                    }
                    for ticket in self
                ]
            )
        )
        self._complaint_write({"escalation_level": str(level)})
        reason_label = dict(
            escalations._fields["reason"]._description_selection(self.env)
        )[reason]
        self._message_log_batch(
            bodies={
                ticket.id: self.env._(
                    "Escalated from level %(src)s to level %(dst)s (%(reason)s). "
                    "Hand-over note: %(note)s",
                    src=from_level,
                    dst=level,
                    reason=reason_label,
                    note=notes.get(ticket.id) or "",
                )
                for ticket in self
            }
        )
        # Last: handing over may take the complaints out of the escalating
        # user's reach.
        vals = {}
        if team:
            vals["team_id"] = team.id
        if user:
            vals["user_id"] = user.id
        if vals:
            self.write(vals)
        return escalations
