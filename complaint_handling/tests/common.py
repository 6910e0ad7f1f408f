# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

from ..tools.constants import PERSONAL_DATA_GROUP, PERSONAL_FIELDS

# A resident identity card number with a valid check digit (GB 11643).
VALID_ID = "11010519491231002X"


class ComplaintCommon(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.team = cls.env.ref("complaint_handling.helpdesk_ticket_team_complaint")
        cls.handler = new_test_user(
            cls.env,
            login="cp_handler",
            name="Li Lei",
            groups="helpdesk_mgmt.group_helpdesk_user_team",
        )
        cls.other_handler = new_test_user(
            cls.env,
            login="cp_handler_other",
            name="Han Meimei",
            groups="helpdesk_mgmt.group_helpdesk_user_team",
        )
        cls.supervisor = new_test_user(
            cls.env,
            login="cp_supervisor",
            name="Wang Fang",
            groups="complaint_handling.complaint_handling_group_supervisor",
        )
        cls.manager = new_test_user(
            cls.env,
            login="cp_manager",
            name="Zhao Qiang",
            groups="complaint_handling.complaint_handling_group_manager",
        )
        cls.tech = new_test_user(
            cls.env, login="cp_tech", name="Chen Jie", groups="base.group_user"
        )
        cls.team.user_ids = [(4, cls.handler.id), (4, cls.supervisor.id)]
        cls.other_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Shenzhen complaint desk",
                "complaint_process": True,
                "user_ids": [(4, cls.other_handler.id)],
            }
        )
        cls.l2_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Complaint supervision",
                "complaint_process": True,
                "user_ids": [(4, cls.supervisor.id)],
            }
        )
        # A database without demo data has a company without an e-mail
        # address: the mails the tests send need a sender.
        if not cls.company.email:
            cls.company.email = "complaints@carrier.example.com"
        cls.company.write(
            {
                "complaint_escalation_l2_team_id": cls.l2_team.id,
                "complaint_escalation_l2_user_id": cls.supervisor.id,
                "complaint_escalation_l3_user_id": cls.manager.id,
                "complaint_tech_user_id": cls.tech.id,
                "complaint_callback_max_attempts": 3,
                "complaint_repeat_window_days": 30,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Zhang Wei", "phone": "13800138000"}
        )
        cls.category_billing = cls.env.ref(
            "complaint_handling.helpdesk_ticket_category_billing_overcharge"
        )
        cls.category_signal = cls.env.ref(
            "complaint_handling.helpdesk_ticket_category_signal_weak_signal"
        )
        cls.channel_hotline = cls.env.ref(
            "complaint_handling.helpdesk_ticket_channel_hotline"
        )

    @classmethod
    def _complaint_vals(cls, **values):
        vals = {
            "kind": "complaint",
            "name": "Charged twice for the monthly plan",
            "description": "<p>My bill of October shows the plan fee twice.</p>",
            "partner_id": cls.customer.id,
            "partner_name": cls.customer.name,
            "contact_phone": "19999990001",
            "service_number": "19999990001",
            "account_number": "GD-2026-0001",
            "id_document_type": "resident_id",
            "id_number": VALID_ID,
            "business_line": "mobile",
            "category_id": cls.category_billing.id,
            "channel_id": cls.channel_hotline.id,
            "severity": "general",
            "urgency": "normal",
            "team_id": cls.team.id,
        }
        vals.update(values)
        return vals

    @classmethod
    def _create_complaint(cls, user=None, **values):
        model = cls.env["helpdesk.ticket"]
        vals = cls._complaint_vals(**values)
        if user:
            model = model.with_user(user)
            vals = cls._as_entered_by(user, vals)
        return model.create(vals)

    @classmethod
    def _as_entered_by(cls, user, vals):
        """``vals`` as ``user`` enters them: without the personal data right,
        through the masked twins of the personal fields (write-only)."""
        if user.has_group(PERSONAL_DATA_GROUP):
            return vals
        return {
            f"{name}_masked" if name in PERSONAL_FIELDS else name: value
            for name, value in vals.items()
        }

    def _drive_to(self, ticket, step):
        """Drive ``ticket`` through the real process, as its handler would."""
        ticket = self._drive(ticket, step)
        self.assertEqual(ticket.complaint_state, step)
        return ticket

    @classmethod
    def _drive(cls, ticket, step):
        """``_drive_to`` for class set-ups (no assertion)."""
        self = cls
        ticket = ticket.with_user(self.handler)
        order = [
            "accepted",
            "handling",
            "solution_confirmed",
            "result_reported",
            "callback_done",
            "closed",
        ]
        current = ticket.complaint_state
        start = order.index(current) + 1 if current in order else 0
        for each in order[start:]:
            if ticket.complaint_state == step:
                break
            if each == "accepted":
                ticket.action_complaint_accept()
            elif each == "handling":
                ticket.action_complaint_start()
            elif each == "solution_confirmed":
                ticket.solution_measures = "Refund the duplicated plan fee."
                ticket.action_complaint_confirm_solution()
            elif each == "result_reported":
                self.env["complaint.feedback"].with_user(self.handler).create(
                    {
                        "ticket_id": ticket.id,
                        "channel": "phone",
                        "conclusion": "The fee was charged twice; it is refunded.",
                    }
                )
                ticket.action_complaint_report_result()
            elif each == "callback_done":
                self.env["complaint.callback"].with_user(self.handler).create(
                    {
                        "ticket_id": ticket.id,
                        "reached": True,
                        "satisfaction": "5",
                        "problem_solved": True,
                    }
                )
            elif each == "closed":
                ticket.action_complaint_close()
        return ticket


class ComplaintPartnerCommon(ComplaintCommon):
    """Two partner organisations under agreement, their agents, and a customer
    with a portal login."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.org = Partner.create(
            {
                "name": "Yuexin Service Co.",
                "is_company": True,
                "complaint_partner_org": True,
            }
        )
        cls.other_org = Partner.create(
            {
                "name": "Huacheng Care Ltd.",
                "is_company": True,
                "complaint_partner_org": True,
            }
        )
        Agreement = cls.env["complaint.partner.agreement"]
        cls.agreement = Agreement.create(
            {
                "name": "SA-2026-001",
                "partner_org_id": cls.org.id,
                "date_start": "2026-01-01",
                "date_end": "2027-12-31",
            }
        )
        cls.other_agreement = Agreement.create(
            {
                "name": "SA-2026-002",
                "partner_org_id": cls.other_org.id,
                "date_start": "2026-01-01",
            }
        )
        agent_group = "complaint_handling.complaint_handling_group_partner_agent"
        supervisor_group = (
            "complaint_handling.complaint_handling_group_partner_supervisor"
        )
        cls.agent = cls._new_agent("cp_agent", "Liu Yang", cls.org, agent_group)
        cls.agent2 = cls._new_agent("cp_agent2", "Sun Li", cls.org, agent_group)
        cls.org_supervisor = cls._new_agent(
            "cp_org_sup", "Zhou Min", cls.org, supervisor_group
        )
        cls.other_agent = cls._new_agent(
            "cp_other_agent", "Wu Gang", cls.other_org, agent_group
        )
        # Customers choose the complaint type in the portal (helpdesk_mgmt's
        # setting, off by default: the handler then classifies).
        cls.env.company.helpdesk_mgmt_portal_select_category = True
        cls.portal_customer = new_test_user(
            cls.env,
            login="cp_customer",
            name="Zhang Wei",
            groups="base.group_portal",
            email="zhang.wei@example.com",
        )
        cls.other_customer = new_test_user(
            cls.env,
            login="cp_customer_other",
            name="Ma Jun",
            groups="base.group_portal",
            email="ma.jun@example.com",
        )

    @classmethod
    def _new_agent(cls, login, name, org, group):
        user = new_test_user(
            cls.env,
            login=login,
            name=name,
            groups=group,
            email=f"{login}@example.com",
        )
        user.partner_id.parent_id = org
        return user

    @classmethod
    def _handed_complaint(cls, acknowledged=True, **values):
        """A complaint handed to ``cls.org`` (acknowledged by ``cls.agent``)."""
        values.setdefault("partner_id", cls.portal_customer.partner_id.id)
        ticket = cls._create_complaint(**values)
        ticket.with_user(cls.handler).action_complaint_accept()
        ticket.env["complaint.transfer"].with_user(cls.handler)._hand_off(
            ticket, cls.agreement, note="Please call"
        )
        if acknowledged:
            ticket.with_user(cls.agent).transfer_id.action_acknowledge()
        return ticket
