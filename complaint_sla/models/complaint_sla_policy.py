# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ComplaintSlaPolicy(models.Model):
    _name = "complaint.sla.policy"
    _description = "Complaint SLA Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Policies are tried in this order.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(comodel_name="res.company")
    kind = fields.Selection(
        selection="_selection_kind", default="complaint", required=True
    )
    category_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.category",
        string="Complaint Types",
        help="Empty: any type. A type also matches its sub-types.",
    )
    severity = fields.Selection(
        selection="_selection_severity", help="Empty: any severity."
    )
    urgency = fields.Selection(
        selection="_selection_urgency", help="Empty: any urgency."
    )
    channel_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.channel", string="Channels"
    )
    team_ids = fields.Many2many(comodel_name="helpdesk.ticket.team", string="Teams")
    partner_org_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Partner Organisations",
        domain="[('complaint_partner_org', '=', True)]",
        help="Set: only complaints currently handed to one of these organisations.",
    )
    agreement_id = fields.Many2one(
        comodel_name="complaint.partner.agreement",
        string="Service Agreement",
        index="btree_not_null",
        help="Set: only complaints handed over under this agreement. The "
        "agreement's Generate SLA Policy button fills the milestones from its "
        "promised time limits.",
    )
    milestone_ids = fields.One2many(
        comodel_name="complaint.sla.milestone",
        inverse_name="policy_id",
        string="Milestones",
        copy=True,
    )

    # The criteria take their values (and translated labels) from the
    # complaint's own fields.
    def _ticket_selection(self, fname):
        field = self.env["helpdesk.ticket"]._fields[fname]
        return field._description_selection(self.env)

    def _selection_kind(self):
        return self._ticket_selection("kind")

    def _selection_severity(self):
        return self._ticket_selection("severity")

    def _selection_urgency(self):
        return self._ticket_selection("urgency")

    def _matches(self, ticket):
        """Hook: whether this policy applies to ``ticket``."""
        self.ensure_one()
        category_ok = not self.category_ids or bool(
            ticket.category_id
            and ticket.category_id._complaint_lineage_ids() & set(self.category_ids.ids)
        )
        return (
            ticket.kind == self.kind
            and category_ok
            and (not self.company_id or self.company_id == ticket.company_id)
            and (not self.severity or self.severity == ticket.severity)
            and (not self.urgency or self.urgency == ticket.urgency)
            and (not self.channel_ids or ticket.channel_id in self.channel_ids)
            and (not self.team_ids or ticket.team_id in self.team_ids)
            and (
                not self.partner_org_ids
                or ticket.partner_org_id in self.partner_org_ids
            )
            and (
                not self.agreement_id
                or (
                    ticket.partner_org_id
                    and ticket.transfer_id.agreement_id == self.agreement_id
                )
            )
        )

    def _policy_for(self, tickets):
        """Map each ticket to the first matching policy (one search)."""
        policies = self.search([("kind", "in", list(set(tickets.mapped("kind"))))])
        return {
            ticket: next((p for p in policies if p._matches(ticket)), self.browse())
            for ticket in tickets
        }
