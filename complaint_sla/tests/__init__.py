from . import test_sla_calendar
from . import test_sla_process
from . import test_sla_job
from . import test_sla_partner
from . import test_sla_portal
from . import test_sla_elapsed
