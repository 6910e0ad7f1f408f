"""Idempotent intake under real concurrency: the same complaint sent twice at
the same moment (a client retrying after a time-out while its first request is
still running), in two real transactions, through Odoo's own retry loop (the
one every RPC and HTTP request runs in). Odoo's test runner cannot do this:
its tests share one cursor. Run with pytest-odoo; what it commits it removes."""

import contextlib
import logging
import threading
import uuid

import pytest

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.model import retrying


@pytest.fixture
def registry():
    registry = Registry(odoo.tools.config["db_name"])
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if "external_id" not in env["helpdesk.ticket"]._fields:
            pytest.skip("complaint_handling is not installed")
        if not env.company.email:
            env.company.email = "complaints@carrier.example.com"
    identifier = f"RACE-{uuid.uuid4().hex[:8]}"
    yield registry, identifier
    with registry.cursor() as cr:
        cr.execute(
            "UPDATE helpdesk_ticket SET retention_until = '2000-01-01' "
            "WHERE external_id = %s",
            [identifier],
        )
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["helpdesk.ticket"].search([("external_id", "=", identifier)]).unlink()


@contextlib.contextmanager
def _sql_log():
    """What Odoo's SQL layer logs meanwhile (as a server logs it: WARNING and
    up): a refused INSERT would be logged whole ("bad query"), customers'
    data included."""
    logged = []

    class Capture(logging.Handler):
        def emit(self, record):
            logged.append(record.getMessage())

    capture = Capture(level=logging.WARNING)
    sql_logger = logging.getLogger("odoo.sql_db")
    level = sql_logger.level
    sql_logger.setLevel(logging.WARNING)
    sql_logger.addHandler(capture)
    try:
        yield logged
    finally:
        sql_logger.removeHandler(capture)
        sql_logger.setLevel(level)


def _vals(identifier):
    return {
        "kind": "complaint",
        "name": "Calls drop in the metro",
        "description": "<p>Calls drop.</p>",
        "partner_name": "Race customer",
        "external_source": "crm",
        "external_id": identifier,
    }


def test_two_identical_creates_at_once_make_one_complaint(registry):
    registry, identifier = registry
    barrier = threading.Barrier(2, timeout=30)
    results, errors, tries = {}, [], {}

    def send(name):
        tries[name] = 0

        def receive(env):
            tries[name] += 1
            tickets = env["helpdesk.ticket"]
            if tries[name] == 1:
                # Both transactions take their snapshot, then both send.
                tickets.search_count([("external_id", "=", identifier)])
                barrier.wait()
            return tickets.complaint_receive([_vals(identifier)])[0]

        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                results[name] = retrying(lambda: receive(env), env)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(n,)) for n in ("a", "b")]
    with _sql_log() as logged:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert not logged, logged
    assert not errors, errors
    assert results["a"]["id"] == results["b"]["id"]
    assert sorted(r["created"] for r in results.values()) == [False, True]
    # The one that lost the race ran again with a fresh snapshot.
    assert sorted(tries.values()) == [1, 2]
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        found = env["helpdesk.ticket"].search([("external_id", "=", identifier)])
        assert len(found) == 1
        assert not found.is_repeat


def test_received_by_another_since_my_snapshot(registry):
    """The other request received the identifier and committed after this
    one's snapshot was taken, before it creates: no wait on the lock, yet the
    complaint is not visible here. Found with a new cursor, the request runs
    again and returns it, without a refused INSERT."""
    registry, identifier = registry
    tries = []
    with registry.cursor() as cr, _sql_log() as logged:
        env = api.Environment(cr, SUPERUSER_ID, {})

        def receive():
            tries.append(1)
            tickets = env["helpdesk.ticket"]
            if len(tries) == 1:
                tickets.search_count([("external_id", "=", identifier)])
                with registry.cursor() as other:  # committed when it ends
                    api.Environment(other, SUPERUSER_ID, {})[
                        "helpdesk.ticket"
                    ].complaint_receive([_vals(identifier)])
            return tickets.complaint_receive([_vals(identifier)])[0]

        result = retrying(receive, env)
    assert not logged, logged
    assert len(tries) == 2
    assert result["created"] is False
