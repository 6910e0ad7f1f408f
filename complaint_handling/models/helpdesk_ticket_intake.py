# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL


# helpdesk.ticket is split by concern on purpose, one file each (as Odoo
# splits mail.thread): pylint-odoo would have one class.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    """Intake: numbering and first stage of new complaints (batched), the
    time bar, and repeat complaints."""

    _inherit = "helpdesk.ticket"

    def _complaint_time_bar_date(self):
        self.ensure_one()
        company = self.company_id or self.env.company
        months = (
            company.complaint_billing_time_bar_months
            if self.category_id.billing_dispute
            else company.complaint_general_time_bar_months
        )
        received = (
            fields.Datetime.to_datetime(self.received_date) or fields.Datetime.now()
        )
        return received.date() - relativedelta(months=months)

    def _complaint_detect_repeats(self):
        """Link each complaint to the earlier ones of the same customer or
        service number and the same type within the company's window.
        One search for the whole batch."""
        # The service numbers are read as superuser (the user recording the
        # complaint may not have the personal data right); only links and
        # numbers come out.
        candidates = self.sudo().filtered(
            lambda t: t.category_id and (t.partner_id or t.service_number)
        )
        if not candidates:
            return
        index = candidates._complaint_repeat_index()
        bodies, links = {}, []
        for ticket in candidates:
            matches = ticket._complaint_repeat_matches(index)
            if matches:
                links.append((ticket, [fields.Command.set(matches.ids)]))
                bodies[ticket.id] = self._complaint_repeat_note(matches)
        if links:
            # One insert into the relation for the whole batch, instead of a
            # write per complaint (the field is the process's, never a user's).
            repeats = self.browse(list(bodies))
            repeats.modified(["repeat_of_ids"], before=True)
            self._fields["repeat_of_ids"].write_batch(links)
            repeats.modified(["repeat_of_ids"])
            repeats._message_log_batch(bodies=bodies)

    def _complaint_repeat_note(self, matches):
        """The note on a repeat complaint. Everyone who reads the complaint
        reads it: confidential earlier complaints are counted, not named."""
        hidden = matches.filtered("confidential")
        numbers = ", ".join((matches - hidden).sorted("id").mapped("number"))
        if not hidden:
            return self.env._(
                "Repeat complaint: the customer complained about the same type "
                "in %(numbers)s.",
                numbers=numbers,
            )
        if not numbers:
            return self.env._(
                "Repeat complaint: the customer complained about the same type "
                "in %(count)s confidential complaint(s).",
                count=len(hidden),
            )
        return self.env._(
            "Repeat complaint: the customer complained about the same type in "
            "%(numbers)s and in %(count)s confidential complaint(s).",
            numbers=numbers,
            count=len(hidden),
        )

    def _complaint_repeat_index(self):
        """The complaints that may be repeated by those of ``self``, indexed by
        (company, type, "partner" or "number", customer or number)."""
        window = max(self.company_id.mapped("complaint_repeat_window_days"))
        start = min(self.mapped("received_date")) - timedelta(days=window)
        # Detection must see every earlier complaint of the company, whoever
        # records the new one (an integration user sees only its own): search as
        # superuser, restricted to the companies of the batch. Only the links
        # and numbers are kept; reading the linked complaints stays subject to
        # the user's rights.
        earlier = self.sudo().search(
            [
                ("company_id", "in", self.company_id.ids),
                ("kind", "=", "complaint"),
                ("category_id", "in", self.category_id.ids),
                ("received_date", ">=", start),
                ("received_date", "<=", max(self.mapped("received_date"))),
                "|",
                ("partner_id", "in", self.partner_id.ids),
                (
                    "service_number",
                    "in",
                    [n for n in self.mapped("service_number") if n],
                ),
            ]
        )
        index = defaultdict(list)
        for other in earlier:
            key = (other.company_id.id, other.category_id.id)
            if other.partner_id:
                index[(*key, "partner", other.partner_id.id)].append(other)
            if other.service_number:
                index[(*key, "number", other.service_number)].append(other)
        return index

    def _complaint_repeat_matches(self, index):
        """The earlier complaints of ``index`` this complaint repeats."""
        self.ensure_one()
        key = (self.company_id.id, self.category_id.id)
        since = self.received_date - timedelta(
            days=self.company_id.complaint_repeat_window_days
        )
        found = index[(*key, "partner", self.partner_id.id)] if self.partner_id else []
        if self.service_number:
            found = found + index[(*key, "number", self.service_number)]
        return self.browse(
            {
                other.id
                for other in found
                if since <= other.received_date <= self.received_date
                and (other.received_date, other.id) < (self.received_date, self.id)
            }
        )

    @api.model
    def _complaint_prepare_numbers(self, vals_list):
        """Number the new complaints of a batch: one sequence lookup per company
        and, for a standard sequence, one query for all the numbers (instead of
        helpdesk_mgmt's lookup and query per ticket)."""
        by_company = defaultdict(list)
        for vals in vals_list:
            if vals.get("number", "/") == "/":
                by_company[vals.get("company_id") or self.env.company.id].append(vals)
        for company_id, items in by_company.items():
            sequences = self.env["ir.sequence"].with_company(company_id)
            sequences.browse().check_access("read")
            sequence = sequences.search(
                [
                    ("code", "=", "complaint.ticket.sequence"),
                    ("company_id", "in", [company_id, False]),
                ],
                order="company_id",
                limit=1,
            )
            if not sequence:
                continue  # helpdesk_mgmt's ticket numbering applies
            if sequence.implementation == "standard" and not sequence.use_date_range:
                self.env.cr.execute(
                    SQL(
                        "SELECT nextval(%s) FROM generate_series(1, %s)",
                        f"ir_sequence_{sequence.id:03d}",
                        len(items),
                    )
                )
                numbers = [
                    sequence.get_next_char(value)
                    for value in sorted(row[0] for row in self.env.cr.fetchall())
                ]
            else:
                numbers = [sequence._next() for _vals in items]
            for vals, number in zip(items, numbers, strict=True):
                vals["number"] = number

    @api.model
    def _complaint_prepare_stages(self, vals_list):
        """The first stage of each new complaint's team, looked up once per team
        of the batch (helpdesk_mgmt searches it for every ticket)."""
        first_stage = {}
        for vals in vals_list:
            team_id = vals.get("team_id")
            if "stage_id" in vals or not team_id:
                continue
            if team_id not in first_stage:
                team = self.env["helpdesk.ticket.team"].browse(team_id)
                first_stage[team_id] = team._get_applicable_stages()[:1].id
            vals["stage_id"] = first_stage[team_id]

    def _prepare_ticket_number(self, values):
        kind = values.get("kind") or self.env.context.get("default_kind")
        if kind == "complaint":
            seq = self.env["ir.sequence"]
            if values.get("company_id"):
                seq = seq.with_company(values["company_id"])
            number = seq.next_by_code("complaint.ticket.sequence")
            if number:
                return number
        return super()._prepare_ticket_number(values)
