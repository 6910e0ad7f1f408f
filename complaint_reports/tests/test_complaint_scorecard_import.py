# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.complaint_handling.tests.common import ComplaintPartnerCommon

GOOD_CSV = (
    "agreement,partner_organisation,period,kpi,value,numerator,denominator\n"
    "SA-2026-001,,2026-11,answer_rate,92.5,925,1000\n"
    ",Huacheng Care Ltd.,2026-11,handling_time,40,,\n"
)
# Lines 3, 5, 6 and 7 are wrong; lines 2 and 4 are right.
BAD_CSV = (
    "agreement;partner_organisation;period;kpi;value;numerator;denominator\n"
    "SA-2026-001;;2026-11;answer_rate;92.5;925;1000\n"
    "SA-2026-999;;2026-11;answer_rate;90;;\n"
    ";Huacheng Care Ltd.;2026-11;handling_time;40;;\n"
    "SA-2026-001;;2026-13;fcr;abc;;\n"
    "SA-2026-001;;2026-11;answer_rate;101;1010;1000\n"
    "SA-2026-001;;2026-11;answer_rate;90;950;\n"
)


class ScorecardImportCommon(ComplaintPartnerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Scorecard = cls.env["complaint.scorecard"]
        cls.External = cls.env["complaint.scorecard.external"]

    def _wizard(self, content, filename="figures.csv", user=None, card=None):
        user = user or self.supervisor
        context = {}
        if card:
            context = card.with_user(user).action_open_import()["context"]
        form = Form(
            self.env["complaint.scorecard.import"]
            .with_user(user)
            .with_context(**context)
        )
        form.file = base64.b64encode(content.encode())
        form.filename = filename
        return form.save()

    def _all_external(self):
        agreements = self.agreement | self.other_agreement
        return self.External.search([("agreement_id", "in", agreements.ids)])

    def _all_cards(self):
        agreements = self.agreement | self.other_agreement
        return self.Scorecard.search([("agreement_id", "in", agreements.ids)])

    def _external(self, agreement, code):
        return self.External.search(
            [
                ("scorecard_id.agreement_id", "=", agreement.id),
                ("kpi_id.code", "=", code),
            ]
        )


@tagged("post_install", "-at_install")
class TestComplaintScorecardImport(ScorecardImportCommon):
    """The CSV import dialog: all or nothing, an error per bad row."""

    def test_import_file(self):
        card = self.Scorecard.create(
            {"agreement_id": self.agreement.id, "date_from": "2026-11-01"}
        )
        wizard = self._wizard(GOOD_CSV, card=card)
        self.assertEqual(wizard.scorecard_id, card)
        action = wizard.action_import()
        self.assertEqual(action["res_model"], "complaint.scorecard")
        answer = self._external(self.agreement, "answer_rate")
        self.assertEqual(
            (answer.value, answer.numerator, answer.denominator), (92.5, 925, 1000)
        )
        self.assertEqual(answer.scorecard_id, card)
        self.assertEqual(answer.imported_by_id, self.supervisor)
        # The other organisation's scorecard was made for the row naming it.
        handling = self._external(self.other_agreement, "handling_time")
        self.assertEqual(handling.value, 40.0)
        self.assertEqual(handling.scorecard_id.date_from.isoformat(), "2026-11-01")
        # The file is kept on each scorecard, and the figures are on its lines.
        for scorecard in card | handling.scorecard_id:
            attachment = self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "complaint.scorecard"),
                    ("res_id", "=", scorecard.id),
                ]
            )
            self.assertEqual(attachment.name, "figures.csv")
            self.assertEqual(attachment.raw.decode(), GOOD_CSV)
        line = card.line_ids.filtered(lambda line: line.kpi_id.code == "answer_rate")
        self.assertEqual((line.value, line.status), (92.5, "met"))
        self.assertEqual(
            line.source_note, "Reported by the partner's call system (925 / 1000)"
        )
        # A new import of the same figure replaces it.
        self._wizard(GOOD_CSV.replace("92.5,925", "80,800")).action_import()
        answer = self._external(self.agreement, "answer_rate")
        self.assertEqual((len(answer), answer.value), (1, 80.0))
        self.assertEqual(
            card.line_ids.filtered(
                lambda line: line.kpi_id.code == "answer_rate"
            ).status,
            "missed",
        )

    def test_bad_rows_import_nothing(self):
        wizard = self._wizard(BAD_CSV)
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        message = str(caught.exception)
        self.assertIn("Nothing was imported", message)
        for expected in (
            "Line 3: agreement SA-2026-999 does not exist",
            "Line 5: period 2026-13 is not a month written YYYY-MM",
            "Line 5: KPI fcr is measured from the complaints, not imported",
            "Line 5: the value abc is not a number",
            "Line 6: a percentage cannot exceed 100",
            "Line 6: the numerator cannot exceed the denominator",
            "Line 6: the same figure is given in row 2 already",
            "Line 7: give both the numerator and the denominator, or neither",
        ):
            self.assertIn(expected, message)
        self.assertNotIn("Line 2:", message)
        self.assertNotIn("Line 4:", message)
        self.assertFalse(self._all_external())
        self.assertFalse(self._all_cards())
        self.assertFalse(
            self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "complaint.scorecard"),
                    ("name", "=", "figures.csv"),
                ]
            )
        )

    def test_unreadable_files(self):
        with self.assertRaisesRegex(UserError, "column"):
            self._wizard(
                "agreement,period,value\nSA-2026-001,2026-11,9\n"
            ).action_import()
        with self.assertRaisesRegex(UserError, "empty"):
            self._wizard("  \n").action_import()
        wizard = self._wizard(GOOD_CSV)
        wizard.file = base64.b64encode(b"\xff\xfe\x00bad")
        with self.assertRaisesRegex(UserError, "UTF-8"):
            wizard.action_import()

    def test_final_scorecard_and_agreement_period(self):
        card = self.Scorecard.create(
            {"agreement_id": self.agreement.id, "date_from": "2026-11-01"}
        )
        card.with_user(self.supervisor).action_finalize()
        with self.assertRaisesRegex(UserError, "is final"):
            self._wizard(GOOD_CSV).action_import()
        self.assertFalse(self._all_external())
        # Before the agreement started.
        with self.assertRaisesRegex(UserError, "not in force in 2025-12"):
            self._wizard(GOOD_CSV.replace("2026-11", "2025-12")).action_import()

    def test_who_imports(self):
        for user in (self.handler, self.org_supervisor):
            with self.assertRaises(AccessError):
                self.env["complaint.scorecard.import"].with_user(user).create(
                    {"file": base64.b64encode(GOOD_CSV.encode())}
                ).action_import()
            with self.assertRaises(AccessError):
                self.Scorecard.with_user(user).complaint_import_external(
                    [
                        {
                            "agreement": "SA-2026-001",
                            "period": "2026-11",
                            "kpi": "answer_rate",
                            "value": 1,
                        }
                    ]
                )


