"""The SLA job under real concurrency: two workers, real transactions (which
Odoo's own test runner cannot give, its tests share one cursor). Run with
pytest-odoo against the test database; what it commits it removes."""

import threading
import time
from datetime import timedelta

import pytest

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry

DUE = 30


def _milestone(name, minutes):
    return {
        "name": name,
        "target": minutes,
        "unit": "minutes",
        "start_event": "received",
        "fulfil_event": "closed",
        "warning_percents": "50",
        "escalate_on_breach": True,
    }


@pytest.fixture
def due_complaints(request):
    # Default: one clock per complaint; ``indirect`` parametrisation gives more.
    milestones = getattr(request, "param", None) or [_milestone("Answer in 1 h", 60)]
    registry = Registry(odoo.tools.config["db_name"])
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if "complaint.sla.line" not in env:
            pytest.skip("complaint_sla is not installed")
        others = env["complaint.sla.policy"].search([])
        others.active = False
        # Clocks already due in the database (demo data) wait until the end.
        cr.execute(
            "SELECT id, next_check FROM complaint_sla_line WHERE next_check IS NOT NULL"
        )
        parked = cr.fetchall()
        cr.execute(
            "UPDATE complaint_sla_line SET next_check = NULL "
            "WHERE next_check IS NOT NULL"
        )
        policy = env["complaint.sla.policy"].create(
            {
                "name": "Concurrency probe",
                "milestone_ids": [(0, 0, vals) for vals in milestones],
            }
        )
        received = fields.Datetime.now() - timedelta(hours=2)
        tickets = env["helpdesk.ticket"].create(
            [
                {
                    "kind": "complaint",
                    "name": f"Probe {i}",
                    "description": "<p>Probe</p>",
                    "partner_name": f"Probe customer {i}",
                    "service_number": f"1700000{i:04d}",
                    "received_date": received,
                }
                for i in range(DUE)
            ]
        )
        ids = (policy.id, tickets.ids, others.ids, parked)
    yield registry, ids
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        policy_id, ticket_ids, other_ids, parked = ids
        # Probe records: past their retention period, so that they may go.
        cr.execute(
            "UPDATE helpdesk_ticket SET retention_until = '2000-01-01' "
            "WHERE id = ANY(%s)",
            [ticket_ids],
        )
        env["helpdesk.ticket"].browse(ticket_ids).unlink()
        for line_id, next_check in parked:
            cr.execute(
                "UPDATE complaint_sla_line SET next_check = %s WHERE id = %s",
                (next_check, line_id),
            )
        env["complaint.sla.policy"].browse(policy_id).unlink()
        env["complaint.sla.policy"].browse(other_ids).active = True


def _breach_counts(registry, ticket_ids):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        activity_type = env.ref("complaint_sla.mail_activity_type_sla")
        activities = env["mail.activity"].search_count(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "in", ticket_ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        escalations = env["complaint.escalation"].search_count(
            [("ticket_id", "in", ticket_ids), ("reason", "=", "time_limit")]
        )
        breached = env["complaint.sla.line"].search_count(
            [("ticket_id", "in", ticket_ids), ("status", "=", "breached")]
        )
    return activities, escalations, breached


def test_two_workers_share_the_due_lines(due_complaints):
    registry, (_policy, ticket_ids, _others, _parked) = due_complaints
    barrier = threading.Barrier(2, timeout=30)
    taken, errors = {}, []

    def worker(name, batch):
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                lines = env["complaint.sla.line"]._cron_check_deadlines(batch=batch)
                taken[name] = set(lines.ids)
                # Both hold their transaction open here: without SKIP LOCKED
                # the second would wait on the first's locks and never arrive.
                barrier.wait()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
            barrier.abort()

    threads = [
        threading.Thread(target=worker, args=("a", DUE // 2)),
        threading.Thread(target=worker, args=("b", DUE)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert not taken["a"] & taken["b"], "a line handled by both workers"
    assert len(taken["a"] | taken["b"]) == DUE
    activities, escalations, breached = _breach_counts(registry, ticket_ids)
    assert breached == DUE
    assert escalations == DUE
    # A second run finds nothing left to do.
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        assert not env["complaint.sla.line"]._cron_check_deadlines()
    assert _breach_counts(registry, ticket_ids) == (activities, escalations, breached)


def test_a_crash_half_way_leaves_the_work_to_the_next_run(due_complaints):
    registry, (_policy, ticket_ids, _others, _parked) = due_complaints
    with pytest.raises(RuntimeError), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["complaint.sla.line"]._cron_check_deadlines(batch=DUE // 2)
        raise RuntimeError("worker killed")
    assert _breach_counts(registry, ticket_ids) == (0, 0, 0)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        first = env["complaint.sla.line"]._cron_check_deadlines(batch=DUE)
    assert len(first) == DUE
    activities, escalations, breached = _breach_counts(registry, ticket_ids)
    assert (escalations, breached) == (DUE, DUE)
    assert activities >= DUE


@pytest.mark.parametrize(
    "due_complaints",
    [[_milestone("Answer in 1 h", 60), _milestone("Answer in 90 min", 90)]],
    indirect=True,
)
def test_two_workers_never_handle_one_complaint_at_once(due_complaints):
    """Two clocks of one complaint due together, taken by two workers: the
    second leaves the complaint the first is handling to a later run. Both
    would otherwise make the same people follow it, and the second's run
    would fail on the followers' unique key and be rolled back whole."""
    registry, (_policy, ticket_ids, _others, _parked) = due_complaints
    barrier = threading.Barrier(2, timeout=30)
    taken, errors = {}, []

    def worker(name, batch):
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                lines = env["complaint.sla.line"]._cron_check_deadlines(batch=batch)
                taken[name] = set(lines.ticket_id.ids)
                barrier.wait()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
            barrier.abort()

    # The first takes the first clock of every complaint (the earlier
    # deadlines), the second what is left: the second clocks.
    first = threading.Thread(target=worker, args=("a", DUE))
    first.start()
    time.sleep(1)
    second = threading.Thread(target=worker, args=("b", 2 * DUE))
    second.start()
    for thread in (first, second):
        thread.join(60)
    assert not errors, errors
    assert len(taken["a"]) == DUE
    assert not taken["a"] & taken["b"], "a complaint handled by both workers"
    # The next runs do what was left, once.
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["complaint.sla.line"]._cron_check_deadlines(batch=2 * DUE)
    _activities, escalations, breached = _breach_counts(registry, ticket_ids)
    assert breached == 2 * DUE
