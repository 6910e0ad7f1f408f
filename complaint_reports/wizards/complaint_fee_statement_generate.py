# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class ComplaintFeeStatementGenerate(models.TransientModel):
    """Make the fee statements of one month for many agreements at once."""

    _name = "complaint.fee.statement.generate"
    _description = "Generate Fee Statements"

    date_from = fields.Date(
        string="Month",
        required=True,
        default=lambda self: self._default_date_from(),
        help="Any day of the month the statements cover.",
    )
    agreement_ids = fields.Many2many(
        comodel_name="complaint.partner.agreement",
        relation="complaint_fee_statement_generate_agreement_rel",
        column1="wizard_id",
        column2="agreement_id",
        string="Agreements",
        help="Leave empty for every agreement in force during the month.",
    )

    @api.model
    def _default_date_from(self):
        today = fields.Date.context_today(self)
        return today.replace(day=1) - relativedelta(months=1)

    def action_generate(self):
        self.ensure_one()
        Statement = self.env["complaint.fee.statement"]
        Statement.check_access("create")
        if not Statement._complaint_is_carrier():
            raise AccessError(
                self.env._("Only the carrier's supervisors make fee statements.")
            )
        date_from = self.date_from.replace(day=1)
        date_to = date_from + relativedelta(months=1, days=-1)
        agreements = self.agreement_ids or self.env[
            "complaint.partner.agreement"
        ].search(
            [
                ("date_start", "<=", date_to),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", date_from),
            ]
        )
        agreements = agreements.filtered(
            lambda a: a.date_start <= date_to
            and (not a.date_end or a.date_end >= date_from)
        )
        if not agreements:
            raise UserError(self.env._("No agreement is in force during that month."))
        statements = Statement._complaint_generate(agreements, date_from, date_to)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_reports.complaint_fee_statement_action"
        )
        action["domain"] = [("id", "in", statements.ids)]
        return action
