# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import formatLang

from .complaint_fee_statement import PROCESS_KEY

KINDS = [
    ("base", "Base fee"),
    ("deduction", "Deduction"),
    ("cap", "Cap"),
    ("earn_back", "Earn-back"),
]
KPI_STATUSES = [
    ("met", "Target met"),
    ("missed", "Target missed"),
    ("no_data", "No data"),
]


class ComplaintFeeStatementLine(models.Model):
    """One step of a fee statement's calculation: the base fee, one KPI
    term (deducting when missed), the cap, one earn-back. Made when the
    statement is computed and never changed after: the figures it was made
    from are kept on it; its label and explanation are written in the
    reader's language."""

    _name = "complaint.fee.statement.line"
    _description = "Fee Statement Line"
    _order = "statement_id, sequence, id"

    statement_id = fields.Many2one(
        comodel_name="complaint.fee.statement",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(related="statement_id.company_id", store=True)
    currency_id = fields.Many2one(related="statement_id.currency_id")
    sequence = fields.Integer(readonly=True)
    kind = fields.Selection(selection=KINDS, required=True, readonly=True)
    name = fields.Char(string="Description", compute="_compute_name")
    kpi_id = fields.Many2one(
        comodel_name="complaint.scorecard.kpi",
        string="KPI",
        readonly=True,
        ondelete="restrict",
    )
    kpi_status = fields.Selection(
        selection=KPI_STATUSES, string="KPI Status", readonly=True
    )
    kpi_value = fields.Float(string="KPI Value", readonly=True)
    kpi_target = fields.Float(string="KPI Target", readonly=True)
    quantity = fields.Float(
        readonly=True,
        digits=(16, 2),
        help="Base fee: the handled cases or agent-months of the period.",
    )
    rate = fields.Float(
        string="Rate (%)",
        readonly=True,
        help="Deduction: the KPI term's weight, in % of the amount at risk. "
        "Earn-back: the share of the previous deduction earned back.",
    )
    unit_amount = fields.Monetary(
        string="Applied To",
        readonly=True,
        help="Base fee: the fee per unit. Deduction: the amount at risk. Cap: "
        "the most the deductions take. Earn-back: what the KPI term deducted "
        "in the previous statement, after its cap.",
    )
    amount = fields.Monetary(readonly=True)
    source_statement_id = fields.Many2one(
        comodel_name="complaint.fee.statement",
        string="Earned Back From",
        readonly=True,
        ondelete="restrict",
    )
    explanation = fields.Text(
        compute="_compute_explanation",
        help="How the amount was computed, in your language.",
    )

    @api.depends("kind", "kpi_id")
    @api.depends_context("lang")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for line in self:
            if line.kind == "base":
                line.name = (
                    self.env._("Base fee: agent-months")
                    if line.statement_id.fee_basis == "agent_month"
                    else self.env._("Base fee: handled cases")
                )
            elif line.kpi_id:
                line.name = f"{kinds[line.kind]}: {line.kpi_id.name}"
            else:
                line.name = kinds.get(line.kind, False)

    @api.depends(
        "kind",
        "kpi_id",
        "kpi_status",
        "kpi_value",
        "kpi_target",
        "quantity",
        "rate",
        "unit_amount",
        "amount",
        "source_statement_id",
    )
    @api.depends_context("lang")
    def _compute_explanation(self):
        for line in self:
            line.explanation = getattr(line, f"_complaint_explain_{line.kind}")()

    def _complaint_money(self, amount):
        return formatLang(self.env, amount, currency_obj=self.currency_id)

    def _complaint_kpi_figure(self, value):
        """A KPI's value or target in its unit."""
        unit = self.kpi_id.unit
        number = formatLang(self.env, value, digits=1)
        if unit == "percent":
            return f"{number} %"
        if unit == "hours":
            return self.env._("%(hours)s h", hours=number)
        return number

    def _complaint_explain_base(self):
        statement = self.statement_id
        quantity = formatLang(self.env, self.quantity, digits=0)
        if statement.fee_basis == "agent_month":
            return self.env._(
                "%(quantity)s agent-months (the organisation's partner agents "
                "on the last day of the period, times its months) × %(fee)s = "
                "%(amount)s.",
                quantity=quantity,
                fee=self._complaint_money(self.unit_amount),
                amount=self._complaint_money(self.amount),
            )
        return self.env._(
            "%(quantity)s handled cases (hand-offs under the agreement whose "
            "first result report fell in the period) × %(fee)s = %(amount)s.",
            quantity=quantity,
            fee=self._complaint_money(self.unit_amount),
            amount=self._complaint_money(self.amount),
        )

    def _complaint_explain_deduction(self):
        if self.kpi_status == "no_data":
            return self.env._("No data this period: nothing deducted.")
        figures = {
            "value": self._complaint_kpi_figure(self.kpi_value),
            "target": self._complaint_kpi_figure(self.kpi_target),
        }
        if self.kpi_status == "met":
            return self.env._(
                "%(value)s against a target of %(target)s: met, nothing deducted.",
                **figures,
            )
        return self.env._(
            "%(value)s against a target of %(target)s: missed. %(weight)s %% of "
            "the amount at risk (%(at_risk)s) = %(amount)s.",
            weight=formatLang(self.env, self.rate, digits=1),
            at_risk=self._complaint_money(self.unit_amount),
            amount=self._complaint_money(-self.amount),
            **figures,
        )

    def _complaint_explain_cap(self):
        return self.env._(
            "The deductions (%(total)s) are capped at %(limit)s (the amount at "
            "risk, or the agreement's cap when lower): %(amount)s given back.",
            total=self._complaint_money(self.unit_amount + self.amount),
            limit=self._complaint_money(self.unit_amount),
            amount=self._complaint_money(self.amount),
        )

    def _complaint_explain_earn_back(self):
        return self.env._(
            "Met this period: %(rate)s %% of what it deducted in %(statement)s "
            "(%(deducted)s) = %(amount)s earned back.",
            rate=formatLang(self.env, self.rate, digits=1),
            statement=self.source_statement_id.sudo().display_name or "",
            deducted=self._complaint_money(self.unit_amount),
            amount=self._complaint_money(self.amount),
        )

    # -------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get(PROCESS_KEY):
            raise AccessError(
                self.env._("A fee statement's lines are made by its calculation.")
            )
        statements = self.env["complaint.fee.statement"].browse(
            {vals["statement_id"] for vals in vals_list}
        )
        statements._complaint_check_lines_open()
        return super().create(vals_list)

    def write(self, vals):
        if self:
            raise UserError(
                self.env._(
                    "A fee statement's lines are never changed: compute the "
                    "statement again."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        self.statement_id._complaint_check_lines_open()
