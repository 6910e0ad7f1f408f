from . import complaint_record_report
