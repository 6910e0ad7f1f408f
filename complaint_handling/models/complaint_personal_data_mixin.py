# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import phonenumbers

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from ..tools.constants import PERSONAL_DATA_GROUP, PERSONAL_FIELDS
from ..tools.validators import (
    DEFAULT_PHONE_REGION,
    MASK_CHAR,
    mask_phone,
    mask_value,
    normalize_phone,
    parse_valid_phone,
    valid_passport,
    valid_resident_id,
    valid_service_number,
)


def _masked_twin(name, string):
    """The masked twin of the personal field ``name``. Each twin has its own
    compute: the ORM protects every field of a compute while one of them is
    written, and would read the others as empty."""
    return fields.Char(
        string=string,
        compute=lambda records: records._complaint_compute_masked(name),
        inverse="_inverse_personal_masked",
        compute_sudo=True,
        depends=[name],
    )


class ComplaintPersonalDataMixin(models.AbstractModel):
    """The customer's personal data on a complaint.

    Each value is stored in a field restricted to the personal data right at
    field level (``groups=``): no read, search, sort, group, export or report
    gives it to anyone else (the ORM refuses them). Everyone else reads and
    writes a masked twin, ``<field>_masked``: it shows the value masked and,
    written, replaces the stored value without echoing it back. Revealing one
    value is for staff, and logged. Server code that needs the values (checks,
    repeat detection, hand-off) reads them as superuser."""

    _name = "complaint.personal.data.mixin"
    _description = "Complaint Personal Data"
    # Field -> (characters kept at the start, at the end) when masked.
    _complaint_personal_fields = PERSONAL_FIELDS
    # Phone fields, stored normalised (E.164).
    _complaint_phone_fields = ("contact_phone",)

    contact_phone = fields.Char(
        string="Contact Phone (Full)", groups=PERSONAL_DATA_GROUP
    )
    service_number = fields.Char(
        string="Service Number (Full)",
        index=True,
        groups=PERSONAL_DATA_GROUP,
        help="Phone or line number concerned.",
    )
    contact_address = fields.Char(
        string="Customer Address (Full)",
        groups=PERSONAL_DATA_GROUP,
        help="Where the service is installed or the customer lives, when the "
        "complaint needs it (home broadband, on-site visit).",
    )
    account_number = fields.Char(
        string="Account Number (Full)", groups=PERSONAL_DATA_GROUP
    )
    id_document_type = fields.Selection(
        selection=[
            ("resident_id", "Resident identity card"),
            ("passport", "Passport"),
            ("other", "Other document"),
        ],
        string="ID Document",
        default="resident_id",
    )
    id_number = fields.Char(
        string="ID Document Number (Full)", groups=PERSONAL_DATA_GROUP
    )
    # The masked twins: what users without the right read, and how they enter
    # or correct a value. Not stored, not searchable.
    contact_phone_masked = _masked_twin("contact_phone", "Contact Phone")
    service_number_masked = _masked_twin("service_number", "Service Number")
    contact_address_masked = _masked_twin("contact_address", "Customer Address")
    account_number_masked = _masked_twin("account_number", "Account Number")
    id_number_masked = _masked_twin("id_number", "ID Document Number")
    personal_lookup = fields.Char(
        string="Phone, Service, Account or ID Number",
        compute="_compute_personal_lookup",
        search="_search_personal_lookup",
        help="Finds complaints by a whole number; part of a number finds nothing.",
    )
    personal_data_visible = fields.Boolean(
        compute="_compute_personal_data_visible",
        help="The user sees personal data in full (personal data right).",
    )

    @api.depends_context("uid")
    def _compute_personal_data_visible(self):
        self.personal_data_visible = self._complaint_sees_personal_data()

    def _compute_personal_lookup(self):
        self.personal_lookup = False

    def _search_personal_lookup(self, operator, value):
        """Complaints whose phone, service, account or ID document number is
        exactly ``value`` (a phone written in any usual way): the lookup of a
        handler with the customer on the line, without the personal data
        right. Only whole values match, so no number can be recovered digit by
        digit; only ids come back, and the outer search keeps the user's
        record rules."""
        if operator not in ("=", "ilike", "=ilike", "like", "=like") or not (
            isinstance(value, str) and value.strip()
        ):
            raise UserError(self.env._("Search personal data by a whole number only."))
        value = value.strip()
        candidates = {value, value.upper()}
        phone = normalize_phone(value, self._complaint_phone_region())
        if phone:
            candidates |= {phone, str(phonenumbers.parse(phone).national_number)}
        names = [n for n in self._complaint_personal_fields if n != "contact_address"]
        domain = expression.OR([[(name, "in", sorted(candidates))] for name in names])
        return [("id", "in", self.sudo()._search(domain))]

    def _complaint_compute_masked(self, name):
        # The stored values only (one query for all twins), not every column
        # of the records, as reading one field as superuser would prefetch.
        self.fetch(list(self._complaint_personal_fields))
        for record in self:
            record[f"{name}_masked"] = record._complaint_mask(name, record[name])

    def _inverse_personal_masked(self):
        """A value typed in a masked field replaces the stored one; a masked
        value left as shown changes nothing, and one edited in part is refused
        (the stored value is never echoed back to be edited)."""
        self.check_access("write")
        # Only the twins written now (a twin left in the cache by a refused
        # write must not be written with them).
        written = self.env.context.get("complaint_masked_written")
        names = [
            name
            for name in self._complaint_personal_fields
            if written is None or f"{name}_masked" in written
        ]
        for record in self:
            stored = record.sudo()
            vals = {}
            for name in names:
                typed = record[f"{name}_masked"] or False
                if typed == (record._complaint_mask(name, stored[name]) or False):
                    continue
                if typed and MASK_CHAR in typed:
                    raise ValidationError(
                        self.env._(
                            "%(field)s: type the whole new value; a masked value "
                            "cannot be edited in part.",
                            field=record._fields[name]._description_string(self.env),
                        )
                    )
                vals[name] = typed
            if vals:
                # The user may write the record (checked above) but not the
                # restricted fields themselves: write them as superuser.
                stored.write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        written = {name for vals in vals_list for name in vals} & set(
            self._complaint_masked_names()
        )
        records = super(
            ComplaintPersonalDataMixin,
            self.with_context(complaint_masked_written=tuple(written)),
        ).create(vals_list)
        if written:
            records.invalidate_recordset(list(written))
        return records.with_env(self.env)

    def write(self, vals):
        written = set(vals) & set(self._complaint_masked_names())
        if not written:
            return super().write(vals)
        result = super(
            ComplaintPersonalDataMixin,
            self.with_context(complaint_masked_written=tuple(written)),
        ).write(vals)
        # What was typed stays in the cache after the inverse: read the twins
        # again, masked, rather than echo the input.
        self.invalidate_recordset(list(written))
        return result

    def _complaint_masked_names(self):
        return [f"{name}_masked" for name in self._complaint_personal_fields]

    def _complaint_phone_region(self):
        """Hook: the region of the numbers written without a country prefix."""
        return DEFAULT_PHONE_REGION

    def _complaint_check_personal_vals(self, vals):
        """Phone numbers are stored in E.164 (+8613800138000); an invalid
        one is kept as given for the constraint to explain."""
        for name in self._complaint_phone_fields:
            if vals.get(name):
                vals[name] = (
                    normalize_phone(vals[name], self._complaint_phone_region())
                    or vals[name]
                )

    @api.constrains("contact_phone", "service_number", "id_number", "id_document_type")
    def _check_complaint_identifiers(self):
        # The stored values are read as superuser: a user without the right
        # changes the document type, or enters a value through its masked twin.
        for record in self.sudo():
            record._complaint_check_phone()
            if record.service_number and not valid_service_number(
                record.service_number
            ):
                raise ValidationError(
                    self.env._(
                        "The service number is not valid: use 3 to 32 letters, "
                        "digits or dashes."
                    )
                )
            record._complaint_check_id_number()

    def _complaint_check_phone(self):
        phone = self.contact_phone
        if phone and not normalize_phone(phone, self._complaint_phone_region()):
            # The value stays out of the message: servers log refusals.
            raise ValidationError(
                self.env._(
                    "The contact phone is not valid: give a mobile number, a "
                    "landline with its area code, or a number of Hong Kong, "
                    "Macao, Taiwan or abroad with its country prefix (+852…)."
                )
            )

    def _complaint_check_id_number(self):
        number = (self.id_number or "").strip().upper()
        if not number:
            return
        if self.id_document_type == "resident_id" and not valid_resident_id(number):
            raise ValidationError(
                self.env._(
                    "The resident identity card number is not valid: it has 18 "
                    "characters, a real birth date and region, and its last one "
                    "is a check digit."
                )
            )
        if self.id_document_type == "passport" and not valid_passport(number):
            raise ValidationError(
                self.env._(
                    "The passport number is not valid: use 5 to 17 letters or digits."
                )
            )

    @api.model
    def _complaint_mask(self, name, value):
        """``value`` of the personal field ``name`` as users without the right
        see it. A service number that is a phone number is masked as the
        phone is, so that the two never show different digits of one number."""
        if not value:
            return False
        if name in self._complaint_phone_fields:
            return mask_phone(value)
        if name == "service_number":
            phone = parse_valid_phone(value, self._complaint_phone_region())
            if phone:
                return mask_phone(phone)
        return mask_value(value, *self._complaint_personal_fields[name])

    def _complaint_sees_personal_data(self):
        return self.env.su or self._complaint_sees_personal_data_as(self.env.user)

    @api.model
    def _complaint_sees_personal_data_as(self, user):
        """Whether ``user`` (not the environment's) has the personal data right."""
        return user._is_internal() and user.has_group(PERSONAL_DATA_GROUP)

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        """An export of personal values (only users with the right may read
        them) is logged, complaint by complaint."""
        rows = super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        names = {
            path[0]
            for path in fields
            if len(path) == 1 and path[0] in self._complaint_personal_fields
        }
        if names and self and not self.env.su:
            self.env["complaint.personal.access.log"]._log(
                self, "export", sorted(names)
            )
        return rows

    def action_complaint_reveal(self):
        """Show the full value of one personal field (context
        ``reveal_field``), and log who saw it, when and from where."""
        self.ensure_one()
        if not (
            self.env.user._is_internal()
            and self.env.user.has_group(PERSONAL_DATA_GROUP)
        ):
            raise AccessError(
                self.env._(
                    "Personal data is revealed to staff with the personal data "
                    "right only."
                )
            )
        name = self.env.context.get("reveal_field")
        if name not in self._complaint_personal_fields:
            raise UserError(self.env._("Nothing to reveal."))
        self.check_access("read")
        self.env["complaint.personal.access.log"]._log(self, "reveal", [name])
        # The label users know (the masked twin's), not "… (Full)".
        label = self._fields[f"{name}_masked"]._description_string(self.env)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._(
                    "%(field)s of %(number)s", field=label, number=self.number
                ),
                "message": self.sudo()[name] or "-",
                "sticky": False,
                "type": "info",
            },
        }
