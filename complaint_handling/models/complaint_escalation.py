# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

ESCALATION_LEVELS = [
    ("1", "Level 1 - handling team"),
    ("2", "Level 2 - supervisor / department"),
    ("3", "Level 3 - senior management"),
]
ESCALATION_REASONS = [
    ("unsatisfied", "Customer unsatisfied"),
    ("time_limit", "Time limit missed"),
    ("major_incident", "Major service-quality incident"),
    ("group_risk", "Group-complaint risk"),
    ("regulator_media", "Regulator or media involvement"),
    ("management_legal", "Customer asks for management or legal action"),
]


class ComplaintEscalation(models.Model):
    _name = "complaint.escalation"
    _inherit = ["complaint.record.mixin"]
    _description = "Complaint Escalation"
    _order = "date desc, id desc"
    _complaint_anonymized_fields = {"note": False}

    ticket_id = fields.Many2one(readonly=True)
    date = fields.Datetime(default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Escalated by",
        default=lambda self: self.env.user,
        readonly=True,
    )
    reason = fields.Selection(
        selection=ESCALATION_REASONS, required=True, readonly=True
    )
    from_level = fields.Selection(selection=ESCALATION_LEVELS, readonly=True)
    to_level = fields.Selection(selection=ESCALATION_LEVELS, readonly=True)
    note = fields.Text(string="Hand-over Note", readonly=True)
    from_team_id = fields.Many2one(comodel_name="helpdesk.ticket.team", readonly=True)
    from_user_id = fields.Many2one(comodel_name="res.users", readonly=True)
    to_team_id = fields.Many2one(comodel_name="helpdesk.ticket.team", readonly=True)
    to_user_id = fields.Many2one(comodel_name="res.users", readonly=True)
