# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError

from .common import ComplaintCommon


class TestComplaintRetention(ComplaintCommon):
    def _closed_complaint(self, when, **values):
        with freeze_time(when):
            ticket = self._create_complaint(**values)
            self.env["complaint.handling.log"].create(
                {
                    "ticket_id": ticket.id,
                    "log_type": "note",
                    "description": "Zhang Wei lives at 5 Tianhe Road",
                }
            )
            self.env["ir.attachment"].create(
                {
                    "name": "bill.pdf",
                    "raw": b"%PDF bill of Zhang Wei",
                    "res_model": "helpdesk.ticket",
                    "res_id": ticket.id,
                }
            )
            ticket.message_post(body="Called 19999990001 about the bill.")
            # Changes of records created in the same transaction are not
            # tracked: end the creation's transaction work first.
            self.env.flush_all()
            self.cr.precommit.run()
            ticket.with_user(self.handler).with_context(
                tracking_disable=False, mail_notrack=False
            ).write(
                {
                    "contact_phone_masked": "13911112222",
                    "solution_measures": "Refund the fee to 13911112222.",
                }
            )
            self.env.flush_all()
            self.cr.precommit.run()
            self._drive_to(ticket, "closed")
        return ticket

    def test_kept_within_retention(self):
        ticket = self._closed_complaint("2026-03-02 10:00:00")
        self.assertEqual(str(ticket.retention_until), "2028-03-02")
        with freeze_time("2028-03-01 12:00:00"):
            with self.assertRaisesRegex(UserError, "archive it instead"):
                ticket.sudo().unlink()
            with self.assertRaisesRegex(UserError, "messages of complaint"):
                ticket.message_ids.sudo().unlink()
            with self.assertRaisesRegex(UserError, "files of complaint"):
                ticket.attachment_ids.sudo().unlink()
            with self.assertRaisesRegex(UserError, "records of complaint"):
                ticket.handling_log_ids.sudo().unlink()
        # An open complaint has no end of retention yet.
        open_one = self._create_complaint()
        with self.assertRaisesRegex(UserError, "archive it instead"):
            open_one.sudo().unlink()
        self.assertTrue(ticket.exists() and open_one.exists())

    def test_retention_period_is_configurable_but_at_least_a_year(self):
        with self.assertRaises(ValidationError):
            self.company.complaint_retention_years = 0
        ticket = self._closed_complaint("2026-03-02 10:00:00")
        self.company.complaint_retention_years = 5
        self.assertEqual(str(ticket.retention_until), "2031-03-02")

    def test_legal_hold(self):
        ticket = self._closed_complaint("2020-03-02 10:00:00")
        with self.assertRaisesRegex(UserError, "Only a supervisor"):
            ticket.with_user(self.handler).legal_hold = True
        ticket.with_user(self.supervisor).legal_hold = True
        with self.assertRaisesRegex(UserError, "archive it instead"):
            ticket.sudo().unlink()
        self.assertFalse(self.env["helpdesk.ticket"]._cron_anonymize_expired())
        self.assertEqual(ticket.contact_phone, "+8613911112222")

    def test_closing_date_is_the_process_s(self):
        """The closing date decides the retention: nobody writes it."""
        ticket = self._create_complaint(user=self.handler)
        with self.assertRaisesRegex(UserError, "closing date"):
            ticket.with_user(self.handler).write({"closed_date": "2020-01-01"})
        with self.assertRaisesRegex(UserError, "closing date"):
            ticket.with_user(self.supervisor).write({"closed_date": "2020-01-01"})
        with self.assertRaisesRegex(UserError, "closing date"):
            self._create_complaint(
                user=self.handler,
                service_number="13900000008",
                closed_date="2020-01-01 00:00:00",
            )
        self.assertFalse(ticket.closed_date)
        self._drive_to(ticket, "closed")
        self.assertTrue(ticket.closed_date, "set by closing")

    def test_trail_is_neither_rewritten_nor_moved(self):
        """Within retention the messages and files of a complaint (and of its
        records) keep their content and their record, whoever asks: mail's
        edit route, a merge wizard moving messages, a file replaced."""
        ticket = self._create_complaint(user=self.handler)
        other = self._create_complaint(service_number="13900000009")
        as_handler = ticket.with_user(self.handler)
        message = as_handler.message_post(
            body="Called the customer at 10:00.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        with self.assertRaisesRegex(UserError, "post a new message"):
            as_handler._message_update_content(message, "Called at 11:00.")
        with self.assertRaisesRegex(UserError, "post a new message"):
            ticket.sudo().message_change_thread(other.sudo())
        self.assertEqual((message.model, message.res_id), (ticket._name, ticket.id))
        self.assertIn("10:00", message.body)
        remedy = (
            self.env["complaint.remedy"]
            .with_user(self.handler)
            .create(
                {
                    "ticket_id": ticket.id,
                    "remedy_type": "apology",
                    "description": "Apologise by phone.",
                }
            )
        )
        files = self.env["ir.attachment"].create(
            [
                {
                    "name": "bill.pdf",
                    "raw": b"%PDF bill",
                    "res_model": "helpdesk.ticket",
                    "res_id": ticket.id,
                },
                {
                    "name": "apology.txt",
                    "raw": b"Sorry",
                    "res_model": "complaint.remedy",
                    "res_id": remedy.id,
                },
            ]
        )
        for file in files:
            for vals in (
                {"res_id": other.id, "res_model": "helpdesk.ticket"},
                {"res_model": "res.partner", "res_id": self.customer.id},
                {"raw": b"replaced"},
                {"datas": "cmVwbGFjZWQ="},
            ):
                with (
                    self.subTest(file=file.name, vals=vals),
                    self.assertRaisesRegex(UserError, "add a new file"),
                ):
                    file.sudo().write(vals)
        self.assertEqual(files[0].raw, b"%PDF bill")
        self.assertEqual(files[1].res_id, remedy.id)
        # A file put on the complaint (the chatter's pending upload) is welcome.
        pending = self.env["ir.attachment"].create(
            {"name": "photo.png", "raw": b"png", "res_model": "mail.compose.message"}
        )
        pending.write({"res_model": "helpdesk.ticket", "res_id": ticket.id})
        self.assertIn(pending, ticket.attachment_ids)

    def test_anonymisation_of_an_answered_technical_request(self):
        """A sent technical answer is frozen for users, not for the retention
        job (one such complaint used to stop every batch)."""
        with freeze_time("2023-05-10 10:00:00"):
            old = self._create_complaint()
            request = self.env["complaint.handling.log"].create(
                {
                    "ticket_id": old.id,
                    "log_type": "tech_request",
                    "description": "Check the line of Zhang Wei, 5 Tianhe Road.",
                }
            )
            request.tech_answer = "Line of 19999990001 repaired."
            request.action_answer_tech_request()
            self._drive_to(old, "closed")
        with self.assertRaisesRegex(UserError, "sent technical answer"):
            request.with_user(self.handler).write({"tech_answer": "Other"})
        done = self.env["helpdesk.ticket"]._cron_anonymize_expired()
        self.assertEqual(done, old)
        self.assertEqual(request.description, "(anonymised)")
        self.assertFalse(request.tech_answer)

    def test_anonymisation_job(self):
        lonely = self.env["res.partner"].create(
            {"name": "Wu Xia", "phone": "13700001111", "street": "5 Tianhe Road"}
        )
        old = self._closed_complaint(
            "2023-05-10 10:00:00",
            name="Wu Xia overcharged",
            partner_id=lonely.id,
            partner_name=lonely.name,
        )
        recent = self._closed_complaint("2026-05-10 10:00:00")
        stats = (
            old.category_id,
            old.severity,
            old.complaint_state,
            old.satisfaction,
            old.first_contact_resolution,
            old.received_date,
            old.closed_date,
        )
        tracked = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "helpdesk.ticket"),
                    ("mail_message_id.res_id", "=", old.id),
                ]
            )
        )
        self.assertIn(
            "Refund the fee to 13911112222.", tracked.mapped("new_value_text")
        )
        done = self.env["helpdesk.ticket"]._cron_anonymize_expired()
        self.assertEqual(done, old)
        self.assertTrue(old.anonymized_date)
        for name in ("contact_phone", "service_number", "account_number", "id_number"):
            self.assertFalse(old[name], name)
        self.assertEqual(old.name, "(anonymised)")
        self.assertFalse(old.partner_id, "a customer with no other use is detached")
        self.assertEqual(lonely.name, "(anonymised)")
        self.assertFalse(lonely.active)
        self.assertFalse(lonely.phone or lonely.street)
        self.assertEqual(recent.partner_id, self.customer)
        self.assertFalse(old.attachment_ids)
        self.assertEqual(
            old.handling_log_ids.mapped("description"),
            ["(anonymised)"] * len(old.handling_log_ids),
        )
        bodies = " ".join(old.message_ids.mapped("body"))
        self.assertNotIn("19999990001", bodies)
        tracked = self.env["mail.tracking.value"].search(
            [("mail_message_id", "in", old.message_ids.ids)]
        )
        self.assertTrue(tracked, "the tracking values stay, emptied")
        self.assertFalse(
            [
                v
                for name in (
                    "old_value_char",
                    "new_value_char",
                    "old_value_text",
                    "new_value_text",
                )
                for v in tracked.mapped(name)
                if v
            ]
        )
        self.assertEqual(
            (
                old.category_id,
                old.severity,
                old.complaint_state,
                old.satisfaction,
                old.first_contact_resolution,
                old.received_date,
                old.closed_date,
            ),
            stats,
        )
        entry = (
            self.env["complaint.personal.access.log"]
            .sudo()
            .search([("ticket_id", "=", old.id)])
        )
        self.assertEqual(entry.operation, "anonymise")
        # The recent complaint is untouched; a second run does nothing.
        self.assertEqual(recent.contact_phone, "+8613911112222")
        self.assertFalse(recent.anonymized_date)
        self.assertFalse(self.env["helpdesk.ticket"]._cron_anonymize_expired())
        # Past retention, a complaint may now be deleted.
        old.sudo().unlink()
        self.assertFalse(old.exists())

    def test_anonymisation_empties_the_remedies_chatter(self):
        old = self._closed_complaint("2023-05-10 10:00:00")
        remedy = (
            self.env["complaint.remedy"]
            .sudo()
            .create(
                {
                    "ticket_id": old.id,
                    "remedy_type": "apology",
                    "description": "Apologise to 13911112222.",
                }
            )
        )
        remedy.message_post(body="Approved: call 13911112222 back.")
        remedy.activity_schedule(
            "complaint_handling.mail_activity_type_remedy_approval",
            note="Call 13911112222.",
            user_id=self.supervisor.id,
        )
        self.env["helpdesk.ticket"]._cron_anonymize_expired()
        self.assertTrue(old.anonymized_date)
        bodies = " ".join(str(body) for body in remedy.message_ids.mapped("body"))
        self.assertNotIn("13911112222", bodies)
        self.assertFalse(remedy.activity_ids)

    def test_anonymisation_resumes_batch_by_batch(self):
        tickets = self._closed_complaint(
            "2023-05-10 10:00:00"
        ) | self._closed_complaint("2023-05-11 10:00:00", service_number="19999990002")
        first = self.env["helpdesk.ticket"]._cron_anonymize_expired(batch=1)
        self.assertEqual(len(first), 1)
        self.assertEqual(len(tickets.filtered("anonymized_date")), 1)
        second = self.env["helpdesk.ticket"]._cron_anonymize_expired(batch=1)
        self.assertEqual(first | second, tickets)
        with self.assertRaisesRegex(UserError, "Only the retention job"):
            tickets.with_user(self.manager).write({"anonymized_date": False})
