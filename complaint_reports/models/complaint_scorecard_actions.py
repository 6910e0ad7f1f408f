# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ComplaintScorecard(models.Model):
    """The improvement actions (整改措施) of the scorecard's organisation
    under way in its period, listed on the scorecard."""

    _inherit = "complaint.scorecard"

    improvement_action_ids = fields.Many2many(
        comodel_name="complaint.improvement.action",
        string="Improvement Actions",
        compute="_compute_improvement_action_ids",
        help="The organisation's improvement actions under way in the period: "
        "started by its end, not cancelled, not done before it began.",
    )

    @api.depends("partner_org_id", "company_id", "date_from", "date_to")
    def _compute_improvement_action_ids(self):
        """One search for all the scorecards: the actions the user may read
        (record rules), then each scorecard's own."""
        Action = self.env["complaint.improvement.action"]
        cards = self.filtered(
            lambda c: c.partner_org_id and c.company_id and c.date_from and c.date_to
        )
        self.improvement_action_ids = Action
        if not cards or not Action.has_access("read"):
            return
        domains = [
            Action._complaint_period_domain(
                card.company_id, card.date_from, card.date_to, card.partner_org_id
            )
            for card in cards
        ]
        candidates = Action.search(
            [
                ("company_id", "in", cards.company_id.ids),
                ("partner_org_id", "in", cards.partner_org_id.ids),
                ("date_start", "<=", max(cards.mapped("date_to"))),
                ("state", "!=", "cancelled"),
            ]
        )
        for card, domain in zip(cards, domains, strict=True):
            card.improvement_action_ids = candidates.filtered_domain(domain)
