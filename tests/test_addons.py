"""Repository-level checks of the installed addons, run with pytest-odoo
against the test database (``make test`` builds it)."""

import ast
import io
from pathlib import Path

import polib

from odoo.tests import TransactionCase
from odoo.tools.translate import trans_export

REPO = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent.name for p in REPO.glob("*/__manifest__.py"))


class TestAddons(TransactionCase):
    # Odoo tags the test classes of addons only; these live outside any addon.
    test_tags = {"standard", "at_install"}

    def test_addons_installed(self):
        modules = self.env["ir.module.module"].search([("name", "in", ADDONS)])
        self.assertEqual(sorted(modules.mapped("name")), ADDONS)
        self.assertEqual(set(modules.mapped("state")), {"installed"})

    def test_manifests_follow_oca_conventions(self):
        for addon in ADDONS:
            with self.subTest(addon=addon):
                manifest = ast.literal_eval(
                    (REPO / addon / "__manifest__.py").read_text()
                )
                self.assertRegex(manifest["version"], r"^18\.0\.\d+\.\d+\.\d+$")
                self.assertEqual(manifest["license"], "AGPL-3")
                self.assertNotIn("description", manifest)
                self.assertTrue((REPO / addon / "readme" / "DESCRIPTION.md").is_file())
                self.assertTrue((REPO / addon / "README.rst").is_file())

    def test_chinese_translation_is_complete_and_current(self):
        """Every term Odoo exports for the addon today is translated in zh_CN.po,
        and the shipped .pot holds the same terms."""
        for addon in ADDONS:
            with self.subTest(addon=addon):
                buffer = io.BytesIO()
                trans_export(False, [addon], buffer, "po", self.env.cr)
                # Demo records' terms included: Odoo drops from a .po what its
                # .pot lacks when it loads the translation.
                current = {
                    entry.msgid
                    for entry in polib.pofile(buffer.getvalue().decode())
                    if entry.msgid
                }
                pot = polib.pofile(str(REPO / addon / "i18n" / f"{addon}.pot"))
                self.assertEqual(
                    {e.msgid for e in pot if e.msgid} ^ current,
                    set(),
                    "regenerate the .pot",
                )
                po = polib.pofile(str(REPO / addon / "i18n" / "zh_CN.po"))
                translated = {e.msgid for e in po if e.msgstr and not e.obsolete}
                missing = sorted(current - translated)
                self.assertFalse(missing, f"untranslated in zh_CN.po: {missing[:10]}")
                fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
                self.assertFalse(fuzzy, f"fuzzy entries: {fuzzy[:10]}")

    def test_chinese_labels_reach_the_user_interface(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "in", ADDONS)]
        )._update_translations(["zh_CN"])
        field = self.env["ir.model.fields"]._get("helpdesk.ticket", "severity")
        self.assertNotEqual(
            field.with_context(lang="zh_CN").field_description,
            field.with_context(lang="en_US").field_description,
        )
        # helpdesk_mgmt ships no Chinese: complaint_handling/i18n_extra does, for
        # its menus, fields and views.
        menu = self.env.ref("helpdesk_mgmt.helpdesk_ticket_main_menu")
        self.assertEqual(menu.with_context(lang="zh_CN").name, "服务台")
        user_field = self.env["ir.model.fields"]._get("helpdesk.ticket", "user_id")
        self.assertEqual(
            user_field.with_context(lang="zh_CN").field_description, "负责人"
        )

    def test_helpdesk_menus_and_actions_still_load(self):
        for xmlid in (
            "helpdesk_mgmt.helpdesk_ticket_action",
            "helpdesk_mgmt.helpdesk_ticket_dashboard_action",
            "complaint_handling.helpdesk_ticket_complaint_action",
        ):
            with self.subTest(action=xmlid):
                action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
                for view_mode in action["view_mode"].split(","):
                    self.env[action["res_model"]].get_views([(False, view_mode)])
