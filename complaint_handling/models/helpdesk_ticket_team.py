# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    complaint_department_id = fields.Many2one(
        comodel_name="complaint.department",
        index="btree_not_null",
        help="Its supervisors see the complaints of this team.",
    )
    complaint_process = fields.Boolean(
        help="Complaints can be handled by this team; its tickets follow the "
        "complaint stages (received, accepted, in handling, ...).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams.filtered("complaint_process")._link_complaint_stages()
        return teams

    def write(self, vals):
        res = super().write(vals)
        if vals.get("complaint_process"):
            self._link_complaint_stages()
        return res

    def _link_complaint_stages(self):
        """Make the complaint stages applicable to these teams."""
        if not self:
            return
        stages = self.env["helpdesk.ticket.stage"].search(
            [
                ("complaint_step", "!=", False),
                ("team_ids", "!=", False),
                ("company_id", "in", [False, *self.company_id.ids]),
            ]
        )
        stages.write({"team_ids": [fields.Command.link(team.id) for team in self]})

    def _get_applicable_stages(self):
        stages = super()._get_applicable_stages()
        if self and all(self.mapped("complaint_process")):
            stages = stages.filtered("complaint_step")
        return stages
