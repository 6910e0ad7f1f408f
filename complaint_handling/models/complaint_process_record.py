# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class ComplaintProcessRecord(models.AbstractModel):
    """What the handling log, the result feedback and the callbacks share: they
    belong to one complaint and one handling round, and keep who recorded them."""

    _name = "complaint.process.record"
    # Visible exactly when the complaint is (see ir.rule._compute_domain).
    _complaint_ticket_rules = True
    _description = "Complaint Process Record"
    _order = "date desc, id desc"
    # Steps a record can be added in; ``None`` means any open step.
    _complaint_allowed_states = None

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    handling_round = fields.Integer(readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Recorded by",
        default=lambda self: self.env.user,
        readonly=True,
    )

    def _complaint_check_ticket_state(self, tickets):
        """Hook: raise when a record cannot be added to ``tickets`` now."""
        allowed = self._complaint_allowed_states
        wrong = tickets.filtered(
            lambda t: t.complaint_state in ("closed", "refused")
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
        tickets = self.env["helpdesk.ticket"].browse(
            {vals["ticket_id"] for vals in vals_list if vals.get("ticket_id")}
        )
        self._complaint_check_ticket_state(tickets)
        for vals in vals_list:
            if vals.get("ticket_id"):
                vals["handling_round"] = tickets.browse(
                    vals["ticket_id"]
                ).handling_round
            vals.pop("user_id", None)
        return super().create(vals_list)

    def unlink(self):
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

    def write(self, vals):
        frozen = {"ticket_id", "handling_round", "user_id"} & set(vals)
        if frozen:
            raise UserError(
                self.env._(
                    "The complaint, handling round and author of a process record "
                    "cannot be changed."
                )
            )
        return super().write(vals)
