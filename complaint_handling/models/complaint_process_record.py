# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from ..tools.constants import CONCLUDED_STEPS
from .complaint_record_mixin import by_process, without_token


def correction_fields(model):
    """The fields of a process record of ``model`` that can be corrected:
    ``correction_of_id`` (the record a new one corrects) and
    ``corrected_by_id``. A record is never rewritten: a correction is a new
    record of the same complaint that names the one it corrects, both kept."""
    return (
        fields.Many2one(
            comodel_name=model,
            string="Corrects",
            readonly=True,
            index="btree_not_null",
            ondelete="restrict",
            help="The record this one corrects; both are kept.",
        ),
        fields.Many2one(
            comodel_name=model,
            string="Corrected by",
            compute="_compute_corrected_by_id",
            help="The record that corrects this one.",
        ),
    )


class ComplaintProcessRecord(models.AbstractModel):
    """What the handling log, the result feedback and the callbacks share: they
    belong to one complaint and one handling round, and keep who recorded them."""

    _name = "complaint.process.record"
    _inherit = ["complaint.record.mixin"]
    _description = "Complaint Process Record"
    _order = "date desc, id desc"
    # Steps a record can be added in; ``None`` means any open step.
    _complaint_allowed_states = None
    # Fields users may still fill in once the record is made (hook).
    _complaint_open_fields = frozenset()
    # Fields a correction does not copy from the record it corrects (hook).
    _complaint_correction_skip = frozenset(
        {"ticket_id", "handling_round", "user_id", "date", "correction_of_id"}
    )

    # Computed from the complaint, whichever way ``ticket_id`` arrives (values,
    # a dialog's ``default_ticket_id``, a ``Form``), before the record is
    # inserted (precompute: what the record triggers, a new round, comes after);
    # it depends on ``ticket_id`` only, so it keeps the round it was made in.
    handling_round = fields.Integer(
        compute="_compute_handling_round",
        store=True,
        readonly=True,
        precompute=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Recorded by",
        default=lambda self: self.env.user,
        readonly=True,
    )

    @api.depends("ticket_id", "date")
    @api.depends_context("uid")
    def _compute_display_name(self):
        # "TS…: Handling Record of 12/7/26, 10:30 AM" in the user's language
        # and time zone (whoever reads a record reads its complaint).
        kind = self.env["ir.model"]._get(self._name).name
        for record in self:
            record.display_name = self.env._(
                "%(complaint)s: %(kind)s of %(date)s",
                complaint=record.ticket_id.number or "",
                kind=kind,
                date=format_datetime(self.env, record.date, dt_format="short")
                if record.date
                else "",
            )

    @api.depends("ticket_id")
    def _compute_handling_round(self):
        for record in self:
            record.handling_round = record.ticket_id.handling_round

    def _complaint_check_ticket_state(self, tickets):
        """Hook: raise when a record cannot be added to ``tickets`` now."""
        allowed = self._complaint_allowed_states
        wrong = tickets.filtered(
            lambda t: t.complaint_state in CONCLUDED_STEPS
            if allowed is None
            else t.complaint_state not in allowed
        )
        if wrong:
            raise UserError(self._complaint_state_error(wrong[0]))

    def _complaint_state_error(self, ticket):
        return self.env._(
            "Complaint %(number)s is closed: reopen it before logging handling steps.",
            number=ticket.number,
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("handling_round", None)
            # The author is who records it, not a default from the context.
            vals["user_id"] = self.env.uid
        records = super().create(vals_list)
        # Checked on the records made, so that a complaint given as a default
        # (dialogs, ``Form``) is checked as one given in the values.
        self._complaint_check_ticket_state(records.ticket_id)
        if "correction_of_id" in self._fields:
            records.filtered("correction_of_id")._complaint_check_corrections()
        return records

    def _compute_corrected_by_id(self):
        corrections = self.search([("correction_of_id", "in", self.ids)])
        by_record = {c.correction_of_id.id: c for c in corrections}
        for record in self:
            record.corrected_by_id = by_record.get(record.id, False)

    def _complaint_check_corrections(self):
        """A correction names a record of its own complaint that no other
        record corrects yet (corrections form a chain, never a fork)."""
        for record in self:
            if record.correction_of_id.ticket_id != record.ticket_id:
                raise UserError(
                    self.env._("A correction belongs to the complaint it corrects.")
                )
        counts = self.sudo()._read_group(
            [("correction_of_id", "in", self.correction_of_id.ids)],
            ["correction_of_id"],
            ["__count"],
        )
        if any(count > 1 for _record, count in counts):
            raise UserError(
                self.env._(
                    "This record is already corrected: correct the latest correction."
                )
            )

    def action_complaint_correct(self):
        """Open a new record of the same kind, filled in from this one, that
        corrects it once saved."""
        self.ensure_one()
        self.check_access("read")
        if self.corrected_by_id:
            raise UserError(
                self.env._(
                    "This record is already corrected: correct the latest correction."
                )
            )
        (values,) = self.copy_data()
        context = {
            f"default_{name}": value
            for name, value in values.items()
            if name not in self._complaint_correction_skip
            and not self._fields[name].readonly
        }
        context.update(
            default_ticket_id=self.ticket_id.id, default_correction_of_id=self.id
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Correction"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def write(self, vals):
        frozen = {"ticket_id", "handling_round", "user_id"} & set(vals)
        if frozen:
            raise UserError(
                self.env._(
                    "The complaint, handling round and author of a process record "
                    "cannot be changed."
                )
            )
        if not by_process(self) and set(vals) - self._complaint_open_fields:
            # What the customer, an agent or a handler recorded stays as it was
            # recorded, for the retention period: a correction is a new record.
            raise UserError(
                self.env._(
                    "%(record)s is kept as it was recorded: record a new one to "
                    "correct it.",
                    record=self._description_of_records(),
                )
            )
        return super(ComplaintProcessRecord, without_token(self)).write(vals)

    def _description_of_records(self):
        return self.env["ir.model"]._get(self._name).name
