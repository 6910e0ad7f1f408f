# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import models
from odoo.tools import html2plaintext

from ..tools.tmf621 import PRIORITY, STEP_STATUS, iso


class HelpdeskTicket(models.Model):
    """Tickets as TM Forum TMF621 trouble tickets: the resource given to the
    carrier's systems (``_tmf_resources``), read as the calling user: record
    rules and field groups apply as in the user interface. Creating and
    changing them: helpdesk_ticket_tmf_input.py."""

    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def _tmf_status(self):
        """The TMF status of this ticket."""
        self.ensure_one()
        return self._tmf_statuses()[self.id]

    def _tmf_statuses(self):
        """{ticket id: TMF status}: complaints by their step; other tickets
        closed, acknowledged in their team's first stage, else in progress
        (the first stage looked up once per team)."""
        first_stages = {}
        statuses = {}
        for ticket in self:
            if ticket.kind == "complaint" and ticket.complaint_state:
                statuses[ticket.id] = STEP_STATUS[ticket.complaint_state]
            elif ticket.stage_id.closed:
                statuses[ticket.id] = "closed"
            else:
                team = ticket.team_id
                if team not in first_stages:
                    first_stages[team] = team._get_applicable_stages()[:1]
                first = ticket.stage_id == first_stages[team]
                statuses[ticket.id] = "acknowledged" if first else "inProgress"
        return statuses

    def _tmf_personal(self, name):
        """A personal value as the user may read it (raw with the personal
        data right, masked otherwise: as in the user interface)."""
        if self._fields[name].is_accessible(self.env):
            return self[name] or None
        return self[f"{name}_masked"] or None

    def _tmf_characteristics(self):
        """Hook: the ticket's characteristics (name -> value, None omitted)."""
        self.ensure_one()
        return {
            "complaintNumber": self.number,
            "businessLine": self.business_line or None,
            "category": self.category_id.display_name or None,
            "categoryId": self.category_id.id or None,
            "urgency": self.urgency or None,
            "customerDemand": self.customer_demand or None,
            "issueDate": iso(self.issue_date),
            "receivedDate": iso(self.received_date),
            "customerStatus": self.customer_status or None,
            "escalationLevel": self.escalation_level
            if self.kind == "complaint"
            else None,
            "satisfaction": self.satisfaction or None,
            "repeatComplaint": self.is_repeat if self.kind == "complaint" else None,
            "serviceNumber": self._tmf_personal("service_number"),
            "contactPhone": self._tmf_personal("contact_phone"),
            "accountNumber": self._tmf_personal("account_number"),
            "contactAddress": self._tmf_personal("contact_address"),
        }

    def _tmf_history(self):
        """{ticket id: [(date, stage)]}: the stage changes of the tickets,
        oldest first, from the chatter's tracking (one query)."""
        history = defaultdict(list)
        if not self:
            return history
        field = self.env["ir.model.fields"]._get(self._name, "stage_id")
        # As superuser: tracking values are readable by administrators only;
        # the stage history is shown to whoever reads the ticket (chatter).
        values = (
            self.env["mail.tracking.value"]
            .sudo()
            .search_fetch(
                [
                    ("field_id", "=", field.id),
                    ("mail_message_id.model", "=", self._name),
                    ("mail_message_id.res_id", "in", self.ids),
                ],
                ["mail_message_id", "new_value_integer"],
                order="id",
            )
        )
        for value in values:
            message = value.mail_message_id
            history[message.res_id].append(
                (
                    message.date,
                    self.env["helpdesk.ticket.stage"].browse(value.new_value_integer),
                )
            )
        return history

    def _tmf_status_history(self, history, status):
        """The status changes of the ticket (``status``: its status now)."""
        self.ensure_one()
        statuses = [{"status": "acknowledged", "changeDate": iso(self.create_date)}]
        for date, stage in history.get(self.id, []):
            then = (
                STEP_STATUS.get(stage.sudo().complaint_step)
                if self.kind == "complaint"
                else ("closed" if stage.sudo().closed else "inProgress")
            )
            if then and then != statuses[-1]["status"]:
                statuses.append({"status": then, "changeDate": iso(date)})
        # The chatter's tracking is written when the transaction ends: a
        # change made in this one is not there yet.
        if statuses[-1]["status"] != status:
            statuses.append(
                {"status": status, "changeDate": iso(self.last_stage_update)}
            )
        return statuses

    def _tmf_notes(self):
        """{ticket id: [note]}: the discussion and notes of the chatter the
        user can read."""
        notes = defaultdict(list)
        messages = self.env["mail.message"].search(
            [
                ("model", "=", self._name),
                ("res_id", "in", self.ids),
                ("message_type", "=", "comment"),
            ],
            order="id",
        )
        for message in messages:
            notes[message.res_id].append(
                {
                    "id": str(message.id),
                    "author": message.author_id.name or None,
                    "date": iso(message.date),
                    "text": html2plaintext(message.body or ""),
                    "@type": "Note",
                }
            )
        return notes

    def _tmf_attachments(self, base_url):
        attachments = defaultdict(list)
        found = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)], order="id"
        )
        for attachment in found:
            attachments[attachment.res_id].append(
                {
                    "id": str(attachment.id),
                    "name": attachment.name,
                    "mimeType": attachment.mimetype,
                    "size": {"amount": attachment.file_size, "units": "bytes"},
                    "url": f"{base_url}/web/content/{attachment.id}",
                    "@type": "AttachmentRefOrValue",
                    "attachmentType": "document",
                }
            )
        return attachments

    def _tmf_resources(self, href, attributes=None):
        """The TMF resources of the tickets (a list, in order). ``href`` is the
        collection's URL; ``attributes`` the ones asked for (None: all)."""
        wanted = set(attributes) if attributes else None

        def want(name):
            return wanted is None or name in wanted

        base_url = self[:1].get_base_url()
        # What the resources of the batch need, fetched once for all of them.
        batch = {
            "statuses": self._tmf_statuses(),
            "history": self._tmf_history() if want("statusChangeHistory") else {},
            "notes": self._tmf_notes() if want("note") else {},
            "files": self._tmf_attachments(base_url) if want("attachment") else {},
        }
        resources = []
        for ticket in self:
            resource = ticket._tmf_resource(href, batch)
            if wanted is not None:
                resource = {
                    key: value
                    for key, value in resource.items()
                    if key in wanted or key in ("id", "href", "@type")
                }
            resources.append(resource)
        return resources

    def _tmf_resource(self, href, batch):
        """Hook: the TMF resource of one ticket (``batch``: what
        ``_tmf_resources`` fetched for all the tickets at once)."""
        self.ensure_one()
        status = batch["statuses"][self.id]
        refused = self.kind == "complaint" and self.complaint_state == "refused"
        resource = {
            "id": str(self.id),
            "href": f"{href}/{self.id}",
            "@type": "TroubleTicket",
            "name": self.name,
            "description": html2plaintext(self.description or ""),
            "ticketType": self.kind,
            "status": status,
            "statusChangeDate": iso(self.last_stage_update),
            "statusChangeReason": self.refuse_explanation if refused else None,
            "severity": self.severity or None,
            "priority": PRIORITY.get(self.priority),
            "creationDate": iso(self.received_date or self.create_date),
            "lastUpdate": iso(self.write_date),
            "resolutionDate": iso(self.closed_date),
            "externalId": self.external_id or None,
            "externalIdentifier": [
                {
                    "id": self.external_id,
                    "owner": self.external_source,
                    "externalIdentifierType": "troubleTicket",
                    "@type": "ExternalIdentifier",
                }
            ]
            if self.external_id
            else [],
            "channel": {
                "id": str(self.channel_id.id),
                "name": self.channel_id.name,
                "@type": "ChannelRef",
            }
            if self.channel_id
            else None,
            "relatedParty": self._tmf_related_parties(),
            "relatedEntity": [
                {
                    "id": str(self.incident_id.id),
                    "name": self.incident_id.name,
                    "role": "networkIncident",
                    "@referredType": "NetworkIncident",
                    "@type": "RelatedEntity",
                }
            ]
            if self.incident_id
            else [],
            "note": batch["notes"].get(self.id, []),
            "attachment": batch["files"].get(self.id, []),
            "statusChangeHistory": self._tmf_status_history(batch["history"], status),
            "troubleTicketCharacteristic": [
                {"name": name, "value": value, "@type": "Characteristic"}
                for name, value in self._tmf_characteristics().items()
                if value is not None
            ],
        }
        return {key: value for key, value in resource.items() if value is not None}

    def _tmf_related_parties(self):
        self.ensure_one()
        parties = []
        if self.partner_id or self.partner_name:
            party = {
                "role": "customer",
                "name": self.partner_name or self.partner_id.name,
                "@referredType": "Individual",
                "@type": "RelatedPartyRefOrPartyRoleRef",
            }
            if self.partner_id:
                party["id"] = str(self.partner_id.id)
            parties.append(party)
        if self.user_id:
            parties.append(
                {
                    "id": str(self.user_id.partner_id.id),
                    "name": self.user_id.name,
                    "role": "assignee",
                    "@referredType": "Individual",
                    "@type": "RelatedPartyRefOrPartyRoleRef",
                }
            )
        return parties
