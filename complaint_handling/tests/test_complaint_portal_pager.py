# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.sql_db import Cursor
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from ..controllers.portal import PAGER_LOOKAHEAD, ComplaintPortal, capped_pager
from .common import ComplaintPartnerCommon

PER_PAGE = 2
HANDED = 13  # 7 pages of 2; page 1 counts (1 + 4) pages and one more: 11


@tagged("post_install", "-at_install")
class TestComplaintPortalPager(HttpCase, ComplaintPartnerCommon):
    """The complaint lists' pager counts no further than the pages it links
    to (issue 17): the list costs the same at 500,000 handed complaints as at
    5,000. Two complaints a page here, so that a few make many pages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        received = datetime(2026, 3, 2, 9, 0)
        tickets = cls.env["helpdesk.ticket"].create(
            [
                cls._complaint_vals(
                    partner_id=cls.portal_customer.partner_id.id,
                    name=f"Pager complaint {i}",
                    received_date=received + timedelta(minutes=i),
                )
                for i in range(HANDED)
            ]
        )
        tickets.with_user(cls.handler).action_complaint_accept()
        cls.env["complaint.transfer"].with_user(cls.handler)._hand_off(
            tickets, cls.agreement, note="Please call"
        )
        cls.tickets = tickets
        # The list's order: the newest received first.
        cls.newest_first = tickets.sorted(
            lambda t: (t.received_date, t.id), reverse=True
        ).mapped("number")

    def setUp(self):
        super().setUp()
        self.startPatcher(
            patch.object(ComplaintPortal, "_complaints_per_page", PER_PAGE)
        )

    def _page(self, url):
        """The complaint numbers listed, the page numbers of the pager and
        the page its "next" leads to (None: disabled)."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        html = response.text
        numbers = re.findall(r"<a [^>]*\bo_complaint_link\b[^>]*>([^<]+)</a>", html)
        pager = re.search(r'<ul [^>]*class="[^"]*\bpagination\b.*?</ul>', html, re.S)
        if not pager:
            return numbers, [], None
        pager = pager[0]
        pages = [
            int(n)
            for n in re.findall(r'<a [^>]*class="page-link[^"]*"[^>]*>(\d+)</a>', pager)
        ]
        after = re.search(r"<a ([^>]*)>\s*<span [^>]*fa-chevron-right", pager)[1]
        target = re.search(r'href="([^"]*)"', after)
        if not target:
            return numbers, pages, None
        page = re.match(r"/my/complaints(?:/page/(\d+))?\?", target[1])
        return numbers, pages, int(page[1] or 1)

    def _queries(self, url):
        """The queries of a request to ``url``: [(code, params)]."""
        queries = []
        execute = Cursor.execute

        def spy(cursor, query, params=None, log_exceptions=None):
            if isinstance(query, SQL):
                queries.append((query.code, query.params))
            else:
                queries.append((query, params))
            return execute(cursor, query, params, log_exceptions)

        with patch.object(Cursor, "execute", spy):
            self.assertEqual(self.url_open(url).status_code, 200)
        return queries

    def test_count_stops_past_the_pages_linked(self):
        self.authenticate("cp_agent", "cp_agent")
        self.url_open("/my/complaints?filterby=all")  # warm the caches
        counts = [
            (code, params)
            for code, params in self._queries("/my/complaints?filterby=all")
            if re.search(r"count\(", code, re.I) and '"helpdesk_ticket"' in code
        ]
        self.assertEqual(len(counts), 1, counts)
        code, params = counts[0]
        # Page 1 of 2 complaints: five pages linked, one complaint beyond.
        self.assertRegex(code, r"(?is)select\s+count\(\*\)\s+from\s*\(.*\blimit\b")
        self.assertIn((1 + PAGER_LOOKAHEAD) * PER_PAGE + 1, params)
        # Deeper, the count reaches further: page 3 counts up to page 7.
        counts = [
            params
            for code, params in self._queries("/my/complaints/page/3?filterby=all")
            if re.search(r"count\(", code, re.I) and '"helpdesk_ticket"' in code
        ]
        self.assertEqual(len(counts), 1, counts)
        self.assertIn((3 + PAGER_LOOKAHEAD) * PER_PAGE + 1, counts[0])

    def test_agent_pages_list_the_right_complaints(self):
        self.assertEqual(PAGER_LOOKAHEAD, 4)  # the figures below
        self.authenticate("cp_agent", "cp_agent")
        expected = self.newest_first
        page = self._page("/my/complaints?filterby=all")
        self.assertEqual(page, (expected[:2], [1, 2, 3, 4, 5], 2))
        page = self._page("/my/complaints/page/2?filterby=all")
        self.assertEqual(page, (expected[2:4], [1, 2, 3, 4, 5], 3))
        # Page 5 (counted to the end): its window reaches the last page, 7.
        page = self._page("/my/complaints/page/5?filterby=all")
        self.assertEqual(page, (expected[8:10], [3, 4, 5, 6, 7], 6))
        # The last page: one complaint, "next" disabled; past it, the last.
        for url in ("/my/complaints/page/7", "/my/complaints/page/40"):
            page = self._page(url + "?filterby=all")
            self.assertEqual(page, (expected[12:], [3, 4, 5, 6, 7], None))
        # Filtered: the same pager over what the filter keeps.
        for ticket in self.tickets[-3:].with_user(self.agent):
            ticket.transfer_id.action_acknowledge()
        page = self._page("/my/complaints?filterby=to_acknowledge")
        self.assertEqual(page, (expected[3:5], [1, 2, 3, 4, 5], 2))
        page = self._page("/my/complaints/page/5?filterby=to_acknowledge")
        self.assertEqual(page, (expected[11:], [1, 2, 3, 4, 5], None))

    def test_customer_pages_list_the_right_complaints(self):
        self.authenticate("cp_customer", "cp_customer")
        expected = self.newest_first
        page = self._page("/my/complaints?filterby=all")
        self.assertEqual(page, (expected[:2], [1, 2, 3, 4, 5], 2))
        page = self._page("/my/complaints/page/2?filterby=all")
        self.assertEqual(page, (expected[2:4], [1, 2, 3, 4, 5], 3))

    def test_capped_pager_values(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
        domain = [("id", "in", self.tickets.ids)]

        def pager(page, step=PER_PAGE):
            return capped_pager(Ticket, domain, "/my/complaints", page, step)

        # Page 1: 11 counted of 13, capped; the pager ends on page 6.
        values = pager(1)
        self.assertEqual((values["total"], values["total_capped"]), (11, True))
        self.assertEqual(values["page_count"], 6)
        self.assertEqual([p["num"] for p in values["pages"]], [1, 2, 3, 4, 5])
        self.assertEqual((values["offset"], values["page_next"]["num"]), (0, 2))
        # Page 3 counts them all: exact.
        values = pager("3")
        self.assertEqual((values["total"], values["total_capped"]), (13, False))
        self.assertEqual((values["page_count"], values["offset"]), (7, 4))
        # A small list: exact, one page; junk or far pages as portal.pager.
        values = pager(1, step=20)
        self.assertEqual((values["total"], values["total_capped"]), (13, False))
        self.assertEqual(values["page_count"], 1)
        self.assertEqual(pager("x")["page"]["num"], 1)
        self.assertEqual(pager(10**12)["page"]["num"], 7)
        self.assertEqual(pager(10**12)["offset"], 12)
