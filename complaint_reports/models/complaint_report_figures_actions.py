# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


# The figures service is split by concern on purpose, one file each (as Odoo
# splits mail.thread): pylint-odoo would have one class.
# pylint: disable=consider-merging-classes-inherited
class ComplaintReportFigures(models.AbstractModel):
    """The improvement actions (整改措施) under way in the period, listed by
    the periodic report (of the whole carrier: all of them; of a partner
    organisation: its own)."""

    _inherit = "complaint.report.figures"

    @api.model
    def _complaint_figure_sections(self, company, date_from, date_to, partner_org):
        sections = super()._complaint_figure_sections(
            company, date_from, date_to, partner_org
        )
        sections["improvement_actions"] = self.env[
            "complaint.improvement.action"
        ]._complaint_report_rows(company, date_from, date_to, partner_org=partner_org)
        return sections
