# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from stdnum.cn.ric import calc_check_digit

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..tools.constants import PROCESS
from .common import ComplaintPartnerCommon


def resident_id(first17):
    """A resident identity card number with its right check digit
    (``calc_check_digit`` reads the first 17 characters of a full number)."""
    return first17 + calc_check_digit(first17 + "0")


@tagged("post_install", "-at_install")
class TestComplaintEvents(ComplaintPartnerCommon):
    """``_complaint_event`` is the one hook other addons listen to: fired once
    per batch, after the change, with the records the event made."""

    def _listen(self):
        """Record the events fired (the original hook still runs)."""
        calls = []
        Ticket = type(self.env["helpdesk.ticket"])
        original = Ticket._complaint_event

        def spy(tickets, event, records=None, when=None):
            calls.append((event, tickets, records))
            return original(tickets, event, records=records, when=when)

        return calls, patch.object(Ticket, "_complaint_event", spy)

    def _events(self, calls, event):
        return [(tickets, records) for name, tickets, records in calls if name == event]

    def test_once_per_batch(self):
        tickets = self.env["helpdesk.ticket"].create(
            [self._complaint_vals(service_number=f"1380000000{i}") for i in range(3)]
        )
        calls, spy = self._listen()
        with spy:
            tickets.with_user(self.handler).action_complaint_accept()
        accepted = self._events(calls, "accepted")
        self.assertEqual(len(accepted), 1, "one event for the batch")
        self.assertEqual(accepted[0][0], tickets)
        self.assertEqual(len(self._events(calls, "stage")), 1)
        # Written before the event: listeners see the new step.
        self.assertEqual(set(tickets.mapped("complaint_state")), {"accepted"})
        with spy:
            tickets.with_user(self.supervisor)._complaint_escalate(
                "group_risk", "Three customers of one building."
            )
        escalated = self._events(calls, "escalated")
        self.assertEqual(len(escalated), 1)
        self.assertEqual(escalated[0][0], tickets)
        self.assertEqual(escalated[0][1], tickets.escalation_ids)
        self.assertEqual(len(escalated[0][1]), 3)

    def test_received_and_step_events(self):
        calls, spy = self._listen()
        with spy:
            ticket = self._create_complaint(user=self.handler)
            self._drive_to(ticket, "closed")
        names = [name for name, _tickets, _records in calls if name != "stage"]
        # Each step of the main line, in order, once.
        self.assertEqual(names, PROCESS)

    def test_hand_off_events(self):
        ticket = self._create_complaint()
        ticket.with_user(self.handler).action_complaint_accept()
        calls, spy = self._listen()
        with spy:
            transfers = self.env["complaint.transfer"].with_user(self.handler)
            transfer = transfers._hand_off(ticket, self.agreement)
            ticket.with_user(self.agent).transfer_id.action_acknowledge()
            log = ticket.with_user(self.agent).transfer_id.action_add_log(
                {
                    "log_type": "contact",
                    "contact_result": "reached",
                    "description": "Called the customer.",
                }
            )
            ticket.transfer_id.with_user(self.agent).action_return(
                "incomplete", "The bill number is missing."
            )
        names = [name for name, _tickets, _records in calls if name != "stage"]
        self.assertEqual(
            names,
            ["transferred", "handling", "acknowledged", "first_contact", "returned"],
        )
        events = {name: records for name, _tickets, records in calls}
        self.assertEqual(events["transferred"], transfer)
        self.assertEqual(events["acknowledged"], transfer)
        self.assertEqual(events["first_contact"], log)
        self.assertEqual(events["returned"], transfer)
        self.assertEqual(transfer.state, "returned")

    def test_process_fields_need_the_process(self):
        """Process fields go through ``write`` (other addons see them), but a
        client cannot pass itself off as the process."""
        ticket = self._create_complaint(user=self.handler)
        forged = ticket.with_user(self.handler).with_context(complaint_process=True)
        with self.assertRaisesRegex(UserError, "set by the complaint process"):
            forged.write({"handling_round": 5})
        self.assertEqual(ticket.handling_round, 1)

    def test_step_labels_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_handling"], ["zh_CN"], overwrite=True
        )
        ticket = self._create_complaint(contact_phone=False)
        with self.assertRaises(UserError) as error:
            ticket.with_user(self.handler).with_context(
                lang="zh_CN"
            ).action_complaint_accept()
        message = str(error.exception)
        self.assertIn("已受理", message)
        self.assertNotIn("Accepted", message)


@tagged("post_install", "-at_install")
class TestComplaintIdentifiers(ComplaintPartnerCommon):
    def test_phone_numbers_by_region(self):
        accepted = {
            "13800138000": "+8613800138000",  # mainland mobile
            "138 0013 8000": "+8613800138000",
            "020-87654321": "+862087654321",  # Guangzhou landline
            "(0755) 8888 6666": "+8675588886666",  # Shenzhen landline
            "+852 9123 4567": "+85291234567",  # Hong Kong
            "+853 6612 3456": "+85366123456",  # Macao
            "+886 912 345 678": "+886912345678",  # Taiwan
            "+44 20 7946 0958": "+442079460958",  # abroad
            "0086 13800138000": "+8613800138000",
        }
        for given, stored in accepted.items():
            with self.subTest(phone=given):
                ticket = self._create_complaint(user=self.handler, contact_phone=given)
                self.assertEqual(ticket.sudo().contact_phone, stored)
        refused = [
            "12345",  # too short
            "1380013800",  # a mobile digit short
            "23800138000",  # no such prefix
            "+852 1234",  # Hong Kong, too short
            "+999 12345678",  # no such country
            "call me",
        ]
        for given in refused:
            with (
                self.subTest(phone=given),
                self.assertRaisesRegex(ValidationError, "contact phone is not valid"),
            ):
                self._create_complaint(user=self.handler, contact_phone=given)

    def test_resident_id_numbers(self):
        good = [
            resident_id("11010519491231002"),  # Beijing, Chaoyang
            resident_id("44190019830922153"),  # Dongguan: no counties
            resident_id("44200019750303126"),  # Zhongshan: no counties
        ]
        for number in good:
            with self.subTest(number=number):
                ticket = self._create_complaint(id_number=number)
                self.assertEqual(ticket.id_number, number)
        bad = {
            "birth date 13th month": resident_id("11010519491331002"),
            "birth date 30 February": resident_id("11010519900230002"),
            "unknown province": resident_id("99010519491231002"),
            "wrong check digit": "110105194912310021",
            "too short": "11010519491231",
        }
        for why, number in bad.items():
            with (
                self.subTest(why=why),
                self.assertRaisesRegex(ValidationError, "resident identity card"),
            ):
                self._create_complaint(id_number=number)

    def test_phone_masks_keep_few_digits(self):
        ticket = self._create_complaint(contact_phone="+852 9123 4567")
        (values,) = ticket.with_user(self.handler).read(["contact_phone_masked"])
        self.assertEqual(values["contact_phone_masked"], "+852****4567")
        ticket.contact_phone = "020-87654321"
        (values,) = ticket.with_user(self.handler).read(["contact_phone_masked"])
        self.assertEqual(values["contact_phone_masked"], "+8620****4321")

    def test_reveal_is_for_staff_only(self):
        ticket = self._handed_complaint()
        for user in (self.portal_customer, self.agent):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                ticket.with_user(user).with_context(
                    reveal_field="id_number"
                ).action_complaint_reveal()
