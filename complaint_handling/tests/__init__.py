from . import test_complaint_intake
from . import test_complaint_process
from . import test_complaint_remedy
from . import test_complaint_escalation
from . import test_complaint_incident_kb
from . import test_complaint_access
from . import test_complaint_performance
from . import test_complaint_api
