/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import { registry } from "@web/core/registry";

// Texts checked by complaint_reports/tests/test_complaint_below_standard.py
const ANALYSIS = "Tour: the customer was told the wrong refund date";

registry.category("web_tour.tours").add("complaint_below_standard_portal_tour", {
    steps: () => [
        {
            content: "Open the organisation's cases below standard",
            trigger: ".o_portal_index_card a[href='/my/complaint-below-standard']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the case to analyse",
            trigger: "tr:has(.o_complaint_below_standard_state:contains('To Analyse')) a.o_complaint_below_standard_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "What the case missed is shown",
            trigger: ".o_complaint_below_standard_missed:contains('Time limit')",
        },
        {
            content: "Write the analysis",
            trigger: "form.o_complaint_below_standard_form textarea[name='analysis']",
            run: `edit ${ANALYSIS}`,
        },
        {
            content: "Save without a cause",
            trigger: "button.o_complaint_below_standard_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Refused: the cause is missing",
            trigger: ".o_complaint_below_standard_error:contains('choose a cause')",
        },
        {
            content: "The analysis typed is kept",
            trigger: `form.o_complaint_below_standard_form textarea[name='analysis']:value("${ANALYSIS}")`,
        },
        {
            content: "Choose the cause",
            trigger: "form.o_complaint_below_standard_form select[name='cause_id']",
            run: "selectByLabel Process",
        },
        {
            content: "Save",
            trigger: "button.o_complaint_below_standard_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Saved, without a refusal",
            trigger: ".o_complaint_below_standard_page:not(:has(.o_complaint_below_standard_error)) .o_complaint_below_standard_done",
        },
        {
            content: "The case is analysed",
            trigger: ".o_complaint_below_standard_state:contains('Analysed')",
        },
    ],
});