@tagged("post_install", "-at_install")
class TestComplaintScorecardApi(HttpCase, ScorecardImportCommon):
    """The partner's call system imports its figures over JSON-RPC as a
    complaint manager (the integration user)."""

    ROWS = [
        {
            "agreement": "SA-2026-001",
            "period": "2026-11",
            "kpi": "answer_rate",
            "value": 96.0,
            "numerator": 960,
            "denominator": 1000,
        },
        {
            "partner_organisation": "Huacheng Care Ltd.",
            "period": "2026-11",
            "kpi": "handling_time",
            "value": "52.5",
        },
    ]

    def _call(self, rows):
        payload = {
            "id": 1,
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": "complaint.scorecard",
                "method": "complaint_import_external",
                "args": [rows],
                "kwargs": {},
            },
        }
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        return response.json()

    def test_api_import(self):
        self.authenticate("cp_manager", "cp_manager")
        result = self._call(self.ROWS)["result"]
        cards = self.Scorecard.browse(result)
        self.assertEqual(cards.agreement_id, self.agreement | self.other_agreement)
        answer = self._external(self.agreement, "answer_rate")
        self.assertEqual((answer.value, answer.imported_by_id), (96.0, self.manager))
        handling = self._external(self.other_agreement, "handling_time")
        self.assertEqual(handling.value, 52.5)
        line = handling.scorecard_id.line_ids.filtered(
            lambda line: line.kpi_id.code == "handling_time"
        )
        self.assertEqual(line.status, "missed")
        # The rows are kept as a file on the scorecards.
        self.assertEqual(answer.attachment_id.mimetype, "application/json")
        self.assertEqual(json.loads(answer.attachment_id.raw)[0]["value"], 96.0)

    @mute_logger("odoo.http")
    def test_api_bad_rows(self):
        self.authenticate("cp_manager", "cp_manager")
        rows = [
            *self.ROWS,
            {
                "agreement": "SA-2026-001",
                "period": "11/2026",
                "kpi": "answer_rate",
                "value": 1,
            },
        ]
        error = self._call(rows)["error"]
        self.assertEqual(error["data"]["name"], "odoo.exceptions.UserError")
        self.assertIn(
            "Row 3: period 11/2026 is not a month written YYYY-MM",
            error["data"]["message"],
        )
        self.assertFalse(self._all_external())
        self.assertEqual(
            self._call("not rows")["error"]["data"]["name"], "odoo.exceptions.UserError"
        )

    @mute_logger("odoo.http")
    def test_api_refused_to_handlers(self):
        self.authenticate("cp_handler", "cp_handler")
        error = self._call(self.ROWS)["error"]
        self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
        self.assertFalse(self._all_external())
