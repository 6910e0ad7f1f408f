# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.constants import PERSONAL_DATA_GROUP, PERSONAL_FIELDS
from ..tools.validators import (
    DEFAULT_PHONE_REGION,
    mask_phone,
    mask_value,
    normalize_phone,
    valid_passport,
    valid_resident_id,
    valid_service_number,
)


class ComplaintPersonalDataMixin(models.AbstractModel):
    """The customer's personal data on a complaint: the fields, their masking
    for users without the personal data right (screen, exports, grouping),
    the logged reveal of one value, and the checks of the identifiers."""

    _name = "complaint.personal.data.mixin"
    _description = "Complaint Personal Data"
    # Field -> (characters kept at the start, at the end) when masked.
    _complaint_personal_fields = PERSONAL_FIELDS
    # Phone fields, stored normalised (E.164).
    _complaint_phone_fields = ("contact_phone",)

    # Personal data: internal users only; the portal reads the masked values.
    contact_phone = fields.Char(groups="base.group_user")
    service_number = fields.Char(index=True, help="Phone or line number concerned.")
    contact_address = fields.Char(
        string="Customer Address",
        groups="base.group_user",
        help="Where the service is installed or the customer lives, when the "
        "complaint needs it (home broadband, on-site visit).",
    )
    account_number = fields.Char()
    id_document_type = fields.Selection(
        selection=[
            ("resident_id", "Resident identity card"),
            ("passport", "Passport"),
            ("other", "Other document"),
        ],
        string="ID Document",
        default="resident_id",
    )
    id_number = fields.Char(string="ID Document Number", groups="base.group_user")
    id_number_masked = fields.Char(
        string="ID Document Number (masked)",
        compute="_compute_id_number_masked",
        compute_sudo=True,
    )
    personal_data_visible = fields.Boolean(
        compute="_compute_personal_data_visible",
        help="The user sees personal data in full (personal data right).",
    )

    @api.depends_context("uid")
    def _compute_personal_data_visible(self):
        self.personal_data_visible = self._complaint_sees_personal_data()

    @api.depends("id_number")
    def _compute_id_number_masked(self):
        for record in self:
            record.id_number_masked = mask_value(record.id_number)

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
        for record in self:
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
        see it."""
        if name in self._complaint_phone_fields:
            return mask_phone(value)
        return mask_value(value, *self._complaint_personal_fields[name])

    def _complaint_sees_personal_data(self):
        return self.env.su or self.env.user.has_group(PERSONAL_DATA_GROUP)

    def _read_format(self, fnames, load="_classic_read"):
        """Personal fields reach the client masked, unless the user has the
        personal data right (the server code reads the real values)."""
        result = super()._read_format(fnames, load=load)
        masked = [name for name in fnames if name in self._complaint_personal_fields]
        if masked and not self._complaint_sees_personal_data():
            for values in result:
                for name in masked:
                    if values.get(name):
                        values[name] = self._complaint_mask(name, values[name])
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        """Exports mask personal fields like the screen does; an export of
        unmasked personal data is logged, complaint by complaint."""
        rows = super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        columns = {
            index: path[0]
            for index, path in enumerate(fields)
            if len(path) == 1 and path[0] in self._complaint_personal_fields
        }
        if not columns or not self:
            return rows
        if self._complaint_sees_personal_data():
            if not self.env.su:
                self.env["complaint.personal.access.log"]._log(
                    self, "export", sorted(set(columns.values()))
                )
            return rows
        for row in rows:
            for index, name in columns.items():
                if row[index]:
                    row[index] = self._complaint_mask(name, row[index])
        return rows

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), **kwargs):
        names = {spec.split(":")[0].split(".")[0] for spec in groupby} | {
            spec.split(":")[0] for spec in aggregates
        }
        if (
            names & set(self._complaint_personal_fields)
            and not self._complaint_sees_personal_data()
        ):
            raise AccessError(
                self.env._("Grouping by personal data needs the personal data right.")
            )
        return super()._read_group(
            domain, groupby=groupby, aggregates=aggregates, having=having, **kwargs
        )

    def action_complaint_reveal(self):
        """Show the full value of one personal field (context
        ``reveal_field``), and log who saw it, when and from where."""
        self.ensure_one()
        if not self.env.user._is_internal():
            raise AccessError(self.env._("Personal data is revealed to staff only."))
        name = self.env.context.get("reveal_field")
        if name not in self._complaint_personal_fields:
            raise UserError(self.env._("Nothing to reveal."))
        self.check_access("read")
        self.env["complaint.personal.access.log"]._log(self, "reveal", [name])
        label = self._fields[name]._description_string(self.env)
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
