# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.constants import CONCLUDED_STEPS
from ..tools.text import text_to_html


class ComplaintRemedy(models.Model):
    _name = "complaint.remedy"
    # Approvers get an activity on the remedy itself: it opens where they decide.
    _inherit = [
        "complaint.record.mixin",
        "complaint.decision.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Complaint Remedy"
    _order = "id desc"
    _decision_fields = {
        "state",
        "approver_id",
        "decision_date",
        "refuse_reason",
        "requested_by_id",
    }
    _decision_user_field = "approver_id"
    _decision_note_field = "refuse_reason"
    _complaint_anonymized_fields = {"description": True}
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
    refuse_reason = fields.Text(readonly=True)
    can_decide = fields.Boolean(compute="_compute_can_decide")
    over_limit = fields.Boolean(
        compute="_compute_over_limit",
        help="Over the current user's authorisation limit: submitting it asks "
        "for approval.",
    )

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

    @api.depends_context("uid")
    @api.depends("amount", "currency_id", "state", "company_id")
    def _compute_over_limit(self):
        limit_model = self.env["complaint.authorization.limit"]
        for remedy in self:
            remedy.over_limit = remedy.state == "draft" and not (
                limit_model._user_can_grant(
                    self.env.user,
                    remedy.company_id or self.env.company,
                    remedy._amount_in_company_currency(),
                )
            )

    @api.depends("ticket_id", "remedy_type", "amount", "currency_id")
    def _compute_display_name(self):
        for remedy in self:
            if remedy.remedy_type:
                remedy.display_name = remedy._label()
            else:
                remedy.display_name = self.env._("New Remedy")

    def _check_amount_vals(self, vals):
        """Before the database's own check, which would log the row."""
        if (vals.get("amount") or 0) < 0:
            raise ValidationError(self.env._("A remedy cannot be negative."))

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
            self._check_amount_vals(vals)
            if set(vals) & self._decision_fields - {"state"} or vals.get(
                "state", "draft"
            ) != ("draft"):
                raise UserError(
                    self.env._("A remedy is created as a draft, then submitted.")
                )
        # The complaint's chatter tells the remedy's story (submit, decision):
        # no "created" note in the creator's language on the remedy itself.
        return super(ComplaintRemedy, self.with_context(mail_create_nolog=True)).create(
            vals_list
        )

    def _decision_write_error(self):
        return self.env._(
            "The state of a remedy changes only through its submit, approve, "
            "refuse and cancel actions."
        )

    def write(self, vals):
        self._check_amount_vals(vals)
        protected = {"amount", "currency_id", "remedy_type", "ticket_id"}
        if protected & set(vals) and any(r.state != "draft" for r in self):
            raise UserError(
                self.env._(
                    "A submitted remedy cannot be changed: cancel it and "
                    "request a new one."
                )
            )
        return super().write(vals)

    def _amount_in_company_currency(self):
        self.ensure_one()
        company = self.company_id or self.env.company
        # A dialog of a single-currency company does not hold the currency.
        currency = self.currency_id or company.currency_id
        return currency._convert(
            self.amount, company.currency_id, company, fields.Date.context_today(self)
        )

    def _post_on_ticket(self, body):
        for remedy in self:
            remedy.ticket_id._complaint_log(body)

    def _label(self):
        self.ensure_one()
        type_label = dict(self._fields["remedy_type"]._description_selection(self.env))
        if self.remedy_type == "apology":
            return type_label["apology"]
        return self.env._(
            "%(type)s of %(amount)s %(currency)s",
            type=type_label[self.remedy_type],
            amount=self.amount,
            currency=self.currency_id.name,
        )

    def _get_approvers(self):
        """Hook: the users asked to decide on this pending remedy: the lowest
        level whose limit covers it, among those who can see it."""
        self.ensure_one()
        # Who may decide is filtered before the level is chosen: when no
        # supervisor can see the complaint, its managers are asked.
        return self.env["complaint.authorization.limit"]._get_approvers(
            self.company_id,
            self._amount_in_company_currency(),
            allowed=lambda user: user != self.env.user
            and self.with_user(user).has_access("read"),
        )

    def _schedule_approval_activities(self):
        for remedy in self:
            for approver in remedy._get_approvers():
                # Written for its reader: in the approver's language.
                in_lang = remedy.with_context(lang=approver.lang or self.env.lang)
                remedy.sudo().activity_schedule(
                    "complaint_handling.mail_activity_type_remedy_approval",
                    summary=in_lang.env._(
                        "Approve %(remedy)s on %(number)s",
                        remedy=in_lang._label(),
                        number=remedy.ticket_id.number,
                    ),
                    note=text_to_html(remedy.description or ""),
                    user_id=approver.id,
                )

    def action_submit(self):
        """Grant the remedy within the requester's limit, or ask for approval."""
        limit_model = self.env["complaint.authorization.limit"]
        for remedy in self:
            if remedy.state != "draft":
                raise UserError(self.env._("Only a draft remedy can be submitted."))
            if remedy.ticket_id.complaint_state in CONCLUDED_STEPS:
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
                remedy._schedule_approval_activities()
                remedy._post_on_ticket(
                    self.env._(
                        "Remedy over %(user)s's authorisation limit, waiting for "
                        "approval: %(remedy)s",
                        user=self.env.user.name,
                        remedy=remedy._label(),
                    )
                )
        return True

    def _decision_check_can_decide(self):
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

    def _close_approval_activities(self, feedback):
        self.sudo().activity_feedback(
            ["complaint_handling.mail_activity_type_remedy_approval"],
            feedback=feedback,
        )

    def action_refuse(self, reason=""):
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for refusing the remedy."))
        return super().action_refuse(reason)

    def _decision_after(self, state, note):
        user = self.env.user.name
        if state == "approved":
            feedback = self.env._("Approved by %(user)s", user=user)
        else:
            feedback = self.env._(
                "Refused by %(user)s: %(reason)s", user=user, reason=note
            )
        self._close_approval_activities(feedback)
        for remedy in self:
            if state == "approved":
                body = self.env._(
                    "Remedy approved by %(user)s: %(remedy)s",
                    user=user,
                    remedy=remedy._label(),
                )
            else:
                body = self.env._(
                    "Remedy refused by %(user)s: %(remedy)s. Reason: %(reason)s",
                    user=user,
                    remedy=remedy._label(),
                    reason=note,
                )
            remedy._post_on_ticket(body)

    def action_open_refuse_wizard(self):
        self.ensure_one()
        self._decision_check_can_decide()
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
        self.sudo().activity_unlink(
            ["complaint_handling.mail_activity_type_remedy_approval"]
        )
        for remedy in self:
            remedy._post_on_ticket(self.env._("Remedy cancelled: %s", remedy._label()))
        return True
