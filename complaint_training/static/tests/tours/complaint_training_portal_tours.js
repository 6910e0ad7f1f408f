/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import { registry } from "@web/core/registry";

// Names prepared by complaint_training/tests/test_training_portal.py
const TOUR_COURSE = "Tour: calming an angry customer";
const TOUR_TRAINER = "Tour trainer Qian Yu";
const AGENT = "Liu Yang";

/**
 * Steps checking that the page reloaded after a POST shows the success alert
 * and no refusal.
 */
function saved(content, nextTrigger) {
    return [
        {
            content: `${content}: saved`,
            trigger: ".o_training_session_page:not(:has(.o_training_error)) .o_training_done",
        },
        {
            content: `${content}: the next step is shown`,
            trigger: nextTrigger,
        },
    ];
}

registry.category("web_tour.tours").add("complaint_training_portal_supervisor_tour", {
    steps: () => [
        {
            content: "Record a new session of the organisation",
            trigger: "a.o_training_new_session",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose the course",
            trigger: `form.o_training_session_form select[name='course_id']:has(option:contains("${TOUR_COURSE}"))`,
            run(helpers) {
                const option = [...this.anchor.options].find(
                    (opt) => opt.textContent === TOUR_COURSE
                );
                return helpers.select(option.value);
            },
        },
        {
            content: "Set the date and time",
            trigger: "form.o_training_session_form input[name='date']",
            run() {
                // A datetime-local input takes its value whole.
                this.anchor.value = "2026-03-02T09:30";
                this.anchor.dispatchEvent(new Event("input", { bubbles: true }));
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Set the hours",
            trigger: "form.o_training_session_form input[name='duration_hours']",
            run: "edit 3",
        },
        {
            content: "Name the trainer",
            trigger: "form.o_training_session_form input[name='trainer']",
            run: `edit ${TOUR_TRAINER}`,
        },
        {
            content: "The session is online",
            trigger: "form.o_training_session_form input[name='online']",
            run: "check",
        },
        {
            content: "Create the session",
            trigger: "button.o_training_session_submit",
            run: "click",
            expectUnloadPage: true,
        },
        ...saved("Session", `.o_training_session_page h3:contains("${TOUR_COURSE}")`),
        {
            content: "The agent attended",
            trigger: `li.o_training_attendee:has(label:contains("${AGENT}")) input[name='attendee_ids']`,
            run: "check",
        },
        {
            content: "The agent's assessment score",
            trigger: `li.o_training_attendee:has(label:contains("${AGENT}")) input[type='number']`,
            run: "edit 88",
        },
        {
            content: "Save the attendance",
            trigger: "button.o_training_attendance_submit",
            run: "click",
            expectUnloadPage: true,
        },
        ...saved(
            "Attendance",
            `li.o_training_attendee:has(label:contains("${AGENT}")) input[name='attendee_ids']:checked`
        ),
        {
            content: "Close the session",
            trigger: "button.o_training_session_close",
            run: "click",
            expectUnloadPage: true,
        },
        ...saved(
            "Closing",
            `.o_training_attendance_list tr:has(span:contains("${AGENT}")):contains("Passed")`
        ),
        {
            content: "The session is done",
            trigger: ".o_training_session_page .o_training_session_state:contains('Done')",
        },
    ],
});

// A spot check whose reviewer is the organisation's supervisor agent.
const REVIEW_CRITERION = "Communication";
const REVIEW_COMMENT = "Tour: the customer was interrupted twice.";

registry.category("web_tour.tours").add("complaint_training_portal_reviewer_tour", {
    steps: () => [
        {
            content: "Open the spot check to review",
            trigger: ".o_training_to_review a.o_training_to_review_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Lower the score of one criterion",
            trigger: `form.o_training_review_form tr.o_training_review_criterion:has(label:contains("${REVIEW_CRITERION}")) input[type='number']`,
            run: "edit 3",
        },
        {
            content: "Comment",
            trigger: "form.o_training_review_form textarea[name='comment']",
            run: `edit ${REVIEW_COMMENT}`,
        },
        {
            content: "Complete the review",
            trigger: "button.o_training_review_complete",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Completed: saved, without a refusal",
            trigger: ".o_training_review_page:not(:has(.o_training_error)) .o_training_done",
        },
        {
            content: "The spot check is reviewed, its form gone",
            trigger: ".o_training_review_page:not(:has(.o_training_review_form)) .o_training_review_state:contains('Reviewed')",
        },
        {
            content: "The criterion's score is shown read-only",
            trigger: `.o_training_review_lines tr:has(span:contains("${REVIEW_CRITERION}")):contains("3")`,
        },
    ],
});
