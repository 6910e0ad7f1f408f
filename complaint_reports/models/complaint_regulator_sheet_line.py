# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .helpdesk_ticket_category import REGULATOR_CATEGORIES

PERCENT = (16, 1)
PER_MILLION = (16, 2)


class ComplaintRegulatorSheetLine(models.Model):
    """One regulator category (or the total) of a regulator sheet: figures
    frozen when the sheet is computed, never edited."""

    _name = "complaint.regulator.sheet.line"
    _description = "Regulator Statistics Line"
    _order = "sheet_id, is_total, sequence, id"

    sheet_id = fields.Many2one(
        comodel_name="complaint.regulator.sheet",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="sheet_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    regulator_category = fields.Selection(
        selection=REGULATOR_CATEGORIES,
        help="Empty on the total line.",
    )
    is_total = fields.Boolean(string="Total")
    # The quarter
    complaint_count = fields.Integer(
        string="Complaints",
        help="Complaints received in the quarter (company time zone), active, of "
        "the company, whose type falls in this regulator category.",
    )
    regulator_count = fields.Integer(
        string="Regulator Transfers",
        help="Of which transferred by the regulator (申诉): received through a "
        "channel marked Regulator Transfer.",
    )
    direct_count = fields.Integer(
        string="Direct Complaints",
        help="Of which received directly (投诉).",
    )
    subscribers = fields.Integer(
        string="Users",
        help="The quarter's users: the user counts of the quarter summed over the "
        "business lines of the complaints in the sheet's figures (all categories "
        "together, so that categories add up to the total). Complaints without a "
        "business line add no users.",
    )
    subscribers_missing = fields.Boolean(
        string="Users Missing",
        help="A business line of the quarter's complaints has no user count: the "
        "figures per million users are left blank.",
    )
    per_million = fields.Float(
        string="Per Million Users",
        digits=PER_MILLION,
        help="Complaints / Users x 1,000,000. Blank when user counts are missing.",
    )
    share = fields.Float(
        string="Share (%)",
        digits=PERCENT,
        help="Complaints of the category / complaints of the three categories x 100 "
        "(0 when there are none).",
    )
    answered_15d_count = fields.Integer(
        string="Answered in 15 Days",
        help="Complaints whose first result was reported to the customer (the "
        "earliest result feedback recorded, a corrected feedback replaced by its "
        "correction) on or before the 15th calendar day after the day received, "
        "both days in the company's time zone: received on the 1st, answered by the "
        "16th. Complaints not answered yet when computed count as not answered.",
    )
    answered_15d_rate = fields.Float(
        string="Answered in 15 Days (%)",
        digits=PERCENT,
        help="Answered in 15 days / Complaints x 100 (0 when there are none).",
    )
    # The previous quarter
    prev_complaint_count = fields.Integer(string="Previous Complaints")
    prev_regulator_count = fields.Integer(string="Previous Regulator Transfers")
    prev_direct_count = fields.Integer(string="Previous Direct Complaints")
    prev_subscribers = fields.Integer(string="Previous Users")
    prev_subscribers_missing = fields.Boolean(string="Previous Users Missing")
    prev_per_million = fields.Float(
        string="Previous Per Million Users", digits=PER_MILLION
    )
    prev_share = fields.Float(string="Previous Share (%)", digits=PERCENT)
    prev_answered_15d_count = fields.Integer(string="Previous Answered in 15 Days")
    prev_answered_15d_rate = fields.Float(
        string="Previous Answered in 15 Days (%)", digits=PERCENT
    )
    # The change
    change = fields.Integer(
        help="Complaints - Previous Complaints.",
    )
    change_pct = fields.Float(
        string="Change (%)",
        digits=PERCENT,
        help="Change / Previous Complaints x 100; blank when the previous quarter "
        "had none.",
    )
    change_pct_defined = fields.Boolean(
        string="Change (%) Defined",
        help="The previous quarter had complaints of this category.",
    )
    per_million_change = fields.Float(
        string="Change Per Million Users",
        digits=PER_MILLION,
        help="Per Million Users - Previous Per Million Users; blank when user "
        "counts are missing in either quarter.",
    )

    @api.depends("regulator_category", "is_total")
    def _compute_display_name(self):
        labels = dict(
            self._fields["regulator_category"]._description_selection(self.env)
        )
        for line in self:
            line.display_name = (
                self.env._("Total")
                if line.is_total
                else labels.get(line.regulator_category, "")
            )
