# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

RETURN_REASONS = [
    ("out_of_scope", "Outside the agreement's scope"),
    ("incomplete", "Information incomplete"),
    ("other", "Other"),
]


class ComplaintTransfer(models.Model):
    """One hand-off of a complaint to a partner organisation (转派): who sent it,
    when it was acknowledged or returned, how it ended. History: never deleted,
    written only by the hand-off process."""

    _name = "complaint.transfer"
    # Visible exactly when the complaint is (see ir.rule._compute_domain).
    _complaint_ticket_rules = True
    _description = "Complaint Hand-off to a Partner Organisation"
    _order = "date_sent desc, id desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    partner_org_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner Organisation",
        required=True,
        index=True,
        readonly=True,
    )
    agreement_id = fields.Many2one(
        comodel_name="complaint.partner.agreement",
        required=True,
        readonly=True,
        index=True,
    )
    state = fields.Selection(
        selection=[
            ("sent", "Waiting for acknowledgement"),
            ("acknowledged", "Acknowledged"),
            ("returned", "Returned by the organisation"),
            ("recalled", "Taken back"),
            ("reassigned", "Reassigned"),
            ("expired", "Agreement ended"),
        ],
        required=True,
        default="sent",
        index=True,
        readonly=True,
    )
    handling_round = fields.Integer(readonly=True)
    note = fields.Text(string="Hand-off Note", readonly=True)
    sent_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    date_sent = fields.Datetime(required=True, readonly=True)
    date_acknowledged = fields.Datetime(readonly=True)
    acknowledged_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    date_ended = fields.Datetime(readonly=True)
    ended_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    return_reason = fields.Selection(selection=RETURN_REASONS, readonly=True)
    end_note = fields.Text(readonly=True)
    rehandle_count = fields.Integer(
        string="Re-handlings Ordered", readonly=True, default=0
    )
