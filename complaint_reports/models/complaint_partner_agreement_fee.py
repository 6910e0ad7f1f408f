# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.complaint_handling.tools.constants import SUPERVISOR_GROUP


# The agreement is extended by concern, one file each (its scorecard terms,
# its fee terms): pylint-odoo would have one class.
# pylint: disable=consider-merging-classes-inherited
class ComplaintPartnerAgreement(models.Model):
    """How an agreement's fee statements deduct for missed targets: a share
    of the base fee is at risk, each missed KPI term deducts its weight of
    that amount, the deductions capped; met targets may earn back part of
    the previous period's deductions."""

    _inherit = "complaint.partner.agreement"

    fee_at_risk_percent = fields.Float(
        string="Fee at Risk (%)",
        default=10.0,
        tracking=True,
        help="Share of the period's base fee at risk for the quality targets. "
        "A missed KPI term deducts its weight (in %) of this amount.",
    )
    fee_deduction_cap = fields.Monetary(
        string="Deduction Cap",
        tracking=True,
        help="Most the deductions of one period may take. 0: no cap other "
        "than the amount at risk, which the deductions never exceed.",
    )
    fee_earn_back = fields.Boolean(
        string="Earn-back",
        tracking=True,
        help="A KPI term met this period earns back its earn-back share of "
        "what it deducted in the previous period's confirmed statement.",
    )
    fee_statement_ids = fields.One2many(
        comodel_name="complaint.fee.statement",
        inverse_name="agreement_id",
        string="Fee Statements",
        groups=SUPERVISOR_GROUP,
    )
    fee_statement_count = fields.Integer(
        compute="_compute_fee_statement_count", groups=SUPERVISOR_GROUP
    )

    @api.depends("fee_statement_ids")
    def _compute_fee_statement_count(self):
        counts = dict(
            self.env["complaint.fee.statement"]._read_group(
                [("agreement_id", "in", self.ids)], ["agreement_id"], ["__count"]
            )
        )
        for agreement in self:
            agreement.fee_statement_count = counts.get(agreement._origin, 0)

    @api.constrains("fee_at_risk_percent", "fee_deduction_cap")
    def _check_fee_deduction_terms(self):
        for agreement in self:
            if not 0 <= agreement.fee_at_risk_percent <= 100:
                raise ValidationError(
                    self.env._("The fee at risk is a percentage from 0 to 100.")
                )
            if agreement.fee_deduction_cap < 0:
                raise ValidationError(
                    self.env._("The deduction cap cannot be negative.")
                )

    def action_open_fee_statements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_reports.complaint_fee_statement_action"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {"default_agreement_id": self.id}
        return action
