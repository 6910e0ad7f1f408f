# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The complaint process in constants: steps, events, the priority matrix, the
groups the code checks and the customers' personal fields."""

# The main line of the process; "refused" stands aside.
PROCESS = [
    "received",
    "accepted",
    "handling",
    "solution_confirmed",
    "result_reported",
    "callback_done",
    "closed",
]
# Transitions off the main line: (from, to) -> (steps whose entry conditions
# are checked, supervisors only); see helpdesk.ticket._complaint_transition.
SIDE_TRANSITIONS = {
    ("received", "refused"): (("refused",), False),
    ("refused", "received"): ((), True),
}
# Steps in which a complaint is concluded (nothing is added to it any more).
CONCLUDED_STEPS = ("closed", "refused")

# Events of the process, fired through ``helpdesk.ticket._complaint_event``
# once per batch (the first ones are also steps of the same name).
COMPLAINT_EVENTS = [
    ("received", "Complaint received"),
    ("accepted", "Accepted"),
    ("transferred", "Handed to a partner organisation"),
    ("acknowledged", "Acknowledged by the partner organisation"),
    ("handling", "Handling started"),
    ("first_contact", "Customer reached"),
    ("solution_confirmed", "Solution confirmed"),
    ("result_reported", "Result reported"),
    ("callback_done", "Callback done"),
    ("closed", "Closed"),
    ("escalated", "Escalated"),
    ("refused", "Refused"),
    ("reopened", "Reopened"),
    ("returned", "Returned by the partner organisation"),
    ("recalled", "Taken back from the partner organisation"),
    ("reassigned", "Reassigned to another partner organisation"),
    ("expired", "Hand-off ended with its agreement"),
    ("stage", "Stage changed"),
]
# Step entered -> event fired (a refused complaint reopened is received again,
# which is not a new reception).
STEP_EVENTS = {step: step for step in PROCESS[1:]} | {
    "refused": "refused",
    "received": "reopened",
}

# (severity, urgency) -> helpdesk priority
PRIORITY_MATRIX = {
    "minor": {"low": "0", "normal": "0", "urgent": "1", "critical": "2"},
    "general": {"low": "0", "normal": "1", "urgent": "2", "critical": "2"},
    "serious": {"low": "1", "normal": "2", "urgent": "2", "critical": "3"},
    "major": {"low": "2", "normal": "2", "urgent": "3", "critical": "3"},
}

# Step -> the status shown to the customer (helpdesk.ticket.customer_status).
CUSTOMER_STATUS = {
    "received": "received",
    "accepted": "accepted",
    "handling": "in_progress",
    "solution_confirmed": "in_progress",
    "result_reported": "replied",
    "callback_done": "resolved",
    "closed": "closed",
    "refused": "not_accepted",
}

SUPERVISOR_GROUP = "complaint_handling.complaint_handling_group_supervisor"
MANAGER_GROUP = "complaint_handling.complaint_handling_group_manager"
PERSONAL_DATA_GROUP = "complaint_handling.complaint_handling_group_personal_data"
PARTNER_AGENT_GROUP = "complaint_handling.complaint_handling_group_partner_agent"
PARTNER_SUPERVISOR_GROUP = (
    "complaint_handling.complaint_handling_group_partner_supervisor"
)

# Customers' personal data: masked to users without the personal data right
# (read, search_read, the web client, exports); (kept at start, kept at end).
PERSONAL_FIELDS = {
    "contact_phone": (6, 4),
    "service_number": (3, 4),
    "account_number": (2, 4),
    "id_number": (3, 4),
    "contact_address": (6, 0),
}
