# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import re
import shutil
import subprocess
import tempfile
import unicodedata

import openpyxl
from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import BaseCase, Form, HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from odoo.addons.complaint_handling.tests.common import ComplaintPartnerCommon

from ..models.complaint_periodic_report_output import PDF_REPORT, XLSX_REPORT
from ..tools import svg_chart
from .common import set_aside_existing

SVG = "{http://www.w3.org/2000/svg}"


def _pdf_text(pdf):
    """The text of ``pdf``, by poppler's pdftotext when installed, else by
    the PDF library Odoo ships; compatibility forms of CJK characters (the
    Kangxi radicals some fonts map to) folded, spaces collapsed."""
    if shutil.which("pdftotext"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
            source.write(pdf)
            source.flush()
            text = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", source.name, "-"],
                capture_output=True,
                check=True,
            ).stdout.decode()
    else:
        reader = PdfFileReader(io.BytesIO(pdf))
        text = " ".join(
            (getattr(page, "extract_text", None) or page.extractText)()
            for page in reader.pages
        )
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


@tagged("post_install", "-at_install")
class TestComplaintPeriodicReportOutput(ComplaintPartnerCommon, HttpCase):
    """The PDF (real wkhtmltopdf), its HTML body with the charts, the XLSX
    against the frozen figures; printing follows the reports' access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        set_aside_existing(cls.env, "complaint.improvement.action")
        cls.company.partner_id.tz = "Asia/Shanghai"
        common = {"user_id": cls.handler.id}
        # August 2026 (the previous period): one billing complaint.
        with freeze_time("2026-08-20 02:00:00"):
            cls._create_complaint(name="D", **common)
        # September 2026: A billing, closed; B billing, taken up ten days
        # late (below standard: its time limits missed); C signal, open;
        # F signal, handed to Yuexin (cls.org).
        with freeze_time("2026-09-03 01:00:00"):
            cls.a = cls._create_complaint(name="A", **common)
            cls._drive(cls.a, "closed")
        with freeze_time("2026-09-10 03:00:00"):
            cls.b = cls._create_complaint(name="B", **common)
            cls._create_complaint(
                name="C", category_id=cls.category_signal.id, **common
            )
            cls._handed_complaint(category_id=cls.category_signal.id)
        with freeze_time("2026-09-20 03:00:00"):
            cls._drive(cls.b, "handling")
            cls.env["complaint.handling.log"].with_user(cls.handler).create(
                {
                    "ticket_id": cls.b.id,
                    "log_type": "contact",
                    "contact_result": "reached",
                    "description": "Customer reached by phone.",
                }
            )
        Report = cls.env["complaint.periodic.report"].with_user(cls.supervisor)
        cls.report = Report.create(
            {
                "period_type": "month",
                "date_from": "2026-09-01",
                "hot_issues": "天河区网络覆盖不足，弱信号投诉上升。",
                "causes": "Two base stations down for a week.",
            }
        )
        cls.org_report, cls.other_org_report = Report.create(
            [
                {
                    "period_type": "month",
                    "date_from": "2026-09-01",
                    "scope": "partner",
                    "partner_org_id": org.id,
                }
                for org in (cls.org, cls.other_org)
            ]
        )
        cls.empty_report = Report.create(
            {"period_type": "month", "date_from": "2025-02-01"}
        )
        (
            cls.report | cls.org_report | cls.other_org_report | cls.empty_report
        ).action_generate()
        cls.figures = cls.report.figures
        cls.labels = cls.env["complaint.report.figures"]._complaint_labels(cls.figures)

    def _reports(self, user=None, lang="en_US"):
        user = user or self.supervisor
        return (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(lang=lang, force_report_rendering=True)
        )

    def _html(self, report, user=None, lang="en_US"):
        html, __ = self._reports(user, lang)._render_qweb_html(PDF_REPORT, report.ids)
        return html.decode()

    def _xlsx(self, report, user=None):
        content, kind = self._reports(user)._render_xlsx(XLSX_REPORT, report.ids, {})
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))

    def _pdf(self, report, user=None, lang="en_US"):
        # wkhtmltopdf's notices on its standard error (which depend on its
        # build: "unpatched qt" switches) are logged as warnings by Odoo;
        # what matters is checked in the PDF itself.
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            pdf, kind = self._reports(user, lang)._render_qweb_pdf(
                PDF_REPORT, report.ids
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf

    @staticmethod
    def _rows(sheet, first_column):
        """Rows of the table whose header starts with ``first_column``."""
        rows = list(sheet.iter_rows(values_only=True))
        start = next(i for i, row in enumerate(rows) if row[0] == first_column)
        table = []
        for row in rows[start + 1 :]:
            if row[0] is None:
                break
            table.append(row)
        return table

    def test_figures_are_those_of_the_period(self):
        totals = self.figures["totals"]
        self.assertEqual((totals["nbr"], totals["closed"]), (4, 1))
        cases = self.figures["below_standard"]["cases"]
        self.assertEqual([case["ticket_id"] for case in cases], self.b.ids)
        self.assertEqual(cases[0]["missed"], ["time_limit"])
        self.assertEqual(self.figures["previous"]["nbr"], 1)
        self.assertEqual(sorted(row["nbr"] for row in self.figures["by_type"]), [2, 2])
        self.assertEqual(self.org_report.figures["totals"]["nbr"], 1)
        self.assertEqual(self.empty_report.figures["totals"]["nbr"], 0)

    def test_pdf_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        # Our Chinese terms, whatever the database had loaded (base's loader:
        # no public API loads an addon's terms into a test database).
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_handling", "complaint_sla", "complaint_reports"],
            ["zh_CN"],
            overwrite=True,
        )
        self.supervisor.lang = "zh_CN"
        pdf = self._pdf(self.report, lang=self.supervisor.lang)
        # The CJK font is embedded: Chinese glyphs are drawn, not boxes.
        self.assertIn(b"NotoSansCJK", pdf)
        text = _pdf_text(pdf)
        labels = (
            self.env["complaint.report.figures"]
            .with_context(lang="zh_CN")
            ._complaint_labels(self.figures)
        )
        self.assertIn(self.report.with_context(lang="zh_CN").name, text)
        self.assertTrue(self.report.with_context(lang="zh_CN").name.startswith("月报"))
        self.assertIn("天河区网络覆盖不足", text)
        self.assertIn("Two base stations down for a week.", text)
        # zh_CN's date format (base's language), the figures' numbers.
        self.assertIn("2026年09月01日", text)
        totals = self.figures["totals"]
        self.assertIn(f"{totals['fcr_rate']:.1f} %", text)
        self.assertIn(f"≥ {self.figures['targets']['fcr']:.1f} %", text)
        for row in self.figures["by_type"]:
            self.assertIn(labels["by_type"][row["key"]], text)
        # Time limits: named (some CJK glyphs of their names extract as
        # their traditional twins), counted.
        self.assertIn("主要指标", text)
        self.assertNotIn("Key Figures", text)
        self.assertIn("时限数", text)
        for row in self.figures["sla"]:
            self.assertIn(f"{row['nbr']} {row['on_time']} {row['late']}", text)
        for case in self.figures["below_standard"]["cases"]:
            self.assertIn(case["number"], text)

    def test_html_body_with_charts(self):
        html = self._html(self.report)
        root = etree.fromstring(html.encode(), etree.HTMLParser())
        charts = root.xpath("//svg[contains(@class, 'o_complaint_chart')]")
        self.assertEqual(len(charts), 2, "bars by type and the trend line")
        bars = root.xpath("//rect[@class='o_complaint_chart_bar']")
        self.assertEqual(len(bars), len(self.figures["by_type"]))
        points = root.xpath("//circle[@class='o_complaint_chart_point']")
        self.assertEqual(len(points), len(self.figures["trend"]))
        sections = root.xpath("//div[@data-section]/@data-section")
        self.assertEqual(
            sections,
            [
                "by_type",
                "by_channel",
                "by_business_line",
                "regulator",
                "by_result",
                "sla",
                "hot_issues",
                "below_standard",
                "improvement_actions",
            ],
        )
        self.assertIn("天河区网络覆盖不足", html)
        self.assertIn("None recorded", html)
        cases = self.figures["below_standard"]["cases"]
        self.assertTrue(cases)
        for case in cases:
            self.assertIn(case["number"], html)
        # Improvement actions, once recorded (by a later addon).
        self.report._complaint_process().write(
            {
                "figures": dict(
                    self.figures,
                    improvement_actions=[
                        {
                            "name": "Add two base stations in Tianhe",
                            "owner": "Network department",
                            "deadline": "2026-10-31",
                            "status": "Open",
                        },
                        "Review the billing of add-ons",
                    ],
                )
            }
        )
        html = self._html(self.report)
        self.assertNotIn("None recorded", html)
        self.assertIn("Add two base stations in Tianhe", html)
        self.assertIn("Network department", html)
        self.assertIn("Review the billing of add-ons", html)

    def test_xlsx_against_figures(self):
        workbook = self._xlsx(self.report)
        self.assertEqual(
            workbook.sheetnames,
            [
                "Summary",
                "By Complaint Type",
                "By Channel",
                "By Business Line",
                "By Origin",
                "By Result",
                "Time Limits",
                "Hot Issues",
                "Below Standard",
                "Improvement Actions",
            ],
        )
        figures, labels = self.figures, self.labels
        summary = {row[0]: row for row in self._rows(workbook["Summary"], "Indicator")}
        received = summary["Complaints received"]
        self.assertEqual(
            received[1:3], (figures["totals"]["nbr"], figures["previous"]["nbr"])
        )
        fcr = summary["First-contact resolution"]
        self.assertEqual(fcr[1], figures["totals"]["fcr_rate"])
        self.assertEqual(fcr[4], figures["targets"]["fcr"])
        self.assertEqual(summary["Satisfaction"][4], figures["targets"]["satisfaction"])
        for sheet, key, first in (
            ("By Complaint Type", "by_type", "Complaint type"),
            ("By Channel", "by_channel", "Channel"),
            ("By Business Line", "by_business_line", "Business line"),
            ("By Result", "by_result", "Result"),
        ):
            with self.subTest(sheet=sheet):
                rows = self._rows(workbook[sheet], first)
                self.assertEqual(
                    [(row[0], row[1], row[3]) for row in rows],
                    [
                        (labels[key][row["key"]], row["nbr"], row["previous"])
                        for row in figures[key]
                    ],
                )
        sla = self._rows(workbook["Time Limits"], "Time limit")
        self.assertEqual(
            [row[:6] for row in sla],
            [
                (
                    labels["sla"][row["key"]],
                    row["nbr"],
                    row["on_time"],
                    row["late"],
                    row["running"],
                    row["rate"],
                )
                for row in figures["sla"]
            ],
        )
        hot = self._rows(workbook["Hot Issues"], "Issue")
        self.assertEqual(
            [(row[0], row[1]) for row in hot],
            [
                (labels["hot_types"][row["key"]], row["nbr"])
                for row in figures["hot_types"]["largest"]
            ],
        )
        below = workbook["Below Standard"]
        counts = [row[1] for row in self._rows(below, "Standard missed")]
        standard = figures["below_standard"]
        self.assertEqual(
            counts, [standard["no_fcr"], standard["unsatisfied"], standard["late"]]
        )
        self.assertEqual(
            [row[0] for row in self._rows(below, "Complaint")],
            [case["number"] for case in standard["cases"]],
        )
        self.assertEqual(workbook["Improvement Actions"]["A4"].value, "None recorded")

    def test_empty_period_renders(self):
        html = self._html(self.empty_report)
        self.assertIn("No complaints in this period.", html)
        self.assertEqual(html.count('class="o_complaint_chart_bar"'), 0)
        self.assertEqual(html.count('class="o_complaint_chart_point"'), 6)
        workbook = self._xlsx(self.empty_report)
        summary = {row[0]: row for row in self._rows(workbook["Summary"], "Indicator")}
        self.assertEqual(summary["Complaints received"][1:3], (0, 0))
        self.assertIsNone(summary["First-contact resolution"][1])
        self.assertEqual(
            workbook["By Complaint Type"]["A4"].value, "No complaints in this period."
        )
        text = _pdf_text(self._pdf(self.empty_report))
        self.assertIn("No complaints in this period.", text)

    def test_not_generated_report_renders(self):
        report = (
            self.env["complaint.periodic.report"]
            .with_user(self.supervisor)
            .create({"period_type": "month", "date_from": "2026-06-01"})
        )
        self.assertFalse(report.figures_html)
        html = self._html(report)
        self.assertIn("not generated yet", html)
        self.assertNotIn("o_complaint_chart", html)
        workbook = self._xlsx(report)
        self.assertEqual(workbook.sheetnames, ["Summary"])

    def test_figures_page_of_the_form(self):
        report = self.report.with_user(self.supervisor)
        self.assertIn("o_complaint_chart_bar", report.figures_html)
        # The form shows the header and the narrative itself.
        self.assertNotIn("天河区网络覆盖不足", report.figures_html)
        with Form(report) as form:
            self.assertIn("o_complaint_chart", form.figures_html)

    def test_printing_follows_record_access(self):
        # A partner supervisor prints its organisation's report...
        html = self._html(self.org_report, user=self.org_supervisor)
        self.assertIn(self.org.name, html)
        workbook = self._xlsx(self.org_report, user=self.org_supervisor)
        summary = {row[0]: row for row in self._rows(workbook["Summary"], "Indicator")}
        self.assertEqual(summary["Complaints received"][1], 1)
        # ... not another organisation's, in no format.
        for user in (self.org_supervisor, self.handler):
            reports = self._reports(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    reports._render_qweb_html(PDF_REPORT, self.other_org_report.ids)
                with self.assertRaises(AccessError):
                    reports._render_qweb_pdf(PDF_REPORT, self.other_org_report.ids)
                with self.assertRaises(AccessError):
                    reports._render_xlsx(XLSX_REPORT, self.other_org_report.ids, {})


@tagged("post_install", "-at_install")
class TestSvgChart(BaseCase):
    """The inline SVG charts: escaped labels, zero values, a single point."""

    def _parse(self, svg):
        return etree.fromstring(str(svg).encode())

    def test_labels_are_escaped(self):
        svg = svg_chart.bar_chart(
            [("<script>alert(1)</script> & Co", 3), ("网络覆盖", 1)],
            title='"Types" <b>',
        )
        self.assertNotIn("<script>", svg)
        self.assertNotIn("<b>", svg)
        self.assertIn("&lt;script&gt;", svg)
        root = self._parse(svg)
        self.assertEqual(root.find(f"{SVG}title").text, '"Types" <b>')
        texts = [t.xpath("string()") for t in root.iter(f"{SVG}text")]
        self.assertIn("网络覆盖", "".join(texts))
        line = svg_chart.line_chart([("<i>2026-09</i>", 2), ("x&y", 1)])
        self.assertNotIn("<i>", line)
        self.assertEqual(len(self._parse(line).findall(f"{SVG}circle")), 2)

    def test_bars_scale_and_zero_values(self):
        root = self._parse(svg_chart.bar_chart([("a", 4), ("b", 2), ("c", 0)]))
        widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
        self.assertEqual(len(widths), 3)
        self.assertAlmostEqual(widths[1], widths[0] / 2, places=0)
        self.assertEqual(widths[2], 0.0)
        # Nothing but zeros, or nothing at all: no division by zero.
        root = self._parse(svg_chart.bar_chart([("a", 0), ("b", 0)]))
        self.assertEqual(
            [float(r.get("width")) for r in root.iter(f"{SVG}rect")], [0.0, 0.0]
        )
        self.assertFalse(list(self._parse(svg_chart.bar_chart([])).iter(f"{SVG}rect")))

    def test_line_single_point_and_zeros(self):
        root = self._parse(svg_chart.line_chart([("2026-09", 5)]))
        self.assertEqual(len(root.findall(f"{SVG}circle")), 1)
        self.assertIsNone(root.find(f"{SVG}polyline"))
        root = self._parse(svg_chart.line_chart([("a", 0), ("b", 0), ("c", 0)]))
        ys = {c.get("cy") for c in root.findall(f"{SVG}circle")}
        self.assertEqual(len(ys), 1, "all on the baseline")
        self.assertIsNotNone(root.find(f"{SVG}polyline"))

    def test_truncate_counts_wide_characters_twice(self):
        self.assertEqual(svg_chart.truncate("Billing", 10), "Billing")
        self.assertEqual(svg_chart.truncate("网络信号覆盖问题", 8), "网络信…")
        self.assertEqual(svg_chart.truncate("abcdefghijkl", 6), "abcde…")
        self.assertEqual(svg_chart.truncate(None, 6), "")
