# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.complaint_handling.tools.constants import (
    MANAGER_GROUP,
    PARTNER_AGENT_GROUP,
    PARTNER_SUPERVISOR_GROUP,
    SUPERVISOR_GROUP,
)

PROCESS_KEY = "complaint_fee_statement_process"
# What the carrier chooses on a draft; everything else is written by the
# statement's own actions.
DRAFT_FIELDS = {"agreement_id", "date_from", "date_to"}
STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("acknowledged", "Acknowledged"),
    ("disputed", "Disputed"),
    ("confirmed", "Confirmed"),
]
# Line sequences: the base fee, the KPI terms in their order, the cap, the
# earn-back.
SEQ_BASE, SEQ_DEDUCTION, SEQ_CAP, SEQ_EARN_BACK = 10, 100, 5000, 6000


class ComplaintFeeStatement(models.Model):
    """What a partner organisation earns for one period under its agreement:
    the base fee, the deductions for the KPI terms missed, capped, and the
    earn-back, computed line by line once (at generation) and frozen. Sent to
    the organisation, acknowledged or disputed by its supervisor agents in the
    portal, confirmed by the carrier; a confirmed statement is locked and is
    corrected by a new statement."""

    _name = "complaint.fee.statement"
    _description = "Partner Fee Statement"
    _inherit = ["mail.thread", "portal.mixin", "complaint.reader.notify.mixin"]
    _order = "date_from desc, partner_org_id, id desc"

    # Not stored: read in the reader's language.
    name = fields.Char(compute="_compute_name", search="_search_name")
    agreement_id = fields.Many2one(
        comodel_name="complaint.partner.agreement",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    # The agreement's parties when the statement was made (not related: a
    # statement never changes).
    partner_org_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner Organisation",
        compute="_compute_parties",
        store=True,
        precompute=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        compute="_compute_parties",
        store=True,
        precompute=True,
        index=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_currency_id",
        store=True,
        help="The company's currency when the statement was made.",
    )
    date_from = fields.Date(
        string="Period Start",
        required=True,
        help="First day of the month, or of the quarter, of the period.",
    )
    date_to = fields.Date(
        string="Period End",
        compute="_compute_date_to",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        help="Last day of the month, or of the quarter, of the period.",
    )
    state = fields.Selection(
        selection=STATES,
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    scorecard_id = fields.Many2one(
        comodel_name="complaint.scorecard",
        readonly=True,
        ondelete="restrict",
        copy=False,
        help="The scorecard of the period the deductions were taken from.",
    )
    line_ids = fields.One2many(
        comodel_name="complaint.fee.statement.line",
        inverse_name="statement_id",
        string="Calculation",
        readonly=True,
        copy=False,
    )
    # The agreement's terms as they were applied (the agreement may change).
    fee_basis = fields.Selection(
        selection=[("case", "Per handled case"), ("agent_month", "Per agent-month")],
        readonly=True,
        copy=False,
        help="Per handled case: the hand-offs under the agreement that the "
        "organisation acknowledged and whose first result report to the "
        "customer, made while the hand-off was current, falls in the period "
        "(each hand-off counts once, re-handlings included). Per agent-month: "
        "the organisation's partner agents active when the statement is made "
        "and created by the last day of the period, times the months of the "
        "period.",
    )
    fee_amount = fields.Monetary(
        string="Fee per Unit",
        readonly=True,
        copy=False,
    )
    base_quantity = fields.Float(
        string="Units",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Handled cases, or agent-months, of the period.",
    )
    fee_at_risk_percent = fields.Float(
        string="Fee at Risk (%)", readonly=True, copy=False
    )
    amount_at_risk = fields.Monetary(
        readonly=True,
        copy=False,
        help="The base fee times the share at risk: what the missed KPI "
        "terms deduct their weight of.",
    )
    fee_deduction_cap = fields.Monetary(
        string="Deduction Cap", readonly=True, copy=False
    )
    deduction_limit = fields.Monetary(
        readonly=True,
        copy=False,
        help="The most the deductions take: the amount at risk, or the "
        "agreement's cap when lower.",
    )
    fee_earn_back = fields.Boolean(
        string="Earn-back Applies", readonly=True, copy=False
    )
    previous_statement_id = fields.Many2one(
        comodel_name="complaint.fee.statement",
        string="Earn-back From",
        readonly=True,
        copy=False,
        help="The confirmed statement of the previous period whose deductions "
        "can be earned back.",
    )
    amount_base = fields.Monetary(
        string="Base Fee", compute="_compute_amounts", store=True
    )
    amount_deduction = fields.Monetary(
        string="Deductions",
        compute="_compute_amounts",
        store=True,
        help="The deductions after the cap (a negative amount).",
    )
    amount_earn_back = fields.Monetary(
        string="Earn-back", compute="_compute_amounts", store=True
    )
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amounts", store=True
    )
    dispute_reason = fields.Text(
        readonly=True,
        copy=False,
        help="Why the organisation disputes the statement (the chatter keeps "
        "every reason and answer).",
    )
    carrier_answer = fields.Text(
        readonly=True,
        copy=False,
        help="The carrier's last answer to a dispute, sent with the statement.",
    )
    generated_date = fields.Datetime(string="Computed On", readonly=True, copy=False)
    sent_date = fields.Datetime(readonly=True, copy=False)
    sent_by_id = fields.Many2one(comodel_name="res.users", readonly=True, copy=False)
    responded_date = fields.Datetime(
        string="Answered On",
        readonly=True,
        copy=False,
        help="When the organisation acknowledged or disputed the statement.",
    )
    responded_by_id = fields.Many2one(
        comodel_name="res.users", string="Answered By", readonly=True, copy=False
    )
    confirmed_date = fields.Datetime(readonly=True, copy=False)
    confirmed_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False
    )
    correction_of_id = fields.Many2one(
        comodel_name="complaint.fee.statement",
        string="Corrects",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The confirmed statement this one corrects; both are kept.",
    )
    correction_ids = fields.One2many(
        comodel_name="complaint.fee.statement",
        inverse_name="correction_of_id",
        readonly=True,
    )
    corrected_by_id = fields.Many2one(
        comodel_name="complaint.fee.statement",
        compute="_compute_corrected_by_id",
        help="The statement that corrects this one.",
    )

    _sql_constraints = [
        (
            "correction_unique",
            "UNIQUE (correction_of_id)",
            "A statement is corrected once; correct the correction if needed.",
        ),
        (
            "period_check",
            "CHECK (date_from <= date_to)",
            "A period cannot end before it starts.",
        ),
    ]

    def init(self):
        # One statement per agreement and period, its corrections aside.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s "
                "(agreement_id, date_from, date_to) WHERE correction_of_id IS NULL",
                SQL.identifier("complaint_fee_statement_period_unique"),
                SQL.identifier(self._table),
            )
        )

    @api.depends("agreement_id", "date_from", "correction_of_id")
    @api.depends_context("lang")
    def _compute_name(self):
        for statement in self:
            if not (statement.agreement_id and statement.date_from):
                statement.name = False
                continue
            start = statement.date_from
            if statement.date_to and (statement.date_to - start).days > 31:
                period = f"{start.year} Q{(start.month - 1) // 3 + 1}"
            else:
                period = start.strftime("%Y-%m")
            name = self.env._(
                "Fee Statement %(period)s · %(org)s",
                period=period,
                org=statement.partner_org_id.name,
            )
            if statement.correction_of_id:
                name = self.env._("%(name)s (correction)", name=name)
            statement.name = name

    def _search_name(self, operator, value):
        """By the organisation or the agreement (what a name shows)."""
        if operator not in ("ilike", "=ilike", "like", "=like", "="):
            return NotImplemented
        return [
            "|",
            ("partner_org_id.name", operator, value),
            ("agreement_id.name", operator, value),
        ]

    @api.depends("agreement_id")
    def _compute_parties(self):
        for statement in self:
            statement.partner_org_id = statement.agreement_id.partner_org_id
            statement.company_id = statement.agreement_id.company_id

    @api.depends("company_id")
    def _compute_currency_id(self):
        for statement in self:
            statement.currency_id = statement.company_id.currency_id

    @api.depends("date_from")
    def _compute_date_to(self):
        for statement in self:
            if statement.date_from:
                statement.date_to = statement.date_from + relativedelta(
                    day=1, months=1, days=-1
                )
            else:
                statement.date_to = statement.date_to

    @api.depends("line_ids.amount", "line_ids.kind")
    def _compute_amounts(self):
        for statement in self:
            sums = dict.fromkeys(("base", "deduction", "cap", "earn_back"), 0.0)
            for line in statement.line_ids:
                sums[line.kind] += line.amount
            currency = statement.currency_id or statement.env.company.currency_id
            statement.amount_base = sums["base"]
            statement.amount_deduction = currency.round(sums["deduction"] + sums["cap"])
            statement.amount_earn_back = sums["earn_back"]
            statement.amount_total = currency.round(sum(sums.values()))

    @api.depends("correction_ids")
    def _compute_corrected_by_id(self):
        # At most one (correction_unique).
        for statement in self:
            statement.corrected_by_id = statement.correction_ids[:1]

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for statement in self:
            statement.access_url = f"/my/fee-statements/{statement.id}"
        return result

    # ------------------------------------------------------------------ checks
    @api.constrains("agreement_id", "date_from", "date_to")
    def _check_period(self):
        for statement in self:
            start, end = statement.date_from, statement.date_to
            months = {
                1: True,
                3: (start.month - 1) % 3 == 0,
            }
            if start.day != 1 or not any(
                ok and end == start + relativedelta(months=count, days=-1)
                for count, ok in months.items()
            ):
                raise ValidationError(
                    self.env._(
                        "A fee statement covers one month, or one quarter, as "
                        "its scorecard does."
                    )
                )
            agreement = statement.agreement_id
            if agreement.date_start > end or (
                agreement.date_end and agreement.date_end < start
            ):
                raise ValidationError(
                    self.env._(
                        "The agreement %(agreement)s is not in force during the "
                        "period of the statement.",
                        agreement=agreement.name,
                    )
                )

    @api.constrains("correction_of_id", "agreement_id", "date_from", "date_to")
    def _check_correction(self):
        for statement in self.filtered("correction_of_id"):
            corrected = statement.correction_of_id
            if (
                corrected.agreement_id,
                corrected.date_from,
                corrected.date_to,
            ) != (statement.agreement_id, statement.date_from, statement.date_to):
                raise ValidationError(
                    self.env._(
                        "A correction covers the agreement and period of the "
                        "statement it corrects."
                    )
                )

    # -------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get(PROCESS_KEY):
            for vals in vals_list:
                if set(vals) - DRAFT_FIELDS - self._complaint_free_fields():
                    raise AccessError(
                        self.env._(
                            "The calculation and the state of a fee statement are "
                            "set by its actions."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        frozen = set(vals) - self._complaint_free_fields()
        # Locked for everyone once confirmed, the system included.
        confirmed = self.filtered(lambda s: s.state == "confirmed")
        if frozen and confirmed:
            raise UserError(
                self.env._(
                    "Fee statement %(name)s is confirmed: it is locked. Correct "
                    "it with a new statement.",
                    name=confirmed[0].display_name,
                )
            )
        if frozen and not (self.env.context.get(PROCESS_KEY) or self.env.su):
            if frozen - DRAFT_FIELDS:
                raise AccessError(
                    self.env._(
                        "The calculation and the state of a fee statement are "
                        "set by its actions."
                    )
                )
            sent = self.filtered(lambda s: s.state != "draft")
            if sent:
                raise UserError(
                    self.env._(
                        "Fee statement %(name)s was sent: its agreement and period "
                        "no longer change.",
                        name=sent[0].display_name,
                    )
                )
            computed = self.filtered("generated_date")
            res = super().write(vals)
            # A draft follows what it is made for.
            computed._complaint_compute(recompute_scorecards=True)
            return res
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda s: s.state != "draft"):
            raise UserError(self.env._("Only draft fee statements can be deleted."))

    def _complaint_check_lines_open(self):
        """Lines are made and removed only while the statement is a draft."""
        sent = self.sudo().filtered(lambda s: s.state != "draft")
        if sent:
            raise UserError(
                self.env._(
                    "Fee statement %(name)s was sent: its calculation is frozen.",
                    name=sent[0].display_name,
                )
            )

    @api.model
    def _complaint_free_fields(self):
        """Fields any writer may write: the chatter's and the portal's."""
        return set(self.env["mail.thread"]._fields) | set(
            self.env["portal.mixin"]._fields
        )

    def _complaint_process(self):
        return self.with_context(**{PROCESS_KEY: True}).sudo()

    # ------------------------------------------------------------------ roles
    def _complaint_is_carrier(self):
        return self.env.su or self.env.user.has_group(SUPERVISOR_GROUP)

    def _complaint_is_org_supervisor(self):
        """Whether the current user is a supervisor agent of the statement's
        organisation."""
        self.ensure_one()
        user = self.env.user
        return (
            user.has_group(PARTNER_SUPERVISOR_GROUP)
            and user.commercial_partner_id == self.partner_org_id
        )

    def _complaint_check_carrier(self):
        self.check_access("write")
        if not self._complaint_is_carrier():
            raise AccessError(
                self.env._("Only the carrier's supervisors handle fee statements.")
            )

    def _complaint_check_state(self, states, message):
        """Raise ``message(statement)`` for the first statement whose state
        is not in ``states``."""
        for statement in self:
            if statement.state not in states:
                raise UserError(message(statement))

    # ----------------------------------------------------------------- actions
    def action_compute(self):
        """Compute a draft again from the data as they are now."""
        self._complaint_check_carrier()
        self._complaint_check_state(
            ("draft",),
            lambda s: s.env._(
                "Fee statement %(name)s was sent: its calculation is frozen.",
                name=s.display_name,
            ),
        )
        self._complaint_compute(recompute_scorecards=True)
        return True

    def action_send(self):
        """Send computed drafts to their organisations."""
        self._complaint_check_carrier()
        self._complaint_check_state(
            ("draft",),
            lambda s: s.env._(
                "Fee statement %(name)s was already sent.", name=s.display_name
            ),
        )
        for statement in self:
            if not statement.generated_date:
                raise UserError(
                    self.env._(
                        "Compute fee statement %(name)s before sending it.",
                        name=statement.display_name,
                    )
                )
        self._complaint_send()
        return True

    def action_answer_dialog(self):
        """The dialog in which the carrier answers a dispute and sends the
        statement again."""
        self.ensure_one()
        self._complaint_check_carrier()
        self._complaint_check_state(
            ("disputed",),
            lambda s: s.env._(
                "Fee statement %(name)s is not disputed.", name=s.display_name
            ),
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Answer the Dispute"),
            "res_model": "complaint.fee.statement.answer",
            "view_mode": "form",
            "target": "new",
            "context": {"default_statement_id": self.id},
        }

    def _complaint_resend(self, answer):
        """Send a disputed statement again with the carrier's answer; the
        calculation stays as it was (a correction comes after confirming)."""
        self._complaint_check_carrier()
        self._complaint_check_state(
            ("disputed",),
            lambda s: s.env._(
                "Fee statement %(name)s is not disputed.", name=s.display_name
            ),
        )
        if not (answer or "").strip():
            raise UserError(self.env._("Answer the organisation's dispute."))
        for statement in self:
            statement._complaint_process().message_post(
                body=self.env._("Answer to the dispute: %(answer)s", answer=answer),
                author_id=self.env.user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )
        self._complaint_process().write(
            {"carrier_answer": answer, "dispute_reason": False}
        )
        self._complaint_send()

    def _complaint_send(self):
        self._complaint_process().write(
            {
                "state": "sent",
                "sent_date": fields.Datetime.now(),
                "sent_by_id": self.env.uid,
                "responded_date": False,
                "responded_by_id": False,
            }
        )
        for statement in self:
            statement._complaint_notify(
                statement._complaint_org_supervisors(),
                lambda s: s.env._("Fee statement to check"),
                lambda s: s.env._(
                    "Fee statement %(name)s is ready: acknowledge it, or dispute "
                    "it with your reason, in the portal.",
                    name=s.display_name,
                ),
            )

    def action_acknowledge(self):
        """The organisation's supervisor agent agrees with the statement."""
        self._complaint_check_org_supervisor()
        self._complaint_process().write(
            {
                "state": "acknowledged",
                "responded_date": fields.Datetime.now(),
                "responded_by_id": self.env.uid,
            }
        )
        for statement in self:
            statement._complaint_notify(
                statement._complaint_carrier_readers(),
                lambda s: s.env._("Fee statement acknowledged"),
                lambda s: s.env._(
                    "%(org)s acknowledged fee statement %(name)s: confirm it.",
                    org=s.partner_org_id.name,
                    name=s.display_name,
                ),
            )
        return True

    def action_dispute(self, reason):
        """The organisation's supervisor agent disputes the statement, saying
        why."""
        self._complaint_check_org_supervisor()
        if not (reason or "").strip():
            raise UserError(self.env._("Say why you dispute the statement."))
        now = fields.Datetime.now()
        for statement in self:
            process = statement._complaint_process()
            process.write(
                {
                    "state": "disputed",
                    "dispute_reason": reason,
                    "responded_date": now,
                    "responded_by_id": self.env.uid,
                }
            )
            process.message_post(
                body=self.env._("Disputed: %(reason)s", reason=reason),
                author_id=self.env.user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )
            statement._complaint_notify(
                statement._complaint_carrier_readers(),
                lambda s: s.env._("Fee statement disputed"),
                lambda s: s.env._(
                    "%(org)s disputes fee statement %(name)s: %(reason)s",
                    org=s.partner_org_id.name,
                    name=s.display_name,
                    reason=reason,
                ),
            )
        return True

    def _complaint_check_org_supervisor(self):
        self.check_access("read")
        for statement in self:
            if not statement._complaint_is_org_supervisor():
                raise AccessError(
                    self.env._(
                        "Only the supervisor agents of %(org)s answer its fee "
                        "statements.",
                        org=statement.partner_org_id.name,
                    )
                )
        self._complaint_check_state(
            ("sent",),
            lambda s: s.env._(
                "Fee statement %(name)s is not waiting for your answer.",
                name=s.display_name,
            ),
        )

    def action_confirm(self):
        """The carrier confirms an acknowledged or disputed statement: it is
        locked from then on."""
        self._complaint_check_carrier()
        self._complaint_check_state(
            ("acknowledged", "disputed"),
            lambda s: s.env._(
                "Fee statement %(name)s is confirmed once the organisation has "
                "acknowledged or disputed it.",
                name=s.display_name,
            ),
        )
        self._complaint_process().write(
            {
                "state": "confirmed",
                "confirmed_date": fields.Datetime.now(),
                "confirmed_by_id": self.env.uid,
            }
        )
        return True

    def action_correct(self):
        """A new draft statement correcting this confirmed one, computed from
        the data as they are now."""
        self.ensure_one()
        self._complaint_check_carrier()
        self._complaint_check_state(
            ("confirmed",),
            lambda s: s.env._(
                "Fee statement %(name)s is not confirmed: change or answer it "
                "instead of correcting it.",
                name=s.display_name,
            ),
        )
        if self.corrected_by_id:
            raise UserError(
                self.env._(
                    "Fee statement %(name)s is already corrected by %(correction)s.",
                    name=self.display_name,
                    correction=self.corrected_by_id.display_name,
                )
            )
        correction = self._complaint_process().create(
            {
                "agreement_id": self.agreement_id.id,
                "date_from": self.date_from,
                "date_to": self.date_to,
                "correction_of_id": self.id,
            }
        )
        correction._complaint_compute(recompute_scorecards=True)
        self._complaint_process().message_post(
            body=self.env._(
                "Corrected by %(correction)s.", correction=correction.display_name
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": correction.id,
            "view_mode": "form",
        }

    def action_open_scorecard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.scorecard",
            "res_id": self.scorecard_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------- generation
    @api.model
    def _complaint_generate(self, agreements, date_from, date_to):
        """The statements of ``agreements`` for the period, made and computed
        in batch where missing (a statement already made is left as it is).
        A fixed number of queries, whatever the number of complaints."""
        agreements = agreements.sudo()
        Statement = self.sudo()
        existing = Statement.search(
            [
                ("agreement_id", "in", agreements.ids),
                ("date_from", "=", date_from),
                ("date_to", "=", date_to),
                ("correction_of_id", "=", False),
            ]
        )
        missing = agreements - existing.agreement_id
        new = self._complaint_process().create(
            [
                {
                    "agreement_id": agreement.id,
                    "date_from": date_from,
                    "date_to": date_to,
                }
                for agreement in missing
            ]
        )
        new._complaint_compute()
        return (existing | new).with_env(self.env)

    def _complaint_compute(self, recompute_scorecards=False):
        """Compute the lines of these draft statements from the data as they
        are now (their scorecard, the handled cases or agents, the previous
        statement), replacing their lines. ``recompute_scorecards``: measure
        their draft scorecards again first (a final one stays as it is); the
        generation in batch takes the scorecards as they are."""
        statements = self._complaint_process()
        if statements.filtered(lambda s: s.state != "draft"):
            raise UserError(self.env._("Only draft fee statements are computed."))
        if not statements:
            return
        statements.line_ids.unlink()
        quantities = statements._complaint_base_quantities()
        scorecards = statements._complaint_scorecards(recompute_scorecards)
        previous = statements._complaint_previous_statements()
        now = fields.Datetime.now()
        line_vals = []
        for statement in statements:
            agreement = statement.agreement_id
            scorecard = scorecards.get(statement, statement.env["complaint.scorecard"])
            vals, values = statement._complaint_calculation(
                quantities.get(statement, 0.0),
                scorecard,
                previous.get(statement),
            )
            line_vals += vals
            statement.write(
                dict(
                    values,
                    fee_basis=agreement.fee_basis,
                    fee_amount=agreement.fee_amount,
                    fee_at_risk_percent=agreement.fee_at_risk_percent,
                    fee_deduction_cap=agreement.fee_deduction_cap,
                    fee_earn_back=agreement.fee_earn_back,
                    scorecard_id=scorecard.id,
                    previous_statement_id=previous[statement].id
                    if statement in previous
                    else False,
                    generated_date=now,
                )
            )
        self.env["complaint.fee.statement.line"].with_context(
            **{PROCESS_KEY: True}
        ).sudo().create(line_vals)

    def _complaint_calculation(self, quantity, scorecard, previous):
        """The line values and the statement values of this statement, from
        its units (handled cases or agent-months), its scorecard and the
        previous period's confirmed statement (or None).

        Every amount is rounded in the currency, line by line: the base fee
        (units × fee), the amount at risk (base × at-risk share), each missed
        KPI term's deduction (amount at risk × weight), the cap (what the
        deductions take beyond the limit, given back), each earn-back (the
        earn-back share of what the KPI term deducted in the previous
        statement after its cap)."""
        self.ensure_one()
        agreement = self.agreement_id
        currency = self.currency_id
        fee = agreement.fee_amount
        base = currency.round(quantity * fee)
        at_risk = currency.round(base * agreement.fee_at_risk_percent / 100.0)
        limit = at_risk
        if agreement.fee_deduction_cap:
            limit = min(limit, agreement.fee_deduction_cap)
        lines = [
            {
                "statement_id": self.id,
                "sequence": SEQ_BASE,
                "kind": "base",
                "quantity": quantity,
                "unit_amount": fee,
                "amount": base,
            }
        ]
        deducted = 0.0
        met = []
        for index, card_line in enumerate(
            scorecard.line_ids.sorted(lambda x: (x.sequence, x.id))
        ):
            amount = 0.0
            if card_line.status == "missed":
                amount = -currency.round(at_risk * card_line.weight / 100.0)
                deducted -= amount
            elif card_line.status == "met":
                met.append(card_line)
            lines.append(
                {
                    "statement_id": self.id,
                    "sequence": SEQ_DEDUCTION + index,
                    "kind": "deduction",
                    "kpi_id": card_line.kpi_id.id,
                    "kpi_status": card_line.status,
                    "kpi_value": card_line.value,
                    "kpi_target": card_line.target,
                    "rate": card_line.weight,
                    "unit_amount": at_risk,
                    "amount": amount,
                }
            )
        if currency.compare_amounts(deducted, limit) > 0:
            lines.append(
                {
                    "statement_id": self.id,
                    "sequence": SEQ_CAP,
                    "kind": "cap",
                    "unit_amount": limit,
                    "amount": currency.round(deducted - limit),
                }
            )
        if agreement.fee_earn_back and previous:
            lines += self._complaint_earn_back_lines(previous, met)
        values = {
            "base_quantity": quantity,
            "amount_at_risk": at_risk,
            "deduction_limit": limit,
        }
        return lines, values

    def _complaint_earn_back_lines(self, previous, met):
        """Earn-back lines: each KPI term met this period (``met``: its
        scorecard lines) with an earn-back share gets that share of what it
        deducted in ``previous`` (its deduction scaled by the cap
        ``previous`` applied)."""
        self.ensure_one()
        currency = self.currency_id
        gross = -sum(
            line.amount for line in previous.line_ids if line.kind == "deduction"
        )
        net = -previous.amount_deduction
        ratio = net / gross if gross else 0.0
        deductions = {
            line.kpi_id: -line.amount
            for line in previous.line_ids
            if line.kind == "deduction" and line.amount < 0
        }
        lines = []
        for index, card_line in enumerate(met):
            kpi, share = card_line.kpi_id, card_line.earn_back_percent
            if not share or kpi not in deductions:
                continue
            effective = currency.round(deductions[kpi] * ratio)
            amount = currency.round(effective * share / 100.0)
            if currency.is_zero(amount):
                continue
            lines.append(
                {
                    "statement_id": self.id,
                    "sequence": SEQ_EARN_BACK + index,
                    "kind": "earn_back",
                    "kpi_id": kpi.id,
                    "kpi_status": "met",
                    "rate": share,
                    "unit_amount": effective,
                    "amount": amount,
                    "source_statement_id": previous.id,
                }
            )
        return lines

    def _complaint_scorecards(self, recompute=False):
        """{statement: scorecard} from the scorecards of each period, made
        where missing (in batch per period), drafts measured again with
        ``recompute``."""
        Scorecard = self.env["complaint.scorecard"].sudo()
        result = {}
        for (date_from, date_to), statements in self.grouped(
            lambda s: (s.date_from, s.date_to)
        ).items():
            cards = Scorecard._complaint_get_or_compute(
                statements.agreement_id,
                date_from,
                date_to,
                recompute_drafts=recompute,
            )
            by_agreement = {card.agreement_id: card for card in cards}
            for statement in statements:
                card = by_agreement.get(statement.agreement_id)
                if card:
                    result[statement] = card
        return result

    def _complaint_previous_statements(self):
        """{statement: the confirmed statement of the period just before
        (its latest correction if corrected)}, for the earn-back."""
        wanted = self.filtered(lambda s: s.agreement_id.fee_earn_back)
        if not wanted:
            return {}
        candidates = self.sudo().search(
            [
                ("agreement_id", "in", wanted.agreement_id.ids),
                ("state", "=", "confirmed"),
                (
                    "date_to",
                    "in",
                    list({s.date_from - relativedelta(days=1) for s in wanted}),
                ),
            ],
            order="id",
        )
        latest = {}
        for candidate in candidates:
            latest[candidate.agreement_id, candidate.date_to] = candidate
        result = {}
        for statement in wanted:
            key = (statement.agreement_id, statement.date_from - relativedelta(days=1))
            if key in latest:
                result[statement] = latest[key]
        return result

    def _complaint_base_quantities(self):
        """{statement: handled cases or agent-months of its period}."""
        result = {}
        by_basis = self.grouped(lambda s: s.agreement_id.fee_basis)
        if by_basis.get("case"):
            result.update(by_basis["case"]._complaint_handled_cases())
        if by_basis.get("agent_month"):
            result.update(by_basis["agent_month"]._complaint_agent_months())
        return result

    def _complaint_period_bounds(self):
        """Naive UTC datetimes bounding the period's days in the company's
        time zone."""
        self.ensure_one()
        return (
            self.env["complaint.report.figures"]
            .with_company(self.company_id)
            ._complaint_period_bounds(self.date_from, self.date_to)
        )

    def _complaint_handled_cases(self):
        """{statement: handled cases}. A handled case is a hand-off under the
        statement's agreement that the organisation acknowledged and whose
        first result report (``complaint.feedback``, corrections aside) made
        while the hand-off was current falls in the period. One query per
        period, whatever the number of complaints."""
        result = {}
        for bounds, statements in self.grouped(
            lambda s: s._complaint_period_bounds()
        ).items():
            start, stop = bounds
            self.env["complaint.feedback"].flush_model(
                ["ticket_id", "date", "correction_of_id"]
            )
            self.env["complaint.transfer"].flush_model(
                ["ticket_id", "agreement_id", "date_acknowledged", "date_ended"]
            )
            self.env.cr.execute(
                SQL(
                    """
                    SELECT tr.agreement_id, COUNT(DISTINCT tr.id)
                      FROM complaint_feedback f
                      JOIN complaint_transfer tr
                        ON tr.ticket_id = f.ticket_id
                       AND f.date >= tr.date_acknowledged
                       AND (tr.date_ended IS NULL OR f.date <= tr.date_ended)
                     WHERE f.date >= %(start)s AND f.date < %(stop)s
                       AND f.correction_of_id IS NULL
                       AND tr.agreement_id = ANY(%(agreements)s)
                       AND NOT EXISTS (
                            SELECT 1
                              FROM complaint_feedback e
                             WHERE e.ticket_id = tr.ticket_id
                               AND e.correction_of_id IS NULL
                               AND e.date >= tr.date_acknowledged
                               AND e.date < %(start)s
                       )
                  GROUP BY tr.agreement_id
                    """,
                    start=start,
                    stop=stop,
                    agreements=statements.agreement_id.ids,
                )
            )
            counts = dict(self.env.cr.fetchall())
            for statement in statements:
                result[statement] = float(counts.get(statement.agreement_id.id, 0))
        return result

    def _complaint_agent_months(self):
        """{statement: agent-months}: the organisation's partner agents
        (active users of the partner agent group, supervisors included)
        created by the end of the period, times its months."""
        group = self.env.ref(PARTNER_AGENT_GROUP)
        stop = max(s._complaint_period_bounds()[1] for s in self)
        agents = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", self.partner_org_id.ids),
                    ("groups_id", "in", group.ids),
                    ("create_date", "<", stop),
                ]
            )
        )
        created = [(user.commercial_partner_id, user.create_date) for user in agents]
        result = {}
        for statement in self:
            end = statement._complaint_period_bounds()[1]
            count = sum(
                1
                for org, date in created
                if org == statement.partner_org_id and date < end
            )
            delta = relativedelta(
                statement.date_to + relativedelta(days=1), statement.date_from
            )
            result[statement] = float(count * (delta.years * 12 + delta.months))
        return result

    # ----------------------------------------------------------- notification
    def _complaint_org_supervisors(self):
        """The supervisor agents of the statement's organisation."""
        self.ensure_one()
        return self.partner_org_id.sudo().complaint_agent_ids.filtered(
            lambda u: u.has_group(PARTNER_SUPERVISOR_GROUP)
        )

    def _complaint_carrier_readers(self):
        """Who hears the organisation's answer: who sent the statement, or
        the company's complaint managers."""
        self.ensure_one()
        sender = self.sudo().sent_by_id
        if sender and sender.active and not sender.share:
            return sender
        group = self.env.ref(MANAGER_GROUP)
        return group.sudo().users.filtered(lambda u: self.company_id in u.company_ids)

    # ------------------------------------------------------------------ portal
    def _complaint_portal_actions(self):
        """The actions the current user may take on this statement in the
        portal (``acknowledge``, ``dispute``); the actions check again."""
        self.ensure_one()
        if self.state == "sent" and self._complaint_is_org_supervisor():
            return {"acknowledge", "dispute"}
        return set()

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.display_name
