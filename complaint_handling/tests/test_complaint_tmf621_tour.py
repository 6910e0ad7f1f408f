# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTmf621ListenerTour(HttpCase):
    """The complaint manager resumes a suspended event listener in the back
    office (static/tests/tours/complaint_api_listener_tour.js)."""

    def test_manager_resumes_a_suspended_listener(self):
        self.env.company.email = "complaints@carrier.example.com"
        manager = new_test_user(
            self.env,
            login="tmf_tour_manager",
            groups="complaint_handling.complaint_handling_group_manager",
        )
        integration = new_test_user(
            self.env,
            login="tmf_tour_integration",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
        )
        listener = (
            self.env["complaint.api.listener"]
            .with_user(integration)
            .create({"callback": "http://crm.carrier.example/events"})
        )
        self.env["helpdesk.ticket"].with_user(integration).create(
            {
                "kind": "complaint",
                "name": "Calls drop in the metro",
                "description": "<p>Calls drop.</p>",
                "partner_name": "Liu Yang",
            }
        )
        listener.sudo().write(
            {"state": "suspended", "failure_count": 9, "last_error": "ConnectionError"}
        )
        self.assertEqual(listener.pending_count, 1)
        self.start_tour(
            "/odoo", "complaint_api_listener_resume_tour", login=manager.login
        )
        self.assertEqual(listener.state, "active")
        self.assertEqual(listener.failure_count, 0)
        event = listener.event_ids
        self.assertLessEqual(event.next_attempt_date, listener.write_date)
