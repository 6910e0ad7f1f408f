/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import { registry } from "@web/core/registry";

// Titles of the complaints prepared by complaint_handling/tests/test_complaint_tour.py
const AGENT_COMPLAINT = "Tour: roaming charged while at home";
const RATED_COMPLAINT = "Tour: refund of the duplicated plan fee";
const NEW_COMPLAINT = "Tour: no signal on the 12th floor";

/**
 * Steps checking that the page reloaded after a POST shows the success alert
 * (and no refusal) above the given card.
 */
function saved(content, nextTrigger) {
    return [
        {
            content: `${content}: saved`,
            trigger: ".o_complaint_page:not(:has(.o_complaint_error)) .o_complaint_done",
        },
        {
            content: `${content}: the next card is shown`,
            trigger: nextTrigger,
        },
    ];
}

registry.category("web_tour.tours").add("complaint_agent_tour", {
    steps: () => [
        {
            content: "Open the complaint handed to the organisation",
            trigger: `tr:has(span:contains("${AGENT_COMPLAINT}")) a.o_complaint_link`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The complaint waits for its acknowledgement",
            trigger: `.o_complaint_page h5:contains("${AGENT_COMPLAINT}")`,
        },
        {
            content: "Acknowledge the hand-off",
            trigger: "button.o_complaint_acknowledge",
            run: "click",
            expectUnloadPage: true,
        },
        ...saved("Acknowledgement", "button.o_complaint_take"),
        {
            content: "Take the complaint",
            trigger: "button.o_complaint_take",
            run: "click",
            expectUnloadPage: true,
        },
        ...saved("Taken", ".o_complaint_agent:contains('Liu Yang')"),
        {
            content: "Log a contact attempt",
            trigger: "form.o_complaint_log_form select[name='log_type']",
            run: "select contact",
        },
        {
            content: "The customer was reached",
            trigger: "form.o_complaint_log_form select[name='contact_result']",
            run: "select reached",
        },
        {
            content: "Describe the call",
            trigger: "form.o_complaint_log_form textarea[name='description']",
            run: "edit Called the customer: the roaming fee was billed in error.",
        },
        {
            content: "Save the log",
            trigger: "button.o_complaint_log_submit",
            run: "click",
            expectUnloadPage: true,
        },
        ...saved(
            "Contact log",
            ".list-group-item:contains('Called the customer: the roaming fee was billed in error.')"
        ),
        {
            content: "Describe the solution",
            trigger: "textarea[name='measures']",
            run: "edit Refund the roaming fee on the next bill.",
        },
        {
            content: "Propose it",
            trigger: "button.o_complaint_solution_submit",
            run: "click",
            expectUnloadPage: true,
        },
        ...saved("Solution", "button.o_complaint_confirm"),
        {
            content: "The customer agreed to the solution",
            trigger: "button.o_complaint_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        ...saved("Agreement", "form.o_complaint_feedback_form"),
        {
            content: "Told the customer by phone",
            trigger: "form.o_complaint_feedback_form select[name='channel']",
            run: "select phone",
        },
        {
            content: "Write the conclusion",
            trigger: "form.o_complaint_feedback_form textarea[name='conclusion']",
            run: "edit The roaming fee was billed in error and is refunded.",
        },
        {
            content: "Write the basis",
            trigger: "form.o_complaint_feedback_form textarea[name='basis']",
            run: "edit Network records show no roaming on that day.",
        },
        {
            content: "Report the result",
            trigger: "button.o_complaint_feedback_submit",
            run: "click",
            expectUnloadPage: true,
        },
        ...saved("Result feedback", "form.o_complaint_callback_form"),
        {
            content: "The customer was reached on the callback",
            trigger: "form.o_complaint_callback_form input[name='reached']",
            run: "check",
        },
        {
            content: "The customer is very satisfied",
            trigger: "form.o_complaint_callback_form select[name='satisfaction']",
            run: "select 5",
        },
        {
            content: "The problem is solved",
            trigger: "form.o_complaint_callback_form input[name='problem_solved']",
            run: "check",
        },
        {
            content: "Comment the callback",
            trigger: "form.o_complaint_callback_form textarea[name='comment']",
            run: "edit Thanked us for the refund.",
        },
        {
            content: "Record the callback",
            trigger: "button.o_complaint_callback_submit",
            run: "click",
            expectUnloadPage: true,
        },
        ...saved(
            "Callback",
            ".o_complaint_page:not(:has(form.o_complaint_callback_form)) .badge:contains('Callback Done')"
        ),
    ],
});

registry.category("web_tour.tours").add("complaint_customer_tour", {
    steps: () => [
        {
            content: "Start a new complaint",
            trigger: "a.o_complaint_new_button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose the type of problem",
            trigger:
                "form.o_complaint_new_form select[name='category_id']:has(option:contains('Weak indoor signal'))",
            run(helpers) {
                const option = [...this.anchor.options].find((opt) =>
                    opt.textContent.includes("Weak indoor signal")
                );
                return helpers.select(option.value);
            },
        },
        {
            content: "Choose the service",
            trigger: "form.o_complaint_new_form select[name='business_line']",
            run: "select mobile",
        },
        {
            content: "Give a title",
            trigger: "form.o_complaint_new_form input[name='name']",
            run: `edit ${NEW_COMPLAINT}`,
        },
        {
            content: "Describe the problem",
            trigger: "form.o_complaint_new_form textarea[name='description']",
            run: "edit Since Monday there is no signal at all in my flat.",
        },
        {
            content: "Say what is asked for",
            trigger: "form.o_complaint_new_form textarea[name='customer_demand']",
            run: "edit Fix the coverage and refund the week.",
        },
        {
            content: "Give a contact phone",
            trigger: "form.o_complaint_new_form input[name='contact_phone']",
            run: "edit 13800138000",
        },
        {
            content: "Give the service number",
            trigger: "form.o_complaint_new_form input[name='service_number']",
            run: "edit 13800138000",
        },
        {
            content: "Submit the complaint",
            trigger: "button.o_complaint_submit",
            run: "click",
            expectUnloadPage: true,
        },
        ...saved("Submission", `.o_complaint_page h5:contains("${NEW_COMPLAINT}")`),
        {
            content: "The confirmation says the complaint is received and what comes next",
            trigger: ".o_complaint_submitted:contains('we received your complaint')",
        },
        {
            content: "The customer reads the status in plain words",
            trigger: ".o_complaint_page .o_complaint_customer_status:contains('Received')",
        },
        {
            content: "Back to the list of complaints",
            trigger: ".o_portal_submenu a[href='/my/complaints']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The new complaint is listed",
            trigger: `tr:has(span:contains("${NEW_COMPLAINT}")) a.o_complaint_link`,
        },
        {
            content: "The answered complaint says a callback comes next",
            trigger: `tr:has(span:contains("${RATED_COMPLAINT}")) .o_complaint_customer_status:contains('we will call you back')`,
        },
        {
            content: "Open the complaint whose result was reported",
            trigger: `tr:has(span:contains("${RATED_COMPLAINT}")) a.o_complaint_link`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Very satisfied",
            trigger: "form.o_complaint_rate_form input[name='satisfaction'][value='5']",
            run: "check",
        },
        {
            content: "The problem is solved",
            trigger: "form.o_complaint_rate_form input[name='problem_solved']",
            run: "check",
        },
        {
            content: "Add a comment",
            trigger: "form.o_complaint_rate_form textarea[name='comment']",
            run: "edit Quick and fair, thank you.",
        },
        {
            content: "Send the rating",
            trigger: "button.o_complaint_rate_submit",
            run: "click",
            expectUnloadPage: true,
        },
        ...saved(
            "Rating",
            ".o_complaint_page:not(:has(form.o_complaint_rate_form)) .card-body:contains('Your rating') strong:contains('Very satisfied')"
        ),
    ],
});
