# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.complaint_handling.tools.constants import PARTNER_SUPERVISOR_GROUP
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

SCORECARD_MODEL = "complaint.scorecard"


class ComplaintScorecardPortal(CustomerPortal):
    """The scorecards of a partner organisation, read by its supervisor
    agents: read-only, as the user (the record rules decide)."""

    _scorecards_per_page = 20

    @staticmethod
    def _scorecard_is_reader():
        user = request.env.user
        return bool(
            user.has_group(PARTNER_SUPERVISOR_GROUP)
            and user.commercial_partner_id.complaint_partner_org
        )

    def _scorecard_check_role(self):
        if not self._scorecard_is_reader():
            raise request.not_found()

    @staticmethod
    def _scorecard_domain():
        return [("partner_org_id", "=", request.env.user.commercial_partner_id.id)]

    def _scorecard_get(self, scorecard_id):
        """The scorecard as the user reads it; a 404 when the user may not
        read it, it does not exist or is another organisation's."""
        self._scorecard_check_role()
        scorecard = request.env[SCORECARD_MODEL].browse(scorecard_id)
        try:
            scorecard.check_access("read")
            scorecard = scorecard.exists()
        except (AccessError, MissingError):
            raise request.not_found() from None
        if not scorecard or not scorecard.filtered_domain(self._scorecard_domain()):
            raise request.not_found()
        return scorecard

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "scorecard_count" in counters:
            values["scorecard_count"] = (
                request.env[SCORECARD_MODEL].search_count(self._scorecard_domain())
                if self._scorecard_is_reader()
                else 0
            )
        return values

    @http.route(
        ["/my/complaint-scorecards", "/my/complaint-scorecards/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_complaint_scorecards(self, page=1, **kw):
        self._scorecard_check_role()
        Scorecard = request.env[SCORECARD_MODEL]
        domain = self._scorecard_domain()
        pager = portal_pager(
            url="/my/complaint-scorecards",
            total=Scorecard.search_count(domain),
            page=page,
            step=self._scorecards_per_page,
        )
        scorecards = Scorecard.search(
            domain, limit=self._scorecards_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "scorecards": scorecards,
                "scorecard": None,
                "page_name": "complaint_scorecard",
                "pager": pager,
                "default_url": "/my/complaint-scorecards",
            }
        )
        return request.render(
            "complaint_reports.portal_my_complaint_scorecards", values
        )

    @http.route(
        ["/my/complaint-scorecards/<int:scorecard_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_complaint_scorecard(self, scorecard_id, **kw):
        scorecard = self._scorecard_get(scorecard_id)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "complaint_scorecard",
                "scorecard": scorecard,
                "lines": scorecard.line_ids,
            }
        )
        return request.render(
            "complaint_reports.portal_complaint_scorecard_page", values
        )
