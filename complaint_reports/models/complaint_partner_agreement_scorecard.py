# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# Default KPI terms of an agreement: KPI xml id (of this addon) -> (the
# agreement's field holding the target or a fixed target, weight in % of the
# amount at risk). The weights add up to 100.
DEFAULT_TERMS = {
    "kpi_ack": (95.0, 10.0),
    "kpi_contact": (95.0, 10.0),
    "kpi_result": (95.0, 10.0),
    "kpi_callback": (95.0, 10.0),
    "kpi_close": (95.0, 10.0),
    "kpi_fcr": ("target_fcr", 15.0),
    "kpi_satisfaction": ("target_satisfaction", 15.0),
    "kpi_quality": (85.0, 10.0),
    "kpi_answer_rate": ("target_answer_rate", 5.0),
    "kpi_handling_time": ("target_handling_hours", 5.0),
}


class ComplaintPartnerAgreement(models.Model):
    """The agreement's KPI terms: what its partner's scorecards measure."""

    _inherit = "complaint.partner.agreement"

    kpi_term_ids = fields.One2many(
        comodel_name="complaint.agreement.kpi",
        inverse_name="agreement_id",
        string="KPI Terms",
        copy=True,
    )
    scorecard_ids = fields.One2many(
        comodel_name="complaint.scorecard", inverse_name="agreement_id"
    )
    scorecard_count = fields.Integer(compute="_compute_scorecard_count")

    def _compute_scorecard_count(self):
        counts = dict(
            self.env["complaint.scorecard"]._read_group(
                [("agreement_id", "in", self.ids)], ["agreement_id"], ["__count"]
            )
        )
        for agreement in self:
            agreement.scorecard_count = counts.get(agreement, 0)

    @api.model_create_multi
    def create(self, vals_list):
        agreements = super().create(vals_list)
        agreements.filtered(lambda a: not a.kpi_term_ids)._complaint_add_default_terms()
        return agreements

    def _complaint_default_term_vals(self):
        """Values of the default terms the agreement lacks (the KPIs it has no
        term for), targets taken from the agreement's own figures."""
        self.ensure_one()
        existing = set(self.kpi_term_ids.kpi_id.ids)
        vals_list = []
        for xmlid, (target, weight) in DEFAULT_TERMS.items():
            kpi = self.env.ref(f"complaint_reports.{xmlid}", raise_if_not_found=False)
            if not kpi or not kpi.active or kpi.id in existing:
                continue
            vals_list.append(
                {
                    "agreement_id": self.id,
                    "kpi_id": kpi.id,
                    "target": self[target] if isinstance(target, str) else target,
                    "weight": weight,
                }
            )
        return vals_list

    def _complaint_add_default_terms(self):
        """Give the agreements the default terms they lack. Weights are only
        added while they fit in 100 %."""
        vals_list = []
        for agreement in self:
            room = 100.0 - sum(agreement.kpi_term_ids.mapped("weight"))
            for vals in agreement._complaint_default_term_vals():
                vals["weight"] = max(min(vals["weight"], room), 0.0)
                room -= vals["weight"]
                vals_list.append(vals)
        return self.env["complaint.agreement.kpi"].create(vals_list)

    @api.model
    def _complaint_init_kpi_terms(self):
        """When the KPI terms arrive (installation, or the update bringing
        them): the default terms of the agreements without any. Once any
        term exists, the terms are the users' to keep."""
        if self.env["complaint.agreement.kpi"].sudo().search_count([], limit=1):
            return
        self.sudo().with_context(active_test=False).search(
            [("kpi_term_ids", "=", False)]
        )._complaint_add_default_terms()

    def action_complaint_default_kpi_terms(self):
        self.check_access("write")
        self._complaint_add_default_terms()
        return True

    def action_open_scorecards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_reports.complaint_scorecard_action"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {"default_agreement_id": self.id}
        return action
