/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import { registry } from "@web/core/registry";

// Started on /my/complaint-scorecards by
// complaint_reports/tests/test_complaint_scorecard.py as the organisation's
// supervisor agent.
registry.category("web_tour.tours").add("complaint_scorecard_portal_tour", {
    steps: () => [
        {
            content: "Open the month's scorecard",
            trigger: "a.o_complaint_scorecard_link:contains('2026-11')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The acknowledgement KPI is met, in green, with its definition",
            trigger:
                "tr.o_complaint_scorecard_line:has(strong:contains('Acknowledged on time')):has(.o_complaint_scorecard_definition:contains('acknowledgement time limits')) .o_complaint_scorecard_met.text-bg-success",
        },
        {
            content: "A KPI without data is shown in grey",
            trigger:
                "tr.o_complaint_scorecard_line:has(strong:contains('Call answer rate')) .o_complaint_scorecard_no_data.text-bg-secondary",
        },
        {
            content: "Back to the list of scorecards",
            trigger: ".breadcrumb a[href='/my/complaint-scorecards']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The list shows the scorecard's counts",
            trigger: "a.o_complaint_scorecard_link:contains('2026-11')",
        },
    ],
});
