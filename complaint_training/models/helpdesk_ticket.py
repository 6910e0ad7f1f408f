# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.complaint_handling.tools.constants import (
    PARTNER_SUPERVISOR_GROUP,
    SUPERVISOR_GROUP,
)

# Who the gate checks: the handler and the partner organisation's agent.
ASSIGNEE_FIELDS = ("user_id", "partner_agent_id")
# What the assignment depends on: a change of any of them is checked.
GATE_FIELDS = {*ASSIGNEE_FIELDS, "category_id", "team_id", "business_line", "kind"}
# The reason a supervisor gives to assign despite a missing qualification.
OVERRIDE_KEY = "complaint_qualification_override"
# The escalation's mark in the context: an object, which no RPC client can
# send (a string key with a value would be forged).
ESCALATION_KEY = "complaint_qualification_escalation"
ESCALATION = object()


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    qualification_override_ids = fields.One2many(
        comodel_name="complaint.qualification.override",
        inverse_name="ticket_id",
        string="Qualification Overrides",
    )

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        # The assignments the caller made: in the values or the context's
        # defaults. (The intake's owner, the user recording the complaint, is
        # not an assignment: a complaint is never refused at intake.)
        context = self.env.context
        given = tickets.browse(
            ticket.id
            for ticket, vals in zip(tickets, vals_list, strict=True)
            if any(
                vals.get(name) or context.get(f"default_{name}")
                for name in ASSIGNEE_FIELDS
            )
        )
        given._complaint_check_assignees()
        return tickets

    def write(self, vals):
        result = super().write(vals)
        # Checked on the result: an assignment, or a change of what the
        # assignment needs (type, team, business line, kind), in any order.
        names = set(vals)
        if names & (GATE_FIELDS - set(ASSIGNEE_FIELDS)):
            self._complaint_check_assignees()
        elif names & set(ASSIGNEE_FIELDS):
            self._complaint_check_assignees(
                [name for name in ASSIGNEE_FIELDS if vals.get(name)]
            )
        return result

    def _complaint_escalate_group(self, company, from_level, level, reason, notes):
        # The escalation hands the complaints to the level's team and owner
        # whatever their training: logged as an override, never refused.
        return super(
            HelpdeskTicket, self.with_context(**{ESCALATION_KEY: ESCALATION})
        )._complaint_escalate_group(company, from_level, level, reason, notes)

    def _complaint_check_assignees(self, names=ASSIGNEE_FIELDS):
        """Each assignee (handler, partner agent) of ``self`` is qualified for
        the complaints he has, or was assigned them by a logged override.
        One check per assignee, whatever the number of complaints."""
        overrides = (
            self.env["complaint.qualification.override"]
            .sudo()
            .search([("ticket_id", "in", self.ids)])
        )
        allowed = {(o.ticket_id.id, o.assignee_id.id) for o in overrides}
        for name in names:
            for user, tickets in self.filtered(name).grouped(name).items():
                if user._is_superuser():
                    continue  # the system's own records (intake as superuser)
                pending = tickets.filtered(
                    lambda t, u=user: (t.id, u.id) not in allowed
                )
                pending._complaint_check_qualified(user)

    def _complaint_gated(self):
        """The complaints of ``self`` whose assignment needs a qualification
        (their type, a parent type or their team requires one)."""
        complaints = self.filtered(lambda t: t.kind == "complaint")
        required = complaints.category_id._complaint_requires_qualification()
        return complaints.filtered(
            lambda t: t.category_id in required or t.team_id.qualification_required
        )

    def _complaint_unqualified(self, user):
        """The complaints of ``self`` that ``user`` is not qualified to handle
        today. A constant number of queries, whatever the number of
        complaints."""
        gated = self._complaint_gated()
        if not gated:
            return gated
        today = fields.Date.context_today(self)
        Qualification = self.env["complaint.qualification"].sudo()
        qualifications = Qualification.search(
            [
                ("user_id", "=", user.id),
                ("company_id", "in", gated.company_id.ids),
                *Qualification._valid_domain(today),
            ]
        )
        return gated.filtered(
            lambda t: not any(
                q.company_id == t.company_id
                and q._covers(t.category_id, t.business_line)
                for q in qualifications
            )
        )

    def _complaint_check_qualified(self, user):
        """Raise unless ``user`` is qualified for the complaints of ``self``;
        a supervisor's override (a reason in the context) is logged instead."""
        missing = self._complaint_unqualified(user)
        if not missing:
            return
        if self.env.context.get(ESCALATION_KEY) is ESCALATION:
            missing._complaint_log_override(
                user, self.env._("Escalation to the next level.")
            )
            return
        reason = (self.env.context.get(OVERRIDE_KEY) or "").strip()
        if not reason:
            raise UserError(missing._complaint_unqualified_message(user))
        if not self._complaint_may_override(user):
            raise UserError(
                self.env._(
                    "Only a supervisor assigns a complaint to someone without "
                    "the qualification it needs."
                )
            )
        missing._complaint_log_override(user, reason)

    def _complaint_may_override(self, user):
        """Hook: whether the current user may assign ``self`` to ``user``
        without the qualification: a supervisor of the carrier, or a supervisor
        agent for the agents of his organisation."""
        current = self.env.user
        if current.has_group(SUPERVISOR_GROUP):
            return True
        return current.has_group(PARTNER_SUPERVISOR_GROUP) and all(
            ticket.partner_org_id
            and ticket.partner_org_id == current.commercial_partner_id
            and ticket.partner_agent_id == user
            for ticket in self
        )

    def _complaint_missing_label(self):
        self.ensure_one()
        parts = [self.category_id.complete_name] if self.category_id else []
        if self.business_line:
            parts.append(
                dict(self._fields["business_line"]._description_selection(self.env))[
                    self.business_line
                ]
            )
        return " / ".join(parts) or self.env._("this team's complaints")

    def _complaint_unqualified_message(self, user):
        shown = self[:5]
        lines = "\n".join(
            f"- {ticket.number}: {ticket._complaint_missing_label()}"
            for ticket in shown
        )
        more = len(self) - len(shown)
        return self.env._(
            "%(person)s has no valid qualification for:\n%(lines)s%(more)s\n"
            "Assign someone qualified, or ask a supervisor to assign anyway with "
            "a reason.",
            person=user.name,
            lines=lines,
            more=self.env._("\n… and %(count)s more", count=more) if more else "",
        )

    def _complaint_log_override(self, user, reason):
        self.env["complaint.qualification.override"].sudo().create(
            [
                {
                    "ticket_id": ticket.id,
                    "assignee_id": user.id,
                    "supervisor_id": self.env.uid,
                    "missing": ticket._complaint_missing_label(),
                    "reason": reason,
                }
                for ticket in self
            ]
        )
        self._message_log_batch(
            bodies=dict.fromkeys(
                self.ids,
                self.env._(
                    "Assigned to %(person)s without the qualification it needs, by "
                    "%(supervisor)s: %(reason)s",
                    person=user.name,
                    supervisor=self.env.user.name,
                    reason=reason,
                ),
            )
        )

    def action_complaint_assign_override(self):
        """Open the dialog a supervisor assigns with despite a missing
        qualification."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Assign Without Qualification"),
            "res_model": "complaint.qualification.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_ids": self.ids},
        }
