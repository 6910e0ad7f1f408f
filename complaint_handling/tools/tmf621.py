# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""TM Forum TMF621 Trouble Ticket: how its resource model maps to ours."""

from datetime import UTC, datetime

# The API's base paths (v4 and v5 serve the same resource).
BASE_PATHS = (
    "/tmf-api/troubleTicket/v4",
    "/tmf-api/troubleTicketManagement/v5",
)

# Complaint step -> TMF status.
STEP_STATUS = {
    "received": "acknowledged",
    "accepted": "inProgress",
    "handling": "inProgress",
    "solution_confirmed": "inProgress",
    "result_reported": "resolved",
    "callback_done": "resolved",
    "closed": "closed",
    "refused": "rejected",
}
STATUSES = (
    "acknowledged",
    "rejected",
    "pending",
    "held",
    "inProgress",
    "cancelled",
    "closed",
    "resolved",
)
# helpdesk priority <-> TMF priority
PRIORITY = {"0": "low", "1": "medium", "2": "high", "3": "critical"}
PRIORITY_CODE = {value: key for key, value in PRIORITY.items()}

# TMF characteristic -> helpdesk.ticket field, for the values the API accepts
# on creation (personal data are written through their masked twin, which
# everyone may write; see complaint.personal.data.mixin).
CHARACTERISTIC_FIELDS = {
    "businessLine": "business_line",
    "urgency": "urgency",
    "customerDemand": "customer_demand",
    "issueDate": "issue_date",
    "receivedDate": "received_date",
    "serviceNumber": "service_number_masked",
    "contactPhone": "contact_phone_masked",
    "accountNumber": "account_number_masked",
    "contactAddress": "contact_address_masked",
}
# Attributes a client may give on creation.
CREATE_ATTRIBUTES = {
    "@type",
    "@baseType",
    "@schemaLocation",
    "name",
    "description",
    "ticketType",
    "severity",
    "priority",
    "channel",
    "relatedParty",
    "relatedEntity",
    "externalId",
    "externalIdentifier",
    "note",
    "attachment",
    "troubleTicketCharacteristic",
    "requestedResolutionDate",
}
# Attributes a client may change (PATCH).
PATCH_ATTRIBUTES = {
    "@type",
    "note",
    "attachment",
    "status",
    "statusChangeReason",
    "severity",
    "relatedEntity",
    "troubleTicketCharacteristic",
}
PATCH_CHARACTERISTICS = {"urgency", "refuseReason"}

EVENT_TYPES = (
    "TroubleTicketCreateEvent",
    "TroubleTicketStatusChangeEvent",
    "TroubleTicketResolvedEvent",
    "TroubleTicketAttributeValueChangeEvent",
)

# Filters of the list (query parameter -> field) compared for equality.
LIST_FILTERS = {
    "ticketType": "kind",
    "severity": "severity",
    "externalId": "external_id",
    "externalIdentifier.id": "external_id",
    "id": "id",
}
DATE_FILTERS = {"creationDate": "received_date", "lastUpdate": "write_date"}
DATE_OPERATORS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<=", "": "="}
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100


def iso(value):
    """An ISO 8601 UTC date-time (or date) for TMF, None when empty."""
    if not value:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def parse_datetime(value):
    """A naive UTC datetime from an ISO 8601 string (ValueError if invalid)."""
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


class TmfError(Exception):
    """An error answered with TMF's error body."""

    def __init__(self, status, reason, message, code=None):
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.code = code or str(status)

    def body(self):
        return {
            "@type": "Error",
            "code": self.code,
            "reason": self.reason,
            "message": self.message,
            "status": str(self.status),
        }
