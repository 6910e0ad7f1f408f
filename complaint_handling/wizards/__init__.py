from . import complaint_refuse_wizard
from . import complaint_escalate_wizard
from . import complaint_remedy_refuse_wizard
from . import complaint_transfer_wizard
from . import complaint_incident_link_wizard
