# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.constants import SUPERVISOR_GROUP


class ComplaintRetentionMixin(models.AbstractModel):
    """Complaint records are kept complete for the retention period after
    closing (or while under legal hold), then anonymised in steps by a job:
    each step a hook, each record of the complaint anonymising its own
    texts (``complaint.record.mixin._complaint_anonymize_records``)."""

    _name = "complaint.retention.mixin"
    _description = "Complaint Retention"

    legal_hold = fields.Boolean(
        tracking=True,
        copy=False,
        help="Under legal hold, the complaint is neither deleted nor anonymised, "
        "whatever its retention date.",
    )
    retention_until = fields.Date(
        string="Kept Until",
        compute="_compute_retention_until",
        store=True,
        index=True,
        help="Closing date plus the company's retention period.",
    )
    anonymized_date = fields.Datetime(
        string="Anonymised On", readonly=True, copy=False, index="btree_not_null"
    )

    @api.depends("closed_date", "company_id.complaint_retention_years")
    def _compute_retention_until(self):
        for ticket in self:
            closed = fields.Datetime.to_datetime(ticket.closed_date)
            years = ticket.company_id.complaint_retention_years or 2
            ticket.retention_until = (
                closed.date() + relativedelta(years=years) if closed else False
            )

    @api.model
    def _cron_anonymize_expired(self, batch=500):
        """Anonymise, batch by batch, the complaints past their retention period
        and not under legal hold. Each batch is marked in its own transaction:
        an interrupted run leaves the rest to the next one."""
        domain = [
            ("kind", "=", "complaint"),
            ("retention_until", "<", fields.Date.context_today(self)),
            ("legal_hold", "=", False),
            ("anonymized_date", "=", False),
        ]
        tickets = self.sudo().search(domain, limit=batch, order="id")
        # What the job writes in place of the data, in each company's language.
        for company, mine in tickets.grouped("company_id").items():
            mine.with_context(lang=company._complaint_lang())._complaint_anonymize()
        if len(tickets) == batch:
            self.env["ir.cron"]._notify_progress(done=len(tickets), remaining=1)
        return tickets

    def _complaint_anonymize(self):
        """Replace the customers' personal data of the complaints in place, in
        steps (each a hook): the complaint's own fields and the customer link
        when the customer has no other use, the free texts of every record of
        the complaint (each model its own), the attachments, the chatter
        bodies and tracking values. What the reports count (kind, type,
        severity, channel, team, organisation, steps, dates, satisfaction,
        first-contact resolution, escalations, remedies' amounts) is kept."""
        tickets = self.sudo().with_context(tracking_disable=True, mail_notrack=True)
        if not tickets:
            return
        kept = tickets._complaint_kept()
        if kept:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is still within its retention period or "
                    "under legal hold.",
                    number=kept[0].number,
                )
            )
        text = self.env._("(anonymised)")
        self.env.flush_all()
        tickets._complaint_anonymize_customers(text)
        tickets._complaint_anonymize_fields(text)
        records = tickets._complaint_anonymize_children(text)
        tickets._complaint_anonymize_attachments(records)
        tickets._complaint_anonymize_messages(records, text)
        self.env["complaint.personal.access.log"]._log(
            tickets, "anonymise", list(self._complaint_personal_fields)
        )

    def _complaint_anonymize_customers(self, text):
        """Customers known only through these complaints are detached from
        them and anonymised."""
        partners = self.partner_id
        other_use = {
            partner.id
            for [partner] in self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("partner_id", "in", partners.ids), ("id", "not in", self.ids)],
                ["partner_id"],
            )
        }
        detached = partners.filtered(
            lambda p: p.id not in other_use and not p.user_ids and not p.is_company
        )
        self.filtered(lambda t: t.partner_id in detached)._complaint_write(
            {"partner_id": False}
        )
        detached.sudo().write(
            {
                "name": text,
                "email": False,
                "phone": False,
                "mobile": False,
                "street": False,
                "street2": False,
                "zip": False,
                "city": False,
                "vat": False,
                "comment": False,
                "active": False,
            }
        )

    def _complaint_anonymize_fields(self, text):
        """The complaint's own personal fields and free texts."""
        self._complaint_write(
            {
                **dict.fromkeys(self._complaint_personal_fields, False),
                "name": text,
                "partner_name": text,
                "partner_email": False,
                "description": Markup("<p>%s</p>") % text,
                "customer_demand": False,
                "solution_measures": False,
                "refuse_explanation": False,
                "anonymized_date": fields.Datetime.now(),
            }
        )

    def _complaint_anonymize_children(self, text):
        """Every record of the complaints (models of ``complaint.record.mixin``,
        whichever addon adds them) anonymises its own texts; return them."""
        records = []
        # The registry's own inheritance graph (no public API lists the models
        # inheriting a mixin): every addon's record models, present or future.
        for name in self.env.registry.descendants(
            ["complaint.record.mixin"], "_inherit"
        ):
            model = self.env[name].sudo()
            if model._abstract or model._transient:
                continue
            mine = model.search([("ticket_id", "in", self.ids)])
            mine._complaint_anonymize_records(text)
            records.append(mine)
        return records

    def _complaint_anonymize_attachments(self, records):
        domain = [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        for mine in records:
            if mine:
                domain = expression.OR(
                    [
                        domain,
                        [("res_model", "=", mine._name), ("res_id", "in", mine.ids)],
                    ]
                )
        self.env["ir.attachment"].sudo().search(domain).unlink()

    def _complaint_anonymize_messages(self, records, text):
        """The chatter of the complaints and of their records that have one
        (remedies' approval activities and their feedback)."""
        threads = [(self._name, self.ids)]
        for mine in records:
            if mine and "message_ids" in mine._fields:
                if "activity_ids" in mine._fields:
                    mine.activity_ids.unlink()
                threads.append((mine._name, mine.ids))
        self.env.flush_all()
        where = SQL(" OR ").join(
            SQL("(model = %s AND res_id = ANY(%s))", model, ids)
            for model, ids in threads
        )
        cr = self.env.cr
        cr.execute(
            SQL(
                "UPDATE mail_message SET body = %s, subject = NULL WHERE %s",
                Markup("<p>%s</p>") % text,
                where,
            )
        )
        cr.execute(
            SQL(
                "UPDATE mail_tracking_value SET old_value_char = NULL, "
                "new_value_char = NULL, old_value_text = NULL, new_value_text = NULL "
                "WHERE mail_message_id IN (SELECT id FROM mail_message WHERE %s)",
                where,
            )
        )
        self.env["mail.message"].invalidate_model(["body", "subject"])
        self.env["mail.tracking.value"].invalidate_model()

    def _complaint_check_retention_vals(self, vals):
        if "anonymized_date" in vals:
            raise UserError(self.env._("Only the retention job anonymises complaints."))
        # The closing date decides the retention: the process sets it (closing
        # stage), nobody writes it on a complaint.
        complaint = (
            vals.get("kind") == "complaint"
            if not self
            else any(ticket.kind == "complaint" for ticket in self)
        )
        if "closed_date" in vals and complaint:
            raise UserError(
                self.env._(
                    "The closing date of a complaint is set when it is closed; it "
                    "decides how long the complaint is kept."
                )
            )

    def _complaint_check_legal_hold_vals(self, vals):
        changes = "legal_hold" in vals and (self or vals["legal_hold"])
        if changes and not self.env.user.has_group(SUPERVISOR_GROUP):
            raise UserError(self.env._("Only a supervisor sets or lifts a legal hold."))

    def _complaint_check_unlink(self):
        """Refuse to delete kept complaints. Called first by the model's
        ``unlink``: a mixin's override would run after the chatter's, which
        deletes the messages first."""
        kept = self._complaint_kept()
        if kept:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is a complaint record kept until the end "
                    "of its retention period (or its legal hold): archive it "
                    "instead.",
                    number=kept[0].number,
                )
            )

    def _complaint_kept(self):
        """The complaints of ``self`` that must be kept: within their retention
        period (not closed yet, or closed less than the period ago) or under
        legal hold."""
        today = fields.Date.context_today(self)
        return self.sudo().filtered(
            lambda t: t.kind == "complaint"
            and (t.legal_hold or not t.retention_until or t.retention_until >= today)
        )
