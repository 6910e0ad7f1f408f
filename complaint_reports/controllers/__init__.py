from . import portal
from . import below_standard_portal
from . import fee_statement_portal
from . import scorecard_portal
