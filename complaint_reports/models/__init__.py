from . import helpdesk_ticket_channel
