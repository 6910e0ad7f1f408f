# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.constants import CONCLUDED_STEPS


class ComplaintIncidentLinkWizard(models.TransientModel):
    """Link the complaints selected in the list to one network incident, so
    that the incident's standard reply answers them together."""

    _name = "complaint.incident.link.wizard"
    _description = "Link Complaints to a Network Incident"

    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        string="Complaints",
        domain="[('kind', '=', 'complaint')]",
    )
    incident_id = fields.Many2one(
        comodel_name="complaint.incident",
        string="Network Incident",
        required=True,
        domain="[('state', '=', 'open')]",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "ticket_ids" in fields_list and not values.get("ticket_ids"):
            active = self.env.context.get("active_ids") or []
            if self.env.context.get("active_model") == "helpdesk.ticket":
                values["ticket_ids"] = [fields.Command.set(active)]
        return values

    def action_link(self):
        self.ensure_one()
        incident = self.incident_id
        if incident.state != "open":
            raise UserError(
                self.env._(
                    "The incident %(incident)s is resolved: complaints are linked "
                    "to an ongoing incident.",
                    incident=incident.name,
                )
            )
        tickets = self.ticket_ids
        wrong = tickets.filtered(
            lambda t: t.kind != "complaint"
            or t.complaint_state in CONCLUDED_STEPS
            or t.company_id != incident.company_id
        )
        if wrong:
            raise UserError(
                self.env._(
                    "Only open complaints of the incident's company are linked to "
                    "it: %(numbers)s is not one.",
                    numbers=", ".join(wrong.mapped("number")),
                )
            )
        tickets.write({"incident_id": self.incident_id.id})
        return tickets._complaint_notification(
            self.env._(
                "%(count)s complaints linked to the incident %(incident)s.",
                count=len(tickets),
                incident=self.incident_id.name,
            )
        )
