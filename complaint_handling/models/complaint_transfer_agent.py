# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.text import text_to_html


class ComplaintTransfer(models.Model):
    """What the partner organisation's agents do on a complaint handed to them,
    in the portal: acknowledge or return it, take it or assign it, log their
    steps, propose and confirm the solution, report the result, call back.

    Public methods, called on the hand-off read as the agent (record rules
    applied): each checks the agent's right first, then writes as superuser,
    since agents have no write access to complaints."""

    _inherit = "complaint.transfer"

    def _check_agent(self, supervisor=False, acknowledged=True, assigned=True):
        """Return the complaint, as superuser, once the current user is
        checked to be an agent (``supervisor``: a supervisor agent) of the
        organisation this hand-off is current for."""
        self.ensure_one()
        self.check_access("read")
        ticket = self.ticket_id
        ticket.check_access("read")
        if ticket.sudo().transfer_id != self or not ticket._complaint_is_agent(
            supervisor=supervisor
        ):
            raise AccessError(
                self.env._(
                    "Complaint %(number)s is not handed to your organisation.",
                    number=ticket.number,
                )
            )
        if acknowledged and self.state != "acknowledged":
            raise UserError(
                self.env._(
                    "Acknowledge complaint %(number)s first.", number=ticket.number
                )
            )
        agent = ticket.partner_agent_id
        if (
            assigned
            and agent
            and agent != self.env.user
            and not ticket._complaint_is_agent(supervisor=True)
        ):
            raise UserError(
                self.env._(
                    "Complaint %(number)s is assigned to %(agent)s.",
                    number=ticket.number,
                    agent=agent.name,
                )
            )
        return ticket.sudo()

    def action_acknowledge(self):
        ticket = self._check_agent(acknowledged=False, assigned=False)
        transfer = self.sudo()
        if transfer.state != "sent":
            if transfer.acknowledged_by_id:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s was already acknowledged by %(agent)s.",
                        number=ticket.number,
                        agent=transfer.acknowledged_by_id.name,
                    )
                )
            raise UserError(
                self.env._(
                    "Complaint %(number)s was already acknowledged.",
                    number=ticket.number,
                )
            )
        now = fields.Datetime.now()
        transfer.write(
            {
                "state": "acknowledged",
                "date_acknowledged": now,
                "acknowledged_by_id": self.env.user.id,
            }
        )
        if ticket.complaint_state == "accepted":
            ticket._complaint_move_to_step("handling")
        ticket._complaint_log(
            self.env._(
                "Acknowledged by %(agent)s (%(org)s).",
                agent=self.env.user.name,
                org=ticket.partner_org_id.display_name,
            )
        )
        ticket._complaint_event("acknowledged", records=transfer, when=now)
        return True

    def action_return(self, reason, note):
        ticket = self._check_agent(acknowledged=False, assigned=False)
        reasons = dict(self._fields["return_reason"]._description_selection(self.env))
        if reason not in reasons:
            raise UserError(self.env._("Choose why the complaint is returned."))
        if not (note or "").strip():
            raise UserError(self.env._("Explain why the complaint is returned."))
        if ticket.complaint_state not in ("accepted", "handling"):
            raise UserError(
                self.env._(
                    "Complaint %(number)s is past handling: it can no longer be "
                    "returned.",
                    number=ticket.number,
                )
            )
        org = ticket.partner_org_id
        ticket._complaint_log(
            self.env._(
                "Returned by %(org)s (%(reason)s): %(note)s",
                org=org.display_name,
                reason=reasons[reason],
                note=note,
            )
        )
        owner = ticket.user_id or ticket.first_responder_id
        if owner and not owner.share:
            ticket.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                summary=self.env._("Complaint returned by %s", org.display_name),
                # The agent's text, as text: never markup in the owner's view.
                note=text_to_html(note),
                user_id=owner.id,
            )
        self.sudo()._end("returned", reason=reason, note=note)
        return True

    def action_take(self):
        ticket = self._check_agent(assigned=False)
        if ticket.partner_agent_id and ticket.partner_agent_id != self.env.user:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is already taken by %(agent)s.",
                    number=ticket.number,
                    agent=ticket.partner_agent_id.name,
                )
            )
        return self._set_agent(ticket, self.env.user)

    def action_assign(self, agent):
        """A supervisor agent gives the complaint to one of the organisation's
        agents (``agent``: a res.users record or id)."""
        ticket = self._check_agent(supervisor=True, assigned=False)
        if isinstance(agent, int):
            agent = self.env["res.users"].browse(agent)
        agent = agent.sudo().exists()
        if not agent or agent not in ticket.partner_org_id.complaint_agent_ids:
            raise UserError(
                self.env._("Assign the complaint to an agent of your organisation.")
            )
        return self._set_agent(ticket, agent)

    def _set_agent(self, ticket, agent):
        ticket._complaint_write({"partner_agent_id": agent.id})
        ticket._complaint_log(self.env._("Partner agent: %(agent)s.", agent=agent.name))
        return True

    @api.returns("complaint.handling.log", lambda record: record.id)
    def action_add_log(self, vals, attachments=None):
        """Log a contact attempt, an investigation step or a technical support
        request; ``attachments``: [(file name, raw bytes)] of evidence."""
        ticket = self._check_agent()
        vals = {
            key: vals.get(key)
            for key in ("log_type", "contact_result", "description")
            if vals.get(key)
        }
        if not (vals.get("description") or "").strip():
            raise UserError(self.env._("Describe what was done."))
        company = ticket.company_id
        if attachments and len(attachments) > company.complaint_portal_max_files:
            raise UserError(
                self.env._(
                    "Attach at most %(count)s files.",
                    count=company.complaint_portal_max_files,
                )
            )
        if vals.get("log_type") == "tech_request":
            tech = ticket.company_id.complaint_tech_user_id
            if not tech:
                raise UserError(
                    self.env._(
                        "The carrier has no technical support contact configured: "
                        "ask the complaint owner."
                    )
                )
            vals["tech_user_id"] = tech.id
        elif vals.get("log_type") != "contact":
            vals.pop("contact_result", None)
        log = (
            self.env["complaint.handling.log"]
            .sudo()
            .create({**vals, "ticket_id": ticket.id})
        )
        if attachments:
            files = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    [
                        {
                            "name": name,
                            "raw": raw,
                            "res_model": "complaint.handling.log",
                            "res_id": log.id,
                        }
                        for name, raw in attachments
                    ]
                )
            )
            log._complaint_write({"attachment_ids": [fields.Command.set(files.ids)]})
        labels = dict(log._fields["log_type"]._description_selection(self.env))
        ticket._complaint_log(
            self.env._(
                "%(agent)s (%(org)s) logged %(type)s: %(text)s%(files)s",
                agent=self.env.user.name,
                org=ticket.partner_org_id.display_name,
                type=labels[log.log_type],
                text=log.description,
                files=self.env._(" (evidence files: %s)", len(attachments))
                if attachments
                else "",
            )
        )
        return log

    def action_propose_solution(self, measures):
        ticket = self._check_agent()
        if not (measures or "").strip():
            raise UserError(self.env._("Describe the proposed solution."))
        if ticket.complaint_state != "handling":
            raise UserError(
                self.env._(
                    "Complaint %(number)s is not in handling: the solution is settled.",
                    number=ticket.number,
                )
            )
        ticket.write({"solution_measures": measures})
        ticket._complaint_log(
            self.env._(
                "Solution proposed by %(agent)s: %(measures)s",
                agent=self.env.user.name,
                measures=measures,
            )
        )
        return True

    def action_confirm_solution(self):
        ticket = self._check_agent()
        ticket.action_complaint_confirm_solution()
        ticket._complaint_log(
            self.env._(
                "The customer's agreement to the solution recorded by %(agent)s.",
                agent=self.env.user.name,
            )
        )
        return True

    @api.returns("complaint.feedback", lambda record: record.id)
    def action_report_result(self, vals):
        """Record the result feedback given to the customer and report it."""
        ticket = self._check_agent()
        if ticket.complaint_state != "solution_confirmed":
            raise UserError(
                self.env._(
                    "Complaint %(number)s: the result is reported once the "
                    "customer has agreed to the solution.",
                    number=ticket.number,
                )
            )
        feedback = (
            self.env["complaint.feedback"]
            .sudo()
            .create(
                {
                    key: vals.get(key)
                    for key in ("channel", "conclusion", "basis", "plan", "execution")
                    if vals.get(key)
                }
                | {"ticket_id": ticket.id}
            )
        )
        if not ticket.solution_implemented:
            ticket.action_complaint_mark_implemented()
        ticket.action_complaint_report_result()
        return feedback

    @api.returns("complaint.callback", lambda record: record.id)
    def action_record_callback(self, vals):
        ticket = self._check_agent()
        return (
            self.env["complaint.callback"]
            .sudo()
            .create(
                {
                    "ticket_id": ticket.id,
                    "reached": bool(vals.get("reached")),
                    "satisfaction": vals.get("satisfaction") or False,
                    "problem_solved": bool(vals.get("problem_solved")),
                    "comment": vals.get("comment"),
                }
            )
        )
