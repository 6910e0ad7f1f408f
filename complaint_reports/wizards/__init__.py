from . import complaint_periodic_report_return
