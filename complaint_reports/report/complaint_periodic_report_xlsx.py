# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import models

# Number formats of the kinds of cells (see _complaint_output_values).
NUMBER_FORMATS = {
    "int": "#,##0",
    "rate": '0.0" %"',
    "change": '+0.0" %";-0.0" %";0.0" %"',
    "points": "+0.0;-0.0;0.0",
    "amount": "#,##0.00",
    "hours": "0.0",
    "target": '"≥ "0.0" %"',
}


class ComplaintPeriodicReportXlsx(models.AbstractModel):
    """The periodic report as a workbook: a summary sheet (the report, its
    key figures against the previous period and the targets, its analysis),
    then one sheet per table of the PDF, in the reader's language. Numbers
    are written as numbers, formatted by kind."""

    _name = "report.complaint_reports.periodic_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Periodic Complaint Report (XLSX)"

    def generate_xlsx_report(self, workbook, data, reports):
        reports.check_access("read")
        styles = self._complaint_styles(workbook)
        for report in reports:
            output = report._complaint_output_values()
            self._complaint_summary_sheet(workbook, styles, report, output)
            if not report.figures:
                continue
            for section in output["sections"] + [output["actions"]]:
                self._complaint_section_sheet(workbook, styles, report, section)

    def _complaint_styles(self, workbook):
        styles = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "heading": workbook.add_format({"bold": True, "font_size": 12}),
            "label": workbook.add_format({"bold": True}),
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#EEF1F4", "bottom": 1, "text_wrap": True}
            ),
            "text": workbook.add_format({"text_wrap": True, "valign": "top"}),
            "note": workbook.add_format({"italic": True, "font_color": "#6C757D"}),
        }
        for kind, number_format in NUMBER_FORMATS.items():
            styles[kind] = workbook.add_format({"num_format": number_format})
            styles[f"{kind}_warn"] = workbook.add_format(
                {"num_format": number_format, "bold": True, "font_color": "#B3473C"}
            )
        return styles

    def _complaint_sheet(self, workbook, title):
        name = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Sheet"
        sheet = workbook.add_worksheet(name)
        sheet.set_column(0, 0, 42)
        sheet.set_column(1, 8, 16)
        return sheet

    def _complaint_summary_sheet(self, workbook, styles, report, output):
        sheet = self._complaint_sheet(workbook, self.env._("Summary"))
        sheet.write(0, 0, report.name or "", styles["title"])
        fmt = report._complaint_output_format
        info = [
            (
                self.env._("Period"),
                f"{fmt(report.date_from, 'date')} – {fmt(report.date_to, 'date')}",
            ),
            (
                self.env._("Scope"),
                " · ".join(
                    part
                    for part in (
                        dict(
                            report._fields["scope"]._description_selection(self.env)
                        ).get(report.scope),
                        report.partner_org_id.name,
                    )
                    if part
                ),
            ),
            (self.env._("Version"), report.version),
            (
                self.env._("Status"),
                dict(report._fields["state"]._description_selection(self.env)).get(
                    report.state
                ),
            ),
            (
                self.env._("Generated on"),
                fmt(report.generated_date, "datetime") if report.generated_date else "",
            ),
        ]
        row = 2
        for label, value in info:
            sheet.write(row, 0, label, styles["label"])
            sheet.write(row, 1, value)
            row += 1
        row += 1
        if not report.figures:
            sheet.write(
                row, 0, self.env._("The figures of this report are not generated yet.")
            )
            return sheet
        row = self._complaint_table(sheet, styles, row, output["summary"])
        row += 1
        sheet.write(row, 0, self.env._("Analysis"), styles["heading"])
        row += 1
        for field_name in ("hot_issues", "causes", "suggestions"):
            sheet.write(
                row,
                0,
                report._fields[field_name]._description_string(self.env),
                styles["label"],
            )
            sheet.merge_range(row, 1, row, 6, report[field_name] or "", styles["text"])
            row += 1
        if report.review_comment:
            sheet.write(row, 0, self.env._("Review Comment"), styles["label"])
            sheet.merge_range(row, 1, row, 6, report.review_comment, styles["text"])
        return sheet

    def _complaint_section_sheet(self, workbook, styles, report, section):
        sheet = self._complaint_sheet(workbook, section["title"])
        sheet.write(0, 0, report.name or "", styles["label"])
        sheet.write(1, 0, section["title"], styles["heading"])
        row = 3
        for table in section["tables"]:
            row = self._complaint_table(sheet, styles, row, table) + 1
        for note in section["notes"]:
            sheet.write(row, 0, note, styles["note"])
            row += 1
        return sheet

    def _complaint_table(self, sheet, styles, row, table):
        """Write ``table`` from ``row``; return the next free row."""
        if table["title"]:
            sheet.write(row, 0, table["title"], styles["label"])
            row += 1
        if not table["rows"]:
            if table["empty"]:
                sheet.write(row, 0, table["empty"], styles["note"])
                row += 1
            return row
        for col, column in enumerate(table["columns"]):
            sheet.write(row, col, column, styles["header"])
        row += 1
        for line in table["rows"]:
            for col, (value, kind) in enumerate(line["cells"]):
                if kind == "text":
                    sheet.write_string(row, col, value or "")
                elif value is None:
                    sheet.write_blank(row, col, None)
                else:
                    warn = "_warn" if line["warn"] and col == 1 else ""
                    sheet.write_number(row, col, value, styles[f"{kind}{warn}"])
            row += 1
        return row
