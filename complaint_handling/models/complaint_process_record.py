# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.constants import CONCLUDED_STEPS
from .complaint_record_mixin import by_process, without_token


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
        return records

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
