# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

# Fields whose change is a TMF attribute value change -> the TMF attribute.
ATTRIBUTE_FIELDS = {
    "name": "name",
    "description": "description",
    "severity": "severity",
    "priority": "priority",
    "urgency": "troubleTicketCharacteristic.urgency",
    "business_line": "troubleTicketCharacteristic.businessLine",
    "category_id": "troubleTicketCharacteristic.category",
    "customer_demand": "troubleTicketCharacteristic.customerDemand",
    "issue_date": "troubleTicketCharacteristic.issueDate",
    "escalation_level": "troubleTicketCharacteristic.escalationLevel",
    "channel_id": "channel",
    "incident_id": "relatedEntity",
    "partner_id": "relatedParty",
    "partner_name": "relatedParty",
    "user_id": "relatedParty",
}


# helpdesk.ticket is split by concern on purpose, one file each (as Odoo
# splits mail.thread): pylint-odoo would have one class.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    """The TMF621 events of the tickets, written to the outbox
    (``complaint.api.event``) in the transaction of the change: creation,
    status change, resolution and attribute value change."""

    _inherit = "helpdesk.ticket"

    def _tmf_listened(self):
        """The tickets of ``self`` whose company has an active listener
        (cached: no query on a database without listeners)."""
        listeners = self.env["complaint.api.listener"]
        companies = {
            company.id
            for company in self.sudo().company_id
            if listeners._listener_ids(company.id)
        }
        return self.filtered(lambda t: t.sudo().company_id.id in companies)

    def _complaint_event(self, event, records=None, when=None):
        res = super()._complaint_event(event, records=records, when=when)
        if event == "received":
            tickets = self._tmf_listened()
            if tickets:
                self.env["complaint.api.event"]._complaint_enqueue(
                    "TroubleTicketCreateEvent", tickets
                )
        return res

    def write(self, vals):
        listened = self._tmf_listened() if self else self
        if not listened:
            return super().write(vals)
        statuses = listened.sudo()._tmf_statuses() if "stage_id" in vals else {}
        res = super().write(vals)
        changed = {ATTRIBUTE_FIELDS[name] for name in vals if name in ATTRIBUTE_FIELDS}
        listened._tmf_enqueue_changes(statuses, changed)
        return res

    def _tmf_enqueue_changes(self, statuses, changed):
        """The events of a write: ``statuses`` are the TMF statuses before it
        (when the stage was written), ``changed`` the TMF attributes written."""
        events = self.env["complaint.api.event"]
        if statuses:
            now = self.sudo()._tmf_statuses()
            moved = self.filtered(lambda t: now[t.id] != statuses[t.id])
            if moved:
                events._complaint_enqueue("TroubleTicketStatusChangeEvent", moved)
            ended = ("resolved", "closed")
            resolved = moved.filtered(
                lambda t: now[t.id] in ended and statuses[t.id] not in ended
            )
            if resolved:
                events._complaint_enqueue("TroubleTicketResolvedEvent", resolved)
        if changed:
            events._complaint_enqueue(
                "TroubleTicketAttributeValueChangeEvent", self, changed=changed
            )
