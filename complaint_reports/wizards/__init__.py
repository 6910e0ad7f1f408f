from . import complaint_periodic_report_return
from . import complaint_below_standard_generate
from . import complaint_scorecard_import
from . import complaint_fee_statement_answer
from . import complaint_fee_statement_generate
