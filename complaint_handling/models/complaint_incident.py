# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext, is_html_empty


class ComplaintIncident(models.Model):
    _name = "complaint.incident"
    _description = "Network Incident"
    _inherit = ["mail.thread"]
    _order = "start_date desc, id desc"

    name = fields.Char(required=True, tracking=True)
    area = fields.Char(required=True, help="Cities, districts or cells affected.")
    start_date = fields.Datetime(string="Start", required=True, tracking=True)
    end_date = fields.Datetime(string="End", tracking=True)
    cause = fields.Text()
    state = fields.Selection(
        selection=[("open", "Ongoing"), ("resolved", "Resolved")],
        default="open",
        required=True,
        tracking=True,
    )
    standard_reply = fields.Html(
        help="Answer given to every complaint linked to the incident."
    )
    reply_channel = fields.Selection(
        selection=lambda self: self.env["complaint.feedback"]
        ._fields["channel"]
        .selection,
        default="sms",
        required=True,
    )
    ticket_ids = fields.One2many(
        comodel_name="helpdesk.ticket",
        inverse_name="incident_id",
        string="Complaints",
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        groups = self.env["helpdesk.ticket"]._read_group(
            [("incident_id", "in", self.ids)], ["incident_id"], ["__count"]
        )
        counts = {incident.id: count for incident, count in groups}
        for incident in self:
            incident.ticket_count = counts.get(incident.id, 0)

    @api.constrains("start_date", "end_date", "state")
    def _check_dates(self):
        for incident in self:
            if incident.state == "resolved" and not incident.end_date:
                raise ValidationError(
                    self.env._(
                        "Record when incident %(name)s ended before marking it "
                        "resolved.",
                        name=incident.name,
                    )
                )
            if incident.end_date and incident.end_date < incident.start_date:
                raise ValidationError(
                    self.env._("An incident cannot end before it starts.")
                )

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_handling.helpdesk_ticket_complaint_action"
        )
        action["domain"] = [("incident_id", "=", self.id)]
        action["context"] = {
            "default_incident_id": self.id,
            "default_kind": "complaint",
        }
        return action

    def action_reply_all(self):
        """Answer every linked complaint in handling with the standard reply."""
        self.ensure_one()
        if self.state != "resolved":
            raise UserError(
                self.env._(
                    "Mark the incident resolved before answering its complaints."
                )
            )
        if is_html_empty(self.standard_reply):
            raise UserError(self.env._("Write the standard reply first."))
        tickets = self.ticket_ids.filtered(
            lambda t: t.complaint_state
            in ("accepted", "handling", "solution_confirmed")
        )
        if not tickets:
            raise UserError(
                self.env._("No complaint of this incident is waiting for an answer.")
            )
        conclusion = html2plaintext(self.standard_reply)
        self.env["complaint.feedback"].create(
            [
                {
                    "ticket_id": ticket.id,
                    "channel": self.reply_channel,
                    "conclusion": conclusion,
                    "basis": self.env._(
                        "Network incident %(name)s (%(area)s): %(cause)s",
                        name=self.name,
                        area=self.area,
                        cause=self.cause or "",
                    ),
                }
                for ticket in tickets
            ]
        )
        tickets._complaint_move_to_step("result_reported")
        message = self.env._(
            "Standard reply sent to %(count)s complaints: they wait for their "
            "callback.",
            count=len(tickets),
        )
        self._message_log(body=message)
        return tickets._complaint_notification(message)
