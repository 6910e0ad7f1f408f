from . import test_complaint_analysis
from . import test_complaint_regulator
from . import test_complaint_periodic_report
from . import test_complaint_periodic_report_output
from . import test_complaint_dashboard
from . import test_complaint_work_time
from . import test_complaint_periodic_report_portal
