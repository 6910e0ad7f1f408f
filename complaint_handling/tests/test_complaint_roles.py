# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from ..tools.constants import PERSONAL_DATA_GROUP, PERSONAL_FIELDS
from .common import ComplaintPartnerCommon


class TestComplaintRoles(ComplaintPartnerCommon):
    """Each role sees exactly its complaints, whatever the way it asks: search,
    counts, grouped counts, the web client's list and exports."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = cls.portal_customer.partner_id
        cls.mine_a = cls._create_complaint(partner_id=customer.id, name="A")
        cls.other_b = cls._create_complaint(
            team_id=cls.other_team.id,
            partner_id=cls.other_customer.partner_id.id,
            name="B",
        )
        cls.secret_c = cls._create_complaint(partner_id=customer.id, name="C")
        cls.secret_c.with_user(cls.supervisor).write(
            {"confidential": True, "confidential_reason": "media"}
        )
        cls.handed_d = cls._handed_complaint(partner_id=customer.id, name="D")
        cls.dept_supervisor = new_test_user(
            cls.env,
            login="cp_dept_supervisor",
            name="Tang Min",
            groups="complaint_handling.complaint_handling_group_supervisor",
        )
        cls.env["complaint.department"].create(
            {
                "name": "Shenzhen centre",
                "team_ids": [(4, cls.other_team.id)],
                "supervisor_ids": [(4, cls.dept_supervisor.id)],
            }
        )
        export = cls.env.ref("base.group_allow_export")
        internal = (
            cls.handler
            + cls.other_handler
            + cls.supervisor
            + cls.dept_supervisor
            + cls.manager
        )
        internal.groups_id = [(4, export.id)]
        cls.all = cls.mine_a + cls.other_b + cls.secret_c + cls.handed_d

    def _seen(self, user):
        domain = [("id", "in", self.all.ids)]
        Ticket = self.env["helpdesk.ticket"].with_user(user)
        found = Ticket.search(domain)
        names = set(found.mapped("name"))
        self.assertEqual(Ticket.search_count(domain), len(found), user.login)
        grouped = Ticket.read_group(domain, ["kind"], ["kind"])
        self.assertEqual(sum(g["kind_count"] for g in grouped), len(found), user.login)
        if not user.share:
            listed = Ticket.web_search_read(domain, {"name": {}}, limit=80)
            self.assertEqual({r["name"] for r in listed["records"]}, names, user.login)
            rows = found.export_data(["name"])["datas"]
            self.assertEqual({r[0] for r in rows}, names, user.login)
        return names

    def _expected(self):
        """User -> the complaints (names) the user sees."""
        return {
            self.handler: {"A", "D"},
            self.other_handler: {"B"},
            self.supervisor: {"A", "B", "D"},
            self.dept_supervisor: {"B"},
            self.manager: {"A", "B", "C", "D"},
            self.agent: {"D"},
            self.other_agent: set(),
            self.portal_customer: {"A", "C", "D"},
            self.other_customer: {"B"},
        }

    def test_each_role_sees_exactly_its_complaints(self):
        for user, names in self._expected().items():
            with self.subTest(user=user.login):
                self.assertEqual(self._seen(user), names)

    def test_records_of_a_complaint_follow_the_complaint(self):
        """Every model that holds records of complaints (hand-offs, handling
        logs, escalations, time limits, …) shows each role only the records of
        the complaints it sees."""
        self.env["complaint.handling.log"].create(
            [
                {"ticket_id": ticket.id, "log_type": "note", "description": "Note"}
                for ticket in self.all
            ]
        )
        # B, in the other team, was handed off once and taken back.
        self.other_b.action_complaint_accept()
        self.other_b.env["complaint.transfer"]._hand_off(
            self.other_b, self.other_agreement
        )
        self.other_b._complaint_take_back()
        models = [
            name
            for name, model in self.env.items()
            if not model._abstract
            and not model._transient
            and name != "complaint.personal.access.log"  # managers only
            and getattr(model._fields.get("ticket_id"), "comodel_name", None)
            == "helpdesk.ticket"
        ]
        self.assertIn("complaint.transfer", models)
        for user, names in self._expected().items():
            for name in models:
                Model = self.env[name].with_user(user)
                if not Model.has_access("read"):
                    continue
                with self.subTest(user=user.login, model=name):
                    found = Model.search([("ticket_id", "in", self.all.ids)])
                    self.assertLessEqual(
                        set(found.sudo().ticket_id.mapped("name")), names
                    )
                    if name == "complaint.handling.log":
                        self.assertEqual(
                            set(found.sudo().ticket_id.mapped("name")), names
                        )

    def test_messages_files_and_personal_data_follow_the_roles(self):
        """The complaint data held by other models (messages, files) and the
        personal values: each role gets only what it may, whatever it asks."""
        for ticket in self.all:
            ticket.message_post(
                body=f"NOTE {ticket.name}", subtype_xmlid="mail.mt_note"
            )
            ticket.message_post(
                body=f"REPLY {ticket.name}",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.env["ir.attachment"].create(
                {
                    "name": f"file {ticket.name}",
                    "raw": b"x",
                    "res_model": "helpdesk.ticket",
                    "res_id": ticket.id,
                }
            )
        by_id = {ticket.id: ticket.name for ticket in self.all}
        personal = self.env.ref(PERSONAL_DATA_GROUP)
        for user, names in self._expected().items():
            with self.subTest(user=user.login):
                Message = self.env["mail.message"].with_user(user)
                messages = Message.search(
                    [("model", "=", "helpdesk.ticket"), ("res_id", "in", self.all.ids)]
                )
                self.assertLessEqual({by_id[m.res_id] for m in messages}, names)
                if user.share:
                    bodies = " ".join(messages.mapped("body"))
                    self.assertNotIn("NOTE", bodies)
                Attachment = self.env["ir.attachment"].with_user(user)
                if Attachment.has_access("read"):
                    files = Attachment.search(
                        [
                            ("res_model", "=", "helpdesk.ticket"),
                            ("res_id", "in", self.all.ids),
                        ]
                    )
                    self.assertLessEqual({by_id[f.res_id] for f in files}, names)
                seen = (
                    self.env["helpdesk.ticket"]
                    .with_user(user)
                    .search([("id", "in", self.all.ids)])
                )
                if personal in user.groups_id:
                    self.assertTrue(seen.read(list(PERSONAL_FIELDS)))
                    continue
                for name in PERSONAL_FIELDS:
                    with self.assertRaises(AccessError):
                        seen.read([name])
                self.assertEqual(
                    len(seen.read(["id_number_masked"])), len(names), user.login
                )
