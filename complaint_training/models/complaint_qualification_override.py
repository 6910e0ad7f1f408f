# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


class ComplaintQualificationOverride(models.Model):
    """The log of assignments a supervisor made despite a missing
    qualification, with the reason. Written by the assignment, never by hand."""

    _name = "complaint.qualification.override"
    _description = "Qualification Override"
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    assignee_id = fields.Many2one(
        comodel_name="res.users", string="Assigned to", required=True, readonly=True
    )
    supervisor_id = fields.Many2one(
        comodel_name="res.users", string="Overridden by", required=True, readonly=True
    )
    missing = fields.Char(string="Missing Qualification", readonly=True)
    reason = fields.Text(required=True, readonly=True)

    def write(self, vals):
        if vals:
            raise UserError(self.env._("The override log cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(self.env._("The override log cannot be deleted."))
        return super().unlink()
