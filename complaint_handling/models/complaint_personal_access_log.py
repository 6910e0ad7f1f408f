# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.http import request


class ComplaintPersonalAccessLog(models.Model):
    """Who saw or took customers' personal data out of a complaint: reveals of
    masked fields, exports, prints. Written by the system only; nobody edits or
    deletes an entry."""

    _name = "complaint.personal.access.log"
    _description = "Personal Data Access Log"
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        comodel_name="res.users", required=True, readonly=True, index=True
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        readonly=True,
        index=True,
        ondelete="set null",
    )
    ticket_number = fields.Char(string="Complaint Number", readonly=True, index=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    operation = fields.Selection(
        selection=[
            ("reveal", "Reveal"),
            ("export", "Export"),
            ("print", "Print"),
            ("anonymise", "Anonymisation"),
        ],
        required=True,
        readonly=True,
    )
    field_names = fields.Char(string="Fields", readonly=True)
    ip_address = fields.Char(string="IP Address", readonly=True)

    @api.model
    def _log(self, tickets, operation, field_names):
        """Record ``operation`` on the personal ``field_names`` of ``tickets``,
        as the current user, from the current request's address."""
        if not tickets:
            return self
        # Read by the company's managers: the field names in its language.
        company = tickets.company_id[:1] or self.env.company
        env = self.with_context(lang=company._complaint_lang()).env
        labels = ", ".join(
            tickets._fields[name]._description_string(env) for name in field_names
        )
        address = request.httprequest.remote_addr if request else False
        now = fields.Datetime.now()
        return (
            self.sudo()
            .with_context(complaint_access_log=True)
            .create(
                [
                    {
                        "date": now,
                        "user_id": self.env.user.id,
                        "ticket_id": ticket.id,
                        "ticket_number": ticket.number,
                        "company_id": ticket.company_id.id,
                        "operation": operation,
                        "field_names": labels,
                        "ip_address": address,
                    }
                    for ticket in tickets
                ]
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("complaint_access_log"):
            raise UserError(self.env._("The access log is written by the system only."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("The access log cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise UserError(self.env._("The access log cannot be deleted."))
        return super().unlink()
