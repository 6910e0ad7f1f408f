# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    complaint_department_ids = fields.Many2many(
        comodel_name="complaint.department",
        relation="complaint_department_supervisor_rel",
        column1="user_id",
        column2="department_id",
        string="Supervised Complaint Departments",
    )
