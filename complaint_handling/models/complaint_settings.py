# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.constants import MANAGER_GROUP


class ComplaintSettings(models.TransientModel):
    """The complaint settings of a company, for complaint managers.

    Odoo's own Settings page saves only for administrators
    (``res.config.settings.execute``) and companies are written by
    administrators only: this form writes the company's complaint fields, and
    nothing else, for a complaint manager of that company."""

    _name = "complaint.settings"
    _description = "Complaint Settings"

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )

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

    def _check_manager(self, vals_list):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only complaint managers change the complaint settings.")
            )
        companies = self.env.user.company_ids.ids
        if any(
            vals.get("company_id", self.env.company.id) not in companies
            for vals in vals_list
        ) or any(
            company not in self.env.user.company_ids for company in self.company_id
        ):
            raise AccessError(
                self.env._("You can only change the settings of your companies.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager(vals_list)
        # The related fields write the company: as superuser, once checked
        # above that the user manages complaints in that company; the values
        # are only the complaint fields this model declares.
        return super(ComplaintSettings, self.sudo()).create(vals_list).sudo(False)

    def write(self, vals):
        self._check_manager([vals])
        return super(ComplaintSettings, self.sudo()).write(vals)
