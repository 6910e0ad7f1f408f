# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_team_id = fields.Many2one(
        related="company_id.complaint_team_id", readonly=False
    )
    complaint_billing_time_bar_months = fields.Integer(
        related="company_id.complaint_billing_time_bar_months", readonly=False
    )
    complaint_general_time_bar_months = fields.Integer(
        related="company_id.complaint_general_time_bar_months", readonly=False
    )
    complaint_repeat_window_days = fields.Integer(
        related="company_id.complaint_repeat_window_days", readonly=False
    )
    complaint_callback_max_attempts = fields.Integer(
        related="company_id.complaint_callback_max_attempts", readonly=False
    )
    complaint_escalate_unsatisfied = fields.Boolean(
        related="company_id.complaint_escalate_unsatisfied", readonly=False
    )
    complaint_tech_user_id = fields.Many2one(
        related="company_id.complaint_tech_user_id", readonly=False
    )
    complaint_escalation_l2_team_id = fields.Many2one(
        related="company_id.complaint_escalation_l2_team_id", readonly=False
    )
    complaint_escalation_l2_user_id = fields.Many2one(
        related="company_id.complaint_escalation_l2_user_id", readonly=False
    )
    complaint_escalation_l3_team_id = fields.Many2one(
        related="company_id.complaint_escalation_l3_team_id", readonly=False
    )
    complaint_escalation_l3_user_id = fields.Many2one(
        related="company_id.complaint_escalation_l3_user_id", readonly=False
    )
    complaint_portal_max_per_hour = fields.Integer(
        related="company_id.complaint_portal_max_per_hour", readonly=False
    )
    complaint_portal_max_file_mb = fields.Integer(
        related="company_id.complaint_portal_max_file_mb", readonly=False
    )
    complaint_portal_max_files = fields.Integer(
        related="company_id.complaint_portal_max_files", readonly=False
    )
    complaint_portal_file_types = fields.Char(
        related="company_id.complaint_portal_file_types", readonly=False
    )
    complaint_retention_years = fields.Integer(
        related="company_id.complaint_retention_years", readonly=False
    )
