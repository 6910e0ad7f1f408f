# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.complaint_handling.tools.constants import SUPERVISOR_GROUP


class ComplaintSlaExtension(models.Model):
    _name = "complaint.sla.extension"
    _inherit = ["complaint.decision.mixin"]
    # Visible exactly when the complaint is (see ir.rule._compute_domain).
    _complaint_ticket_rules = True
    _decision_fields = {"state", "decided_by_id", "decision_note", "line_id"}
    _description = "Complaint Deadline Extension"
    _order = "id desc"

    line_id = fields.Many2one(
        comodel_name="complaint.sla.line",
        string="Time Limit",
        required=True,
        ondelete="cascade",
        index=True,
    )
    ticket_id = fields.Many2one(related="line_id.ticket_id", store=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    current_deadline = fields.Datetime(related="line_id.deadline")
    requested_deadline = fields.Datetime(required=True)
    reason = fields.Text(required=True)
    customer_informed = fields.Boolean(
        string="Customer Told",
        help="The customer was told of the new deadline.",
    )
    customer_note = fields.Text(string="What the Customer Was Told")
    state = fields.Selection(
        selection=[
            ("pending", "Waiting for approval"),
            ("approved", "Approved"),
            ("refused", "Refused"),
        ],
        default="pending",
        required=True,
        readonly=True,
    )
    requested_by_id = fields.Many2one(
        comodel_name="res.users", default=lambda self: self.env.user, readonly=True
    )
    decided_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    decision_note = fields.Text(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "pending") != "pending" or vals.get("decided_by_id"):
                raise UserError(self.env._("An extension is requested, then decided."))
        extensions = super().create(vals_list)
        for extension in extensions:
            line = extension.line_id
            if line.status not in ("running", "paused", "breached"):
                raise UserError(
                    self.env._("Only a running time limit can be extended.")
                )
            if line.deadline and extension.requested_deadline <= line.deadline:
                raise UserError(
                    self.env._("The new deadline must be later than the current one.")
                )
            extension.ticket_id._complaint_log(
                self.env._(
                    "Extension of %(milestone)s requested until %(deadline)s: "
                    "%(reason)s",
                    milestone=line.name,
                    deadline=extension.requested_deadline,
                    reason=extension.reason,
                )
            )
        return extensions

    def _decision_write_error(self):
        return self.env._("An extension is decided with its approve/refuse buttons.")

    def _decision_check_can_decide(self):
        if not self.env.user.has_group(SUPERVISOR_GROUP):
            raise UserError(self.env._("Only a supervisor decides an extension."))
        if any(ext.state != "pending" for ext in self):
            raise UserError(self.env._("This extension was already decided."))

    def action_approve(self):
        self._decision_check_can_decide()
        if not all(self.mapped("customer_informed")):
            raise UserError(
                self.env._(
                    "Record that the customer was told of the new deadline "
                    "before approving."
                )
            )
        return super().action_approve()

    def _decision_after(self, state, note):
        for extension in self:
            if state == "approved":
                extension.line_id._sla_set_deadline(extension.requested_deadline)
                body = self.env._(
                    "Extension of %(milestone)s approved by %(user)s: new deadline "
                    "%(deadline)s.",
                    milestone=extension.line_id.name,
                    user=self.env.user.name,
                    deadline=extension.requested_deadline,
                )
            else:
                body = self.env._(
                    "Extension of %(milestone)s refused by %(user)s.",
                    milestone=extension.line_id.name,
                    user=self.env.user.name,
                )
            extension.ticket_id._complaint_log(body)
