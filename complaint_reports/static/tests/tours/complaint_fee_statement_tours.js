/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import { registry } from "@web/core/registry";

// Text checked by complaint_reports/tests/test_complaint_fee_statement_portal.py
const REASON = "Tour: our call system shows an answer rate of 91 %";

registry.category("web_tour.tours").add("complaint_fee_statement_portal_tour", {
    steps: () => [
        {
            content: "Open the organisation's fee statements",
            trigger: ".o_portal_index_card a[href='/my/fee-statements']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the statement to answer",
            trigger: "tr:has(.o_complaint_fee_statement_state:contains('Sent')) a.o_complaint_fee_statement_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The calculation is shown line by line",
            trigger: ".o_complaint_fee_statement_calculation .o_complaint_fee_line_missed",
        },
        {
            content: "Say why the statement is disputed",
            trigger: "form.o_complaint_fee_statement_dispute_form textarea[name='reason']",
            run: `edit ${REASON}`,
        },
        {
            content: "Dispute it",
            trigger: "button.o_complaint_fee_statement_dispute",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The statement is disputed, with the reason",
            trigger: `.o_complaint_fee_statement_page:not(:has(.o_complaint_fee_statement_error)) .o_complaint_fee_statement_disputed:contains("${REASON}")`,
        },
        {
            content: "No more answer to give",
            trigger: ".o_complaint_fee_statement_page:not(:has(.o_complaint_fee_statement_actions)) .o_complaint_fee_statement_state:contains('Disputed')",
        },
    ],
});

// Text checked by complaint_reports/tests/test_complaint_fee_statement_portal.py
const ANSWER = "Tour: the rate comes from the file your system sent";

registry.category("web_tour.tours").add("complaint_fee_statement_answer_tour", {
    steps: () => [
        {
            content: "Open the organisation's disputed statement",
            trigger: ".o_list_view .o_data_row:has(.badge:contains('Disputed')):contains('Yuexin Service Co.') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "The organisation's reason is shown",
            trigger: ".o_form_view .alert-warning:contains('answer rate of 91')",
        },
        {
            content: "Answer the dispute",
            trigger: ".o_form_view button[name='action_answer_dialog']",
            run: "click",
        },
        {
            content: "Write the answer",
            trigger: ".modal .o_field_widget[name='answer'] textarea",
            run: `edit ${ANSWER}`,
        },
        {
            content: "Send the statement again",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The statement is sent again",
            trigger: ".o_form_view:not(:has(.modal)) .o_statusbar_status .o_arrow_button_current:contains('Sent')",
        },
    ],
});
