# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Validators of the identifiers a complaint carries, on well-kept libraries:
``phonenumbers`` (through Odoo's ``phone_validation``) for phone numbers and
``python-stdnum`` for Chinese resident identity card numbers. Pure functions:
controllers, reports and models import them alike."""

import re

import phonenumbers
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent
from stdnum.exceptions import ValidationError as StdnumError

from odoo.exceptions import UserError

from odoo.addons.phone_validation.tools.phone_validation import phone_parse

SERVICE_NUMBER_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{2,31}$")
PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,17}$")
# Numbers written without their country prefix are read as mainland numbers.
DEFAULT_PHONE_REGION = "CN"
# Province-level divisions of GB/T 2260 (the first two digits of a resident
# identity card number; 81-83: residence permits of Hong Kong, Macao and
# Taiwan residents). python-stdnum's region table stops at counties and lacks
# the prefecture-level cities without any (Dongguan 4419, Zhongshan 4420…),
# whose residents' numbers are valid: the region is checked at this level.
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)


def normalize_phone(value, region=DEFAULT_PHONE_REGION):
    """``value`` in E.164 (+8613800138000), or ``None`` when it is not a valid
    number: mainland mobiles and landlines (with their area code) written
    nationally, any other number (Hong Kong, Macao, Taiwan, abroad) with its
    country prefix."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = phone_parse(value, region)
    except UserError:
        return None
    if not number:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_valid_phone(value, region=DEFAULT_PHONE_REGION):
    """``value`` as a ``phonenumbers.PhoneNumber`` when it is a valid number
    (written nationally for ``region`` or with its prefix), else ``None``: one
    parse, for masking a list of numbers."""
    try:
        number = phonenumbers.parse(value or "", region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def valid_phone(value, region=DEFAULT_PHONE_REGION):
    return normalize_phone(value, region) is not None


def valid_resident_id(number):
    """Chinese resident identity card number (GB 11643): 18 characters, the
    check digit, a real birth date and a known province (python-stdnum's
    ``cn.ric``, its region table read at province level, see PROVINCES)."""
    try:
        number = ric.validate(number)
    except InvalidComponent:
        # The birth date, or a region missing from stdnum's table.
        try:
            ric.get_birth_date(number)
        except StdnumError:
            return False
    except StdnumError:
        return False
    return ric.compact(number)[:2] in PROVINCES


def valid_passport(number):
    return bool(PASSPORT_RE.match(number or ""))


def valid_service_number(number):
    return bool(SERVICE_NUMBER_RE.match(number or ""))


# What masking puts in place of a hidden character.
MASK_CHAR = "*"


def mask_phone(value, keep_end=4):
    """+8613800138000 -> +86138****8000, +85291234567 -> +852****4567: the
    country prefix, the last ``keep_end`` digits, and the first digits of the
    national number only when at least 4 more stay hidden. A value that is not
    a phone number is masked as any other."""
    if isinstance(value, phonenumbers.PhoneNumber):
        number = value
    else:
        try:
            number = phonenumbers.parse(value or "", None)
        except phonenumbers.NumberParseException:
            return mask_value(value, 3, keep_end)
    national = str(number.national_number)
    keep_start = max(0, min(3, len(national) - keep_end - 4))
    hidden = len(national) - keep_start - keep_end
    return (
        f"+{number.country_code}{national[:keep_start]}"
        f"{MASK_CHAR * hidden}{national[len(national) - keep_end :]}"
    )


def mask_value(value, keep_start=3, keep_end=4):
    """110105194912310021 -> 110***********0021; short values are hidden."""
    value = value or ""
    if len(value) <= keep_start + keep_end:
        return MASK_CHAR * len(value)
    tail = value[len(value) - keep_end :] if keep_end else ""
    return value[:keep_start] + MASK_CHAR * (len(value) - keep_start - keep_end) + tail
