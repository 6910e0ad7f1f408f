from . import complaint_portal
from . import portal
