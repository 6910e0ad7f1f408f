from . import complaint_report_access_mixin
from . import complaint_analysis
from . import complaint_sla_analysis
from . import complaint_periodic_report_pdf
from . import complaint_periodic_report_xlsx
from . import complaint_fee_statement_pdf
