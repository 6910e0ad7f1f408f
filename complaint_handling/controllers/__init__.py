from . import helpdesk
from . import portal
from . import portal_new
from . import tmf621
from . import report
