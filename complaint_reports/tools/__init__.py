# Pure helpers that models and reports import without going through a model.
from . import svg_chart
