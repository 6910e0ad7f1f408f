# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import os

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="Default Complaint Team",
        domain="[('complaint_process', '=', True)]",
        help="Team that receives complaints created without a team "
        "(external API, mail gateway).",
    )
    complaint_billing_time_bar_months = fields.Integer(
        string="Billing Dispute Time Bar (months)",
        default=5,
        help="A billing dispute about a problem older than this is time-barred.",
    )
    complaint_general_time_bar_months = fields.Integer(
        string="General Time Bar (months)",
        default=24,
        help="Any other complaint about a problem older than this is time-barred.",
    )
    complaint_repeat_window_days = fields.Integer(
        string="Repeat Complaint Window (days)",
        default=30,
        help="A complaint of the same type from the same customer or service "
        "number within this window is flagged as a repeat.",
    )
    complaint_callback_max_attempts = fields.Integer(
        string="Callback Attempts Before Closing",
        default=3,
        help="A complaint whose customer could not be reached after this number "
        "of documented callback attempts may be closed.",
    )
    complaint_escalate_unsatisfied = fields.Boolean(
        string="Escalate Unsatisfied Customers",
        default=True,
        help="An unsatisfied callback escalates the complaint one level.",
    )
    complaint_tech_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Technical Support Contact",
        domain="[('share', '=', False)]",
        help="Default addressee of technical check requests.",
    )
    complaint_escalation_l2_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="Level 2 Team",
        domain="[('complaint_process', '=', True)]",
    )
    complaint_escalation_l2_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Level 2 Responsible",
        domain="[('share', '=', False)]",
    )
    complaint_escalation_l3_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="Level 3 Team",
        domain="[('complaint_process', '=', True)]",
    )
    complaint_escalation_l3_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Level 3 Responsible",
        domain="[('share', '=', False)]",
    )

    _sql_constraints = [
        (
            "complaint_limits_positive",
            "CHECK(complaint_billing_time_bar_months > 0 "
            "AND complaint_general_time_bar_months > 0 "
            "AND complaint_repeat_window_days >= 0 "
            "AND complaint_callback_max_attempts > 0)",
            "Time bars and callback attempts must be positive, "
            "the repeat window cannot be negative.",
        ),
    ]

    complaint_retention_years = fields.Integer(
        string="Keep Complaint Records (years)",
        default=2,
        help="Complaints, their messages, attachments and logs are kept this long "
        "after closing (at least one year); then their personal data is "
        "anonymised, unless they are under legal hold.",
    )
    complaint_portal_max_per_hour = fields.Integer(
        string="Portal Submissions per Hour",
        default=5,
        help="Complaints one portal user, or one network address, may submit "
        "within an hour. Further submissions are refused until the hour passes.",
    )
    complaint_portal_max_file_mb = fields.Integer(
        string="Portal Attachment Size (MB)",
        default=10,
        help="Largest file a customer or a partner agent may attach in the portal.",
    )
    complaint_portal_max_files = fields.Integer(
        string="Portal Attachments per Submission", default=5
    )
    complaint_portal_file_types = fields.Char(
        string="Portal Attachment Types",
        default="pdf,jpg,jpeg,png,gif,mp3,wav,amr,m4a,mp4,txt,csv,xlsx,docx",
        help="File extensions accepted in the portal, separated by commas.",
    )

    @api.constrains("complaint_retention_years")
    def _check_complaint_retention_years(self):
        if any(company.complaint_retention_years < 1 for company in self):
            raise ValidationError(
                self.env._("Complaint records are kept at least one year.")
            )

    @api.model
    def _complaint_default_team(self):
        """Team used by complaints created without one."""
        team = self.env.company.complaint_team_id
        if not team:
            team = self.env.ref(
                "complaint_handling.helpdesk_ticket_team_complaint",
                raise_if_not_found=False,
            )
        return team

    def _complaint_lang(self):
        """The language the system writes in for this company's staff (notes
        of jobs, texts put in place of data): the company's own."""
        self.ensure_one()
        return self.partner_id.lang or self.env.lang or "en_US"

    def _complaint_escalation_target(self, level):
        """Return (team, user) responsible for the given escalation level."""
        self.ensure_one()
        if level == 2:
            return (
                self.complaint_escalation_l2_team_id,
                self.complaint_escalation_l2_user_id,
            )
        if level == 3:
            return (
                self.complaint_escalation_l3_team_id,
                self.complaint_escalation_l3_user_id,
            )
        return self.env["helpdesk.ticket.team"], self.env["res.users"]

    def _complaint_check_portal_file(self, name, size):
        """Raise UserError when a file put on a complaint through the portal
        breaks the company's limits (type, size)."""
        self.ensure_one()
        allowed = {
            ext.strip().lower().lstrip(".")
            for ext in (self.complaint_portal_file_types or "").split(",")
            if ext.strip()
        }
        ext = os.path.splitext(name or "")[1].lower().lstrip(".")
        if ext not in allowed:
            raise UserError(
                self.env._(
                    "%(name)s: this type of file is not accepted. Accepted "
                    "types: %(types)s.",
                    name=name,
                    types=", ".join(sorted(allowed)),
                )
            )
        if size > self.complaint_portal_max_file_mb * 1024 * 1024:
            raise UserError(
                self.env._(
                    "%(name)s is larger than %(size)s MB.",
                    name=name,
                    size=self.complaint_portal_max_file_mb,
                )
            )
