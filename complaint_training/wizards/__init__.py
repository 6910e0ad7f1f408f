from . import complaint_qualification_override_wizard
from . import complaint_qa_dispute_wizard
