# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def post_init_hook(env):
    """Complaints that exist when the addon is installed get their time limits
    too, replayed from what their history records."""
    tickets = env["helpdesk.ticket"].search(
        [("kind", "=", "complaint"), ("complaint_state", "not in", ("refused",))]
    )
    tickets._sla_apply_policy()
    tickets._sla_replay_history()
    # The warnings and breaches already due go out with the job's next run.
    env.ref("complaint_sla.ir_cron_complaint_sla_check")._trigger()
