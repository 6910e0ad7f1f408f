# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

DECISION_FIELDS = {
    "state",
    "approver_id",
    "decision_date",
    "refuse_reason",
    "requested_by_id",
}


class ComplaintRemedy(models.Model):
    _name = "complaint.remedy"
    # Visible exactly when the complaint is (see ir.rule._compute_domain).
    _complaint_ticket_rules = True
    _description = "Complaint Remedy"
    _order = "id desc"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    remedy_type = fields.Selection(
        selection=[
            ("fee_waiver", "Fee waiver / refund"),
            ("compensation", "Compensation"),
            ("plan_change", "Plan / package change"),
            ("apology", "Apology"),
            ("other", "Other"),
        ],
        string="Type",
        required=True,
        default="fee_waiver",
    )
    amount = fields.Monetary()
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    description = fields.Text(required=True)
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("pending", "Waiting for approval"),
            ("approved", "Approved"),
            ("refused", "Refused"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
    )
    requested_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Requested by",
        default=lambda self: self.env.user,
        readonly=True,
    )
    approver_id = fields.Many2one(
        comodel_name="res.users", string="Decided by", readonly=True
    )
    decision_date = fields.Datetime(readonly=True)
    refuse_reason = fields.Text(readonly=True)
    can_decide = fields.Boolean(compute="_compute_can_decide")

    _sql_constraints = [
        ("amount_positive", "CHECK(amount >= 0)", "A remedy cannot be negative."),
    ]

    @api.depends_context("uid")
    @api.depends("amount", "state", "company_id")
    def _compute_can_decide(self):
        limit_model = self.env["complaint.authorization.limit"]
        for remedy in self:
            remedy.can_decide = (
                remedy.state == "pending"
                and limit_model._user_can_grant(
                    self.env.user,
                    remedy.company_id,
                    remedy._amount_in_company_currency(),
                )
            )

    @api.constrains("remedy_type", "amount")
    def _check_amount(self):
        for remedy in self:
            if remedy.remedy_type == "apology" and remedy.amount:
                raise ValidationError(self.env._("An apology carries no amount."))
            if remedy.remedy_type in (
                "fee_waiver",
                "compensation",
            ) and remedy.currency_id.is_zero(remedy.amount):
                raise ValidationError(
                    self.env._("A fee waiver or a compensation needs an amount.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if set(vals) & DECISION_FIELDS - {"state"} or vals.get(
                "state", "draft"
            ) != ("draft"):
                raise UserError(
                    self.env._("A remedy is created as a draft, then submitted.")
                )
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) & DECISION_FIELDS:
            raise UserError(
                self.env._(
                    "The state of a remedy changes only through its submit, "
                    "approve, refuse and cancel actions."
                )
            )
        protected = {"amount", "currency_id", "remedy_type", "ticket_id"}
        if protected & set(vals) and any(r.state != "draft" for r in self):
            raise UserError(
                self.env._(
                    "A submitted remedy cannot be changed: cancel it and "
                    "request a new one."
                )
            )
        return super().write(vals)

    def _write_decision(self, vals):
        """Write the decision fields, which ``write`` refuses to clients."""
        return super().write(vals)

    def _amount_in_company_currency(self):
        self.ensure_one()
        return self.currency_id._convert(
            self.amount,
            self.company_id.currency_id,
            self.company_id,
            fields.Date.context_today(self),
        )

    def _post_on_ticket(self, body):
        for remedy in self:
            remedy.ticket_id._complaint_log(body)

    def _label(self):
        self.ensure_one()
        type_label = dict(self._fields["remedy_type"]._description_selection(self.env))
        return self.env._(
            "%(type)s of %(amount)s %(currency)s",
            type=type_label[self.remedy_type],
            amount=self.amount,
            currency=self.currency_id.name,
        )

    def action_submit(self):
        """Grant the remedy within the requester's limit, or ask for approval."""
        limit_model = self.env["complaint.authorization.limit"]
        for remedy in self:
            if remedy.state != "draft":
                raise UserError(self.env._("Only a draft remedy can be submitted."))
            if remedy.ticket_id.complaint_state in ("closed", "refused"):
                raise UserError(
                    self.env._("No remedy can be granted on a closed complaint.")
                )
            amount = remedy._amount_in_company_currency()
            if limit_model._user_can_grant(self.env.user, remedy.company_id, amount):
                remedy._write_decision(
                    {
                        "state": "approved",
                        "approver_id": self.env.user.id,
                        "decision_date": fields.Datetime.now(),
                    }
                )
                remedy._post_on_ticket(
                    self.env._(
                        "Remedy granted within %(user)s's authorisation: %(remedy)s",
                        user=self.env.user.name,
                        remedy=remedy._label(),
                    )
                )
            else:
                remedy._write_decision({"state": "pending"})
                remedy._post_on_ticket(
                    self.env._(
                        "Remedy over %(user)s's authorisation limit, waiting for "
                        "approval: %(remedy)s",
                        user=self.env.user.name,
                        remedy=remedy._label(),
                    )
                )
        return True

    def _check_can_decide(self):
        for remedy in self:
            if remedy.state != "pending":
                raise UserError(
                    self.env._("Only a remedy waiting for approval can be decided.")
                )
            if not self.env["complaint.authorization.limit"]._user_can_grant(
                self.env.user, remedy.company_id, remedy._amount_in_company_currency()
            ):
                raise UserError(
                    self.env._(
                        "%(remedy)s is over your authorisation limit: a user whose "
                        "limit covers it must decide.",
                        remedy=remedy._label(),
                    )
                )

    def action_approve(self):
        self._check_can_decide()
        self._write_decision(
            {
                "state": "approved",
                "approver_id": self.env.user.id,
                "decision_date": fields.Datetime.now(),
            }
        )
        for remedy in self:
            remedy._post_on_ticket(
                self.env._(
                    "Remedy approved by %(user)s: %(remedy)s",
                    user=self.env.user.name,
                    remedy=remedy._label(),
                )
            )
        return True

    def action_refuse(self, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for refusing the remedy."))
        self._check_can_decide()
        self._write_decision(
            {
                "state": "refused",
                "approver_id": self.env.user.id,
                "decision_date": fields.Datetime.now(),
                "refuse_reason": reason,
            }
        )
        for remedy in self:
            remedy._post_on_ticket(
                self.env._(
                    "Remedy refused by %(user)s: %(remedy)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    remedy=remedy._label(),
                    reason=reason,
                )
            )
        return True

    def action_open_refuse_wizard(self):
        self.ensure_one()
        self._check_can_decide()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse Remedy"),
            "res_model": "complaint.remedy.refuse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_remedy_id": self.id},
        }

    def action_cancel(self):
        for remedy in self:
            if remedy.state not in ("draft", "pending"):
                raise UserError(
                    self.env._("Only a draft or pending remedy can be cancelled.")
                )
        self._write_decision({"state": "cancelled"})
        for remedy in self:
            remedy._post_on_ticket(self.env._("Remedy cancelled: %s", remedy._label()))
        return True
