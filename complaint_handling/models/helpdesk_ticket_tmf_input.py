# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import binascii

from odoo import api, fields, models
from odoo.tools import plaintext2html

from ..tools.tmf621 import (
    CHARACTERISTIC_FIELDS,
    CREATE_ATTRIBUTES,
    PATCH_ATTRIBUTES,
    PATCH_CHARACTERISTICS,
    PRIORITY_CODE,
    STATUSES,
    TmfError,
    parse_datetime,
)


def _bad(message):
    """A 400 error (``message``: translated)."""
    return TmfError(400, "Bad Request", message)


# helpdesk.ticket is split by concern on purpose, one file each (as Odoo
# splits mail.thread): pylint-odoo would have one class.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    """TMF621 trouble tickets received and changed by the carrier's systems:
    the values of a new ticket (``_tmf_create_vals``, ``tmf_create``) and the
    changes a client may make (``tmf_patch``). Everything is written as the
    calling user, through the process's checks, as in the user interface."""

    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Creating
    # ------------------------------------------------------------------
    @api.model
    def _tmf_check_attributes(self, data, allowed):
        if not isinstance(data, dict):
            raise _bad(self.env._("The body must be a JSON object."))
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise _bad(
                self.env._(
                    "These attributes cannot be set here: %(names)s.",
                    names=", ".join(unknown),
                )
            )

    @api.model
    def _tmf_selection(self, field, value, attribute):
        """The selection key ``value`` of ``field`` (400 when unknown)."""
        keys = [
            key for key, _label in self._fields[field]._description_selection(self.env)
        ]
        if value not in keys:
            raise _bad(
                self.env._(
                    "%(attribute)s must be one of: %(values)s.",
                    attribute=attribute,
                    values=", ".join(keys),
                )
            )
        return value

    @api.model
    def _tmf_characteristic_values(self, data, allowed):
        """{name: value} of ``troubleTicketCharacteristic`` (400 when a name
        is not in ``allowed``)."""
        items = data.get("troubleTicketCharacteristic") or []
        if not isinstance(items, list) or not all(
            isinstance(item, dict) and item.get("name") for item in items
        ):
            raise _bad(
                self.env._(
                    "troubleTicketCharacteristic must be a list of objects with "
                    "a name and a value."
                ),
            )
        values = {item["name"]: item.get("value") for item in items}
        unknown = sorted(set(values) - set(allowed))
        if unknown:
            raise _bad(
                self.env._(
                    "Unknown characteristics: %(names)s.", names=", ".join(unknown)
                )
            )
        return values

    @api.model
    def _tmf_create_vals(self, data):
        """The values of a new ticket from a TMF resource (400 on bad input)."""
        self._tmf_check_attributes(data, CREATE_ATTRIBUTES)
        description = data.get("description")
        if not isinstance(description, str) or not description.strip():
            raise _bad(self.env._("description is required."))
        name = data.get("name") or description.strip().splitlines()[0][:80]
        kind = self._tmf_selection(
            "kind", data.get("ticketType") or "complaint", "ticketType"
        )
        vals = {
            "kind": kind,
            "name": name,
            "description": plaintext2html(description),
        }
        if data.get("severity"):
            vals["severity"] = self._tmf_selection(
                "severity", data["severity"], "severity"
            )
        if data.get("priority") and kind != "complaint":
            if data["priority"] not in PRIORITY_CODE:
                raise _bad(
                    self.env._(
                        "priority must be one of: %(values)s.",
                        values=", ".join(PRIORITY_CODE),
                    )
                )
            vals["priority"] = PRIORITY_CODE[data["priority"]]
        vals.update(self._tmf_external_vals(data))
        vals.update(self._tmf_channel_vals(data.get("channel")))
        vals.update(self._tmf_party_vals(data.get("relatedParty")))
        vals.update(self._tmf_entity_vals(data.get("relatedEntity")))
        characteristics = self._tmf_characteristic_values(
            data, set(CHARACTERISTIC_FIELDS) | {"category"}
        )
        vals.update(self._tmf_characteristic_vals(characteristics))
        return vals

    @api.model
    def _tmf_external_vals(self, data):
        vals = {}
        identifiers = data.get("externalIdentifier") or []
        if not isinstance(identifiers, list) or not all(
            isinstance(item, dict) and item.get("id") for item in identifiers
        ):
            raise _bad(
                self.env._("externalIdentifier must be a list of objects with an id."),
            )
        if len(identifiers) > 1:
            raise _bad(self.env._("Give one externalIdentifier."))
        if identifiers:
            vals["external_id"] = str(identifiers[0]["id"])
            if identifiers[0].get("owner"):
                vals["external_source"] = str(identifiers[0]["owner"])
        if data.get("externalId"):
            if vals and vals["external_id"] != str(data["externalId"]):
                raise _bad(
                    self.env._("externalId and externalIdentifier disagree."),
                )
            vals["external_id"] = str(data["externalId"])
        return vals

    @api.model
    def _tmf_channel_vals(self, channel):
        if not channel:
            return {}
        if not isinstance(channel, dict):
            raise _bad(self.env._("channel must be an object."))
        channels = self.env["helpdesk.ticket.channel"]
        if channel.get("id"):
            found = channels.search([("id", "=", _int_id(self.env, channel["id"]))])
        else:
            found = channels.search([("name", "=ilike", channel.get("name") or "")])
        if not found:
            raise _bad(self.env._("Unknown channel."))
        return {"channel_id": found[:1].id}

    @api.model
    def _tmf_party_vals(self, parties):
        if not parties:
            return {}
        if not isinstance(parties, list) or not all(
            isinstance(party, dict) for party in parties
        ):
            raise _bad(self.env._("relatedParty must be a list of objects."))
        customers = [p for p in parties if p.get("role", "customer") == "customer"]
        if len(customers) != 1 or len(parties) != 1:
            raise _bad(
                self.env._("Give one relatedParty, with the role customer."),
            )
        customer = customers[0]
        vals = {}
        if customer.get("id"):
            partner = self.env["res.partner"].search(
                [("id", "=", _int_id(self.env, customer["id"]))]
            )
            if not partner:
                raise _bad(self.env._("Unknown customer."))
            vals["partner_id"] = partner.id
        if customer.get("name"):
            vals["partner_name"] = str(customer["name"])
        return vals

    @api.model
    def _tmf_entity_vals(self, entities):
        if not entities:
            return {}
        if not isinstance(entities, list) or len(entities) != 1:
            raise _bad(
                self.env._("Give one relatedEntity: the network incident."),
            )
        entity = entities[0]
        if not isinstance(entity, dict) or entity.get("role") not in (
            None,
            "networkIncident",
        ):
            raise _bad(
                self.env._("relatedEntity must have the role networkIncident."),
            )
        incident = self.env["complaint.incident"].search(
            [("id", "=", _int_id(self.env, entity.get("id")))]
        )
        if not incident:
            raise _bad(self.env._("Unknown network incident."))
        return {"incident_id": incident.id}

    @api.model
    def _tmf_characteristic_vals(self, characteristics):
        vals = {}
        for name, value in characteristics.items():
            if name == "category":
                vals["category_id"] = self._tmf_category(value).id
                continue
            field_name = CHARACTERISTIC_FIELDS.get(name)
            if not field_name:
                continue
            field = self._fields[field_name]
            if field.type == "selection":
                value = self._tmf_selection(field_name, value, name)
            elif field.type in ("date", "datetime"):
                value = self._tmf_date(value, field.type, name)
            elif value is not None and not isinstance(value, str):
                raise _bad(self.env._("%(name)s must be a string.", name=name))
            vals[field_name] = value
        return vals

    @api.model
    def _tmf_date(self, value, field_type, name):
        try:
            parsed = parse_datetime(value)
        except (TypeError, ValueError):
            raise _bad(
                self.env._("%(name)s must be an ISO 8601 date.", name=name)
            ) from None
        return parsed.date() if field_type == "date" else parsed

    @api.model
    def _tmf_category(self, value):
        categories = self.env["helpdesk.ticket.category"]
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            found = categories.search([("id", "=", int(value))])
        else:
            found = categories.search([("complete_name", "=ilike", str(value))])
        if not found:
            raise _bad(self.env._("Unknown category."))
        return found[:1]

    @api.model
    def _tmf_attachment_vals(self, items):
        """The attachments to add (name, content in base64)."""
        if not isinstance(items, list) or not all(
            isinstance(item, dict) for item in items
        ):
            raise _bad(self.env._("attachment must be a list of objects."))
        vals_list = []
        for item in items:
            if item.get("id"):
                continue  # an attachment the ticket has already
            if not item.get("name") or not item.get("content"):
                raise _bad(
                    self.env._("A new attachment needs a name and its content."),
                )
            try:
                raw = base64.b64decode(item["content"], validate=True)
            except (binascii.Error, ValueError, TypeError):
                raise _bad(
                    self.env._("An attachment's content must be in base64."),
                ) from None
            vals_list.append({"name": str(item["name"]), "raw": raw})
        return vals_list

    @api.model
    def _tmf_new_notes(self, items):
        if not isinstance(items, list) or not all(
            isinstance(item, dict) for item in items
        ):
            raise _bad(self.env._("note must be a list of objects."))
        texts = [item.get("text") for item in items if not item.get("id")]
        if not all(isinstance(text, str) and text.strip() for text in texts):
            raise _bad(self.env._("A new note needs its text."))
        return texts

    @api.model
    def tmf_create(self, data):
        """Create a ticket from a TMF resource, idempotently on its external
        identifier. Returns (ticket, created)."""
        vals = self._tmf_create_vals(data)
        notes = self._tmf_new_notes(data.get("note") or [])
        files = self._tmf_attachment_vals(data.get("attachment") or [])
        result = self.complaint_receive([vals])[0]
        ticket = self.browse(result["id"])
        if result["created"]:
            ticket._tmf_add(notes, files)
        return ticket, result["created"]

    def _tmf_add(self, notes, files):
        """Post new notes and attach new files, as the user."""
        self.ensure_one()
        for text in notes:
            self.message_post(
                body=plaintext2html(text),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        if files:
            self.check_access("write")
            self.env["ir.attachment"].create(
                [{**vals, "res_model": self._name, "res_id": self.id} for vals in files]
            )

    # ------------------------------------------------------------------
    # Changing
    # ------------------------------------------------------------------
    def tmf_patch(self, data):
        """Apply a TMF partial update (JSON merge patch) to the ticket."""
        self.ensure_one()
        self._tmf_check_attributes(data, PATCH_ATTRIBUTES)
        characteristics = self._tmf_characteristic_values(data, PATCH_CHARACTERISTICS)
        notes = self._tmf_new_notes(data.get("note") or [])
        files = self._tmf_attachment_vals(data.get("attachment") or [])
        vals = {}
        if data.get("severity"):
            vals["severity"] = self._tmf_selection(
                "severity", data["severity"], "severity"
            )
        if "urgency" in characteristics:
            vals["urgency"] = self._tmf_selection(
                "urgency", characteristics["urgency"], "urgency"
            )
        if data.get("relatedEntity"):
            vals.update(self._tmf_entity_vals(data["relatedEntity"]))
        if vals:
            self.write(vals)
        self._tmf_add(notes, files)
        status = data.get("status")
        if status and status != self._tmf_status():
            self._tmf_change_status(
                status, data.get("statusChangeReason"), characteristics
            )
        return True

    def _tmf_change_status(self, status, reason, characteristics):
        """Hook: move the ticket to the TMF ``status`` through the process."""
        if status not in STATUSES:
            raise _bad(
                self.env._(
                    "status must be one of: %(values)s.", values=", ".join(STATUSES)
                )
            )
        if self.kind != "complaint":
            return self._tmf_change_stage(status)
        step = self.complaint_state
        moves = {
            ("received", "inProgress"): self.action_complaint_accept,
            ("accepted", "inProgress"): self.action_complaint_start,
            ("solution_confirmed", "resolved"): self.action_complaint_report_result,
            ("callback_done", "closed"): self.action_complaint_close,
            ("refused", "acknowledged"): self.action_complaint_reopen,
        }
        if (step, status) in moves:
            return moves[(step, status)]()
        if step == "received" and status == "rejected":
            return self._tmf_refuse(reason, characteristics.get("refuseReason"))
        raise TmfError(
            409,
            "Conflict",
            self.env._(
                "Complaint %(number)s cannot go from %(current)s to %(status)s: "
                "the complaint process does not allow it.",
                number=self.number,
                current=self._tmf_status(),
                status=status,
            ),
        )

    def _tmf_refuse(self, explanation, reason):
        if not reason or not explanation:
            raise _bad(
                self.env._(
                    "Refusing a complaint needs the refuseReason characteristic "
                    "(a refusal reason's id) and statusChangeReason (the "
                    "explanation to the customer)."
                ),
            )
        reason_record = self.env["complaint.refuse.reason"].search(
            [("id", "=", _int_id(self.env, reason))]
        )
        if not reason_record:
            raise _bad(self.env._("Unknown refusal reason."))
        wizard = self.env["complaint.refuse.wizard"].create(
            {
                "ticket_id": self.id,
                "reason_id": reason_record.id,
                "explanation": str(explanation),
            }
        )
        wizard._onchange_reason_id()
        return wizard.action_refuse()

    def _tmf_change_stage(self, status):
        """Tickets outside the complaint process: the first stage of their
        team that stands for ``status``."""
        stages = self.team_id._get_applicable_stages()
        if status in ("closed", "resolved"):
            stage = stages.filtered("closed")[:1]
        elif status == "acknowledged":
            stage = stages[:1]
        elif status == "inProgress":
            stage = stages.filtered(lambda s: not s.closed)[1:2]
        else:
            stage = stages.browse()
        if not stage:
            raise TmfError(
                409,
                "Conflict",
                self.env._(
                    "No stage of team %(team)s stands for the status %(status)s.",
                    team=self.team_id.display_name,
                    status=status,
                ),
            )
        self.write({"stage_id": stage.id, "last_stage_update": fields.Datetime.now()})
        return True


def _int_id(env, value):
    """A record id given as a string or a number (400 otherwise)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad(env._("Identifiers are whole numbers.")) from None
