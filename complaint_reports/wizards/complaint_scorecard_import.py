# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import io

from odoo import fields, models
from odoo.exceptions import UserError

# Accepted headers (lower case, spaces as underscores) -> column.
COLUMNS = {
    "agreement": "agreement",
    "agreement_reference": "agreement",
    "partner_organisation": "partner_organisation",
    "partner_organization": "partner_organisation",
    "partner_org": "partner_organisation",
    "organisation": "partner_organisation",
    "period": "period",
    "kpi": "kpi",
    "kpi_code": "kpi",
    "value": "value",
    "numerator": "numerator",
    "denominator": "denominator",
}
REQUIRED = ("period", "kpi", "value")


class ComplaintScorecardImport(models.TransientModel):
    """Import the figures of the partners' call systems (call answer rate,
    average handling time) from a CSV file: one row per agreement (or partner
    organisation), month and KPI. All or nothing: a file with a bad row
    imports nothing and every bad row is reported with its line."""

    _name = "complaint.scorecard.import"
    _description = "Import Partner Figures"

    scorecard_id = fields.Many2one(
        comodel_name="complaint.scorecard",
        readonly=True,
        help="The scorecard the import was started from; the file's rows may "
        "concern others.",
    )
    file = fields.Binary(string="CSV File", required=True)
    filename = fields.Char()
    help_columns = fields.Text(
        string="Columns",
        readonly=True,
        default=lambda self: self.env._(
            "agreement (reference) or partner_organisation (name), period "
            "(YYYY-MM), kpi (code), value, numerator and denominator (optional)."
        ),
    )

    def _complaint_rows(self):
        """[(line number, {column: value})] of the file; a UserError for a
        file that cannot be read at all."""
        self.ensure_one()
        try:
            text = base64.b64decode(self.file or b"").decode("utf-8-sig")
        except (ValueError, UnicodeDecodeError):
            raise UserError(
                self.env._("Line 1: the file is not a CSV file encoded in UTF-8.")
            ) from None
        if not text.strip():
            raise UserError(self.env._("The file is empty."))
        try:
            dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text), dialect)
        header = [
            COLUMNS.get(name.strip().lower().replace(" ", "_"), "")
            for name in next(reader)
        ]
        missing = [name for name in REQUIRED if name not in header]
        if "agreement" not in header and "partner_organisation" not in header:
            missing.insert(0, "agreement")
        if missing:
            raise UserError(
                self.env._(
                    "Line 1: the column(s) %(columns)s are missing.",
                    columns=", ".join(missing),
                )
            )
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            row = {
                name: cell for name, cell in zip(header, cells, strict=False) if name
            }
            rows.append((reader.line_num, row))
        return rows

    def action_import(self):
        self.ensure_one()
        rows = self._complaint_rows()
        cards = self.env["complaint.scorecard.external"]._complaint_import(
            rows,
            self.filename or "import.csv",
            base64.b64decode(self.file),
            "text/csv",
            lines=True,
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_reports.complaint_scorecard_action"
        )
        if len(cards) == 1:
            action.update(
                {"res_id": cards.id, "view_mode": "form", "views": [(False, "form")]}
            )
        else:
            action["domain"] = [("id", "in", cards.ids)]
        return action
