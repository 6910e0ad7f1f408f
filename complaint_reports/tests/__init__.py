from . import test_complaint_analysis
