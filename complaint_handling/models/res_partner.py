# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_partner_org = fields.Boolean(
        string="Complaint-Handling Partner",
        index="btree_not_null",
        help="An outsourced organisation the carrier hands complaints to. Its "
        "portal users with the Partner Agent right work on them in the portal.",
    )
    complaint_agreement_ids = fields.One2many(
        comodel_name="complaint.partner.agreement",
        inverse_name="partner_org_id",
        string="Service Agreements",
    )
    complaint_agent_ids = fields.Many2many(
        comodel_name="res.users",
        compute="_compute_complaint_agent_ids",
        string="Partner Agents",
    )

    def _compute_complaint_agent_ids(self):
        agent_group = self.env.ref(
            "complaint_handling.complaint_handling_group_partner_agent"
        )
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", self.ids),
                    ("groups_id", "in", agent_group.ids),
                ]
            )
        )
        for partner in self:
            partner.complaint_agent_ids = users.filtered(
                lambda u, p=partner: u.commercial_partner_id == p
            )

    def _complaint_notice_partners(self):
        """Whom an organisation's notices go to: its supervisor agents, or all
        its agents when it has none; those with an e-mail address."""
        self.ensure_one()
        agents = self.complaint_agent_ids
        supervisors = agents.filtered(
            lambda u: u.has_group(
                "complaint_handling.complaint_handling_group_partner_supervisor"
            )
        )
        return (supervisors or agents).partner_id.filtered("email")

    @api.constrains("complaint_partner_org", "is_company", "parent_id")
    def _check_complaint_partner_org(self):
        for partner in self.filtered("complaint_partner_org"):
            if not partner.is_company or partner.parent_id:
                raise ValidationError(
                    self.env._(
                        "A complaint-handling partner organisation must be a "
                        "company without a parent company."
                    )
                )
