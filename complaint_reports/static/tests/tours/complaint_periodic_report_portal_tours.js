/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import { registry } from "@web/core/registry";

// Texts checked by complaint_reports/tests/test_complaint_periodic_report_portal.py
const HOT_ISSUES = "Tour: double billing of the monthly plan";
const CAUSES = "Tour: the plan change was applied twice";
const SUGGESTIONS = "Tour: check plan changes before billing";

registry.category("web_tour.tours").add("complaint_periodic_report_portal_tour", {
    steps: () => [
        {
            content: "Open the organisation's periodic reports",
            trigger: ".o_portal_index_card a[href='/my/complaint-reports']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the report to prepare",
            trigger: "tr:has(.o_complaint_report_state:contains('Draft')) a.o_complaint_report_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The figures are shown",
            trigger: ".o_complaint_report_figures:not(:contains('not generated'))",
        },
        {
            content: "Write the hot issues",
            trigger: "form.o_complaint_report_form textarea[name='hot_issues']",
            run: `edit ${HOT_ISSUES}`,
        },
        {
            content: "Write the causes",
            trigger: "form.o_complaint_report_form textarea[name='causes']",
            run: `edit ${CAUSES}`,
        },
        {
            content: "Write the suggestions",
            trigger: "form.o_complaint_report_form textarea[name='suggestions']",
            run: `edit ${SUGGESTIONS}`,
        },
        {
            content: "Save the narrative",
            trigger: "button.o_complaint_report_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Saved, without a refusal",
            trigger: ".o_complaint_report_page:not(:has(.o_complaint_report_error)) .o_complaint_report_done",
        },
        {
            content: "The narrative is kept",
            trigger: `form.o_complaint_report_form textarea[name='causes']:value("${CAUSES}")`,
        },
        {
            content: "Submit the report to the carrier",
            trigger: "button.o_complaint_report_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The report is submitted",
            trigger: ".o_complaint_report_page:not(:has(.o_complaint_report_error)) .o_complaint_report_state:contains('Submitted')",
        },
        {
            content: "Its narrative is read-only now",
            trigger: `.o_complaint_report_narrative_readonly:contains("${SUGGESTIONS}")`,
        },
    ],
});
