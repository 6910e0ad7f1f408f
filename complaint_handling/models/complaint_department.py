# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ComplaintDepartment(models.Model):
    """A group of complaint teams under the same supervisors. A supervisor named
    on a department sees the complaints of its teams (and of their own teams);
    a supervisor on no department keeps seeing every complaint."""

    _name = "complaint.department"
    _description = "Complaint Department"
    _order = "name"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    team_ids = fields.One2many(
        comodel_name="helpdesk.ticket.team",
        inverse_name="complaint_department_id",
        string="Teams",
    )
    supervisor_ids = fields.Many2many(
        comodel_name="res.users",
        relation="complaint_department_supervisor_rel",
        column1="department_id",
        column2="user_id",
        string="Supervisors",
        domain="[('share', '=', False)]",
    )

    @api.model_create_multi
    def create(self, vals_list):
        departments = super().create(vals_list)
        # Record rules read the departments of the user: refresh their cache.
        self.env.registry.clear_cache()
        return departments

    def write(self, vals):
        res = super().write(vals)
        if {"supervisor_ids", "active", "team_ids"} & set(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
