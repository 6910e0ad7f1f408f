from . import resource_calendar
from . import complaint_sla_makeup_day
from . import complaint_sla_policy
from . import complaint_sla_milestone
from . import complaint_sla_line
from . import complaint_sla_extension
from . import helpdesk_ticket
from . import complaint_handling_log
