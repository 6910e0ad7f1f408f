# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError

from .complaint_record_mixin import by_process, process_write, without_token


class ComplaintDecisionMixin(models.AbstractModel):
    """A request that someone else approves or refuses (remedies over the
    requester's limit, deadline extensions): the decision fields are written by
    the approve/refuse actions only; who may decide is each model's hook.

    Not OCA ``base_tier_validation``: who decides here follows from an amount
    and the authorisation limits (or the supervisor group), not from tier
    definitions that a manager configures per model, and a requester never
    decides his own request; a tier definition would duplicate the
    authorisation limits."""

    _name = "complaint.decision.mixin"
    _description = "Approve/Refuse Decision"

    # Fields the decision actions alone write besides those named below.
    _decision_fields = {"state"}
    # Fields of who asked, who decided, and his note (a refusal's reason).
    _decision_requester_field = "requested_by_id"
    _decision_user_field = "decided_by_id"
    _decision_note_field = "decision_note"

    decision_date = fields.Datetime(readonly=True, copy=False)

    def _decision_protected(self):
        return self._decision_fields | {
            "decision_date",
            self._decision_requester_field,
            self._decision_user_field,
            self._decision_note_field,
        }

    def write(self, vals):
        if set(vals) & self._decision_protected() and not by_process(self):
            raise UserError(self._decision_write_error())
        return super(ComplaintDecisionMixin, without_token(self)).write(vals)

    def _decision_write_error(self):
        return self.env._("A decision is taken with its approve and refuse buttons.")

    def _write_decision(self, vals):
        """Write the decision fields, which ``write`` refuses to clients."""
        return process_write(self, vals)

    def _decision_check_can_decide(self):
        """Hook: raise unless the current user may decide every request of
        ``self`` now."""
        if any(request.state != "pending" for request in self):
            raise UserError(self.env._("This request was already decided."))

    def _decision_take(self, state, note=False):
        """Record the decision ``state`` ("approved", "refused") of the current
        user, then run ``_decision_after``."""
        self._decision_check_can_decide()
        own = self.filtered(
            lambda request: request[self._decision_requester_field] == self.env.user
        )
        if own:
            raise UserError(self.env._("Someone else decides on your own request."))
        vals = {
            "state": state,
            self._decision_user_field: self.env.user.id,
            "decision_date": fields.Datetime.now(),
        }
        if note:
            vals[self._decision_note_field] = note
        self._write_decision(vals)
        self._decision_after(state, note)
        return True

    def _decision_after(self, state, note):
        """Hook: what follows a decision (log it, apply it)."""

    def action_approve(self):
        return self._decision_take("approved")

    def action_refuse(self, reason=""):
        return self._decision_take("refused", reason)
