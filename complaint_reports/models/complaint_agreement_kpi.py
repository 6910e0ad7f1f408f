# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ComplaintAgreementKpi(models.Model):
    """One KPI term of a service agreement: the target the partner
    organisation promises and the weight of the KPI in the amount of the
    fee at risk."""

    _name = "complaint.agreement.kpi"
    _description = "Agreement KPI Term"
    _order = "agreement_id, sequence, id"

    agreement_id = fields.Many2one(
        comodel_name="complaint.partner.agreement",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    kpi_id = fields.Many2one(
        comodel_name="complaint.scorecard.kpi",
        string="KPI",
        required=True,
        ondelete="restrict",
    )
    sequence = fields.Integer(related="kpi_id.sequence", store=True)
    unit = fields.Selection(related="kpi_id.unit")
    higher_is_better = fields.Boolean(related="kpi_id.higher_is_better")
    target = fields.Float(required=True)
    weight = fields.Float(
        string="Weight (%)",
        help="Share of the amount at risk deducted when the target is missed. "
        "The weights of an agreement add up to 100 at most.",
    )
    earn_back_percent = fields.Float(
        string="Earn-back (%)",
        help="Share of this KPI's deduction in the previous statement earned "
        "back when the target is met this period.",
    )

    _sql_constraints = [
        (
            "agreement_kpi_unique",
            "UNIQUE (agreement_id, kpi_id)",
            "An agreement has one term per KPI.",
        ),
    ]

    @api.constrains("weight", "earn_back_percent", "target", "kpi_id")
    def _check_figures(self):
        for term in self:
            if not 0 <= term.weight <= 100 or not 0 <= term.earn_back_percent <= 100:
                raise ValidationError(
                    self.env._("Weights and earn-back shares go from 0 to 100 %.")
                )
            if term.target < 0 or (term.kpi_id.unit == "percent" and term.target > 100):
                raise ValidationError(
                    self.env._(
                        "The target of %(kpi)s is out of range.",
                        kpi=term.kpi_id.name,
                    )
                )
        for agreement in self.agreement_id:
            if sum(agreement.kpi_term_ids.mapped("weight")) > 100.0001:
                raise ValidationError(
                    self.env._(
                        "The KPI weights of agreement %(agreement)s add up to more "
                        "than 100 %%.",
                        agreement=agreement.name,
                    )
                )
