# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# What ``_complaint_write`` puts in the context: an object, which no JSON-RPC
# context can carry, so that a client cannot pass itself off as the process.
PROCESS_TOKEN = object()


def by_process(records):
    """Whether the write on ``records`` comes from the process."""
    return records.env.context.get("complaint_process") is PROCESS_TOKEN


def process_write(records, vals):
    """Write ``vals`` as the process, through the normal ``write`` chain: the
    models' checks let it pass and drop the token (see ``without_token``)."""
    return records.with_context(complaint_process=PROCESS_TOKEN).write(vals)


def check_required(model, vals_list):
    """Refuse values (of new records of ``model``) that leave a required
    column empty, before the INSERT: PostgreSQL would refuse it too, but log
    the whole row (customers' data) at ERROR ("Failing row contains …")."""
    required = [
        field
        for field in model._fields.values()
        if field.required and field.store and not (field.compute or field.related)
    ]
    for vals in vals_list:
        for field in required:
            if field.name in vals:
                value = vals[field.name]
                missing = value in (False, None, "") and field.type != "boolean"
            else:
                missing = field.default is None and (
                    f"default_{field.name}" not in model.env.context
                )
            if missing:
                raise ValidationError(
                    model.env._(
                        "%(field)s is required.",
                        field=field._description_string(model.env),
                    )
                )


def without_token(records):
    """``records`` without the process's token: what the checked write does
    next (other addons' overrides, automated actions) is checked again."""
    if by_process(records):
        return records.with_context(complaint_process=None)
    return records


class ComplaintRecordMixin(models.AbstractModel):
    """What every record of a complaint shares (hand-offs, handling logs,
    remedies, escalations, …): it belongs to one complaint and its company, it
    is visible exactly when the complaint is (see ``ir.rule._compute_domain``),
    it is kept as long as the complaint is, and it empties its own free texts
    when the complaint is anonymised."""

    _name = "complaint.record.mixin"
    _description = "Record of a Complaint"
    # Visible exactly when the complaint is (see ir.rule._compute_domain).
    _complaint_ticket_rules = True
    # Free-text fields emptied (False) or replaced by "(anonymised)" (True)
    # when the complaint is anonymised; see _complaint_anonymize_records.
    _complaint_anonymized_fields = {}

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)

    @api.model_create_multi
    def create(self, vals_list):
        check_required(self, vals_list)
        return super().create(vals_list)

    def unlink(self):
        # Access first: who may not delete is told so, not about retention.
        self.check_access("unlink")
        kept = self.ticket_id._complaint_kept()
        if kept:
            raise UserError(
                self.env._(
                    "The records of complaint %(number)s are kept until the end of "
                    "its retention period.",
                    number=kept[0].number,
                )
            )
        return super().unlink()

    def _complaint_by_process(self):
        """Whether the write comes from the process (``_complaint_write``)."""
        return by_process(self)

    def _complaint_write(self, vals):
        """Write fields that only the process may change, through the normal
        ``write`` chain (other addons' overrides see it)."""
        return process_write(self, vals)

    def _complaint_anonymize_records(self, text):
        """Hook: replace the customer's words in these records when their
        complaint is anonymised (``text``: what is written instead)."""
        vals = {
            name: text if replace else False
            for name, replace in self._complaint_anonymized_fields.items()
        }
        if self and vals:
            self.sudo()._complaint_write(vals)
