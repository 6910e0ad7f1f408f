# Constants and pure helpers that models, controllers and reports import
# without going through a model.
from . import constants
from . import validators
from . import text
