"""A PostgreSQL read replica under Odoo (`db_replica_host`/`db_replica_port`):
the portal pages, downloads and reports of our addons that only read are
served from the replica, and what writes (portal actions, the personal-data
access log of a printed complaint record) still works, on the primary.

The replica is a real streaming replica of this machine's PostgreSQL, started
here by tools/replica.sh; Odoo runs as a real server on a port of its own.
Run with pytest-odoo; what it commits it removes (users are archived)."""

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

REPO = Path(__file__).resolve().parent.parent
REPLICA_PORT = int(os.environ.get("REPLICA_PORT", "5433"))
PASSWORD = "replica-test-2026"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _replica_sql(database, query):
    return subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(REPLICA_PORT),
            "-d",
            database,
            "-Atqc",
            query,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _replica_last_query(database):
    """When the replica last ran a statement of a session on ``database``
    (Odoo's pooled connections: each request's ends with a DISCARD ALL)."""
    return _replica_sql(
        "postgres",
        "SELECT COALESCE(max(query_start)::text, '') FROM pg_stat_activity "
        f"WHERE datname = '{database}' AND backend_type = 'client backend'",
    )


@pytest.fixture(scope="module")
def replica():
    started = subprocess.run(
        ["bash", str(REPO / "tools/replica.sh"), "start"],
        capture_output=True,
        text=True,
        env={**os.environ, "REPLICA_PORT": str(REPLICA_PORT)},
        check=False,
    )
    assert started.returncode == 0, started.stderr
    return REPLICA_PORT


def _user(env, login, groups, **values):
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": login,
                "login": login,
                "password": PASSWORD,
                "groups_id": [(6, 0, [env.ref(g).id for g in groups])],
                **values,
            }
        )
    )


@pytest.fixture(scope="module")
def data(replica):
    database = odoo.tools.config["db_name"]
    registry = Registry(database)
    tag = uuid.uuid4().hex[:6]
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if not env.company.email:
            env.company.email = "complaints@carrier.example.com"
        org = env["res.partner"].create(
            {
                "name": f"Replica test Co. {tag}",
                "is_company": True,
                "complaint_partner_org": True,
            }
        )
        agreement = env["complaint.partner.agreement"].create(
            {
                "name": f"SA-REPLICA-{tag}",
                "partner_org_id": org.id,
                "date_start": date.today() - timedelta(days=30),
            }
        )
        agent = _user(
            env,
            f"replica_agent_{tag}",
            ["complaint_handling.complaint_handling_group_partner_supervisor"],
        )
        agent.partner_id.parent_id = org
        if "complaint.qualification" in env:
            env["complaint.qualification"].create(
                {"user_id": agent.id, "reason": "Replica test agent."}
            )
        manager = _user(
            env,
            f"replica_manager_{tag}",
            [
                "complaint_handling.complaint_handling_group_manager",
                "complaint_handling.complaint_handling_group_personal_data",
            ],
        )
        tickets = env["helpdesk.ticket"].create(
            [
                {
                    "kind": "complaint",
                    "name": f"Replica test complaint {tag} {i}",
                    "description": "<p>Calls drop.</p>",
                    "partner_name": "Replica customer",
                    "service_number": f"1390000{i:04d}",
                    "contact_phone": f"1390000{i:04d}",
                    "account_number": f"GD-REPLICA-{i}",
                    "category_id": env.ref(
                        "complaint_handling.helpdesk_ticket_category_call_quality_dropped"
                    ).id,
                }
                for i in range(2)
            ]
        )
        tickets._complaint_move_to_step("accepted")
        env["complaint.transfer"]._hand_off(tickets, agreement, note="Please call.")
        ids = {
            "tag": tag,
            "agent": agent.login,
            "manager": manager.login,
            "users": (agent | manager).ids,
            "org": org.id,
            "agreement": agreement.id,
            "tickets": tickets.ids,
        }
    # The replica has the data once it has replayed the commit.
    deadline = time.time() + 30
    while (
        _replica_sql(
            database,
            f"SELECT count(*) FROM helpdesk_ticket WHERE id = {ids['tickets'][-1]}",
        )
        != "1"
    ):
        assert time.time() < deadline, "the replica does not replay the primary"
        time.sleep(0.2)
    yield database, ids
    with registry.cursor() as cr:
        cr.execute(
            "UPDATE helpdesk_ticket SET retention_until = '2000-01-01', "
            "legal_hold = false WHERE id = ANY(%s)",
            [ids["tickets"]],
        )
        # The hand-offs are kept with their complaint (restricted deletion).
        cr.execute(
            "DELETE FROM complaint_transfer WHERE ticket_id = ANY(%s)", [ids["tickets"]]
        )
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["helpdesk.ticket"].browse(ids["tickets"]).unlink()
        env["complaint.partner.agreement"].browse(ids["agreement"]).active = False
        env["res.users"].browse(ids["users"]).active = False


@pytest.fixture(scope="module")
def server(data, tmp_path_factory):
    database, _ids = data
    port = _free_port()
    log = tmp_path_factory.mktemp("replica") / "odoo.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            odoo.tools.config.rcfile,
            "-d",
            database,
            f"--db-filter=^{database}$",
            f"--http-port={port}",
            "--db_replica_host=127.0.0.1",
            f"--db_replica_port={REPLICA_PORT}",
            "--max-cron-threads=0",
            f"--logfile={log}",
            "--log-level=info",
        ],
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            if requests.get(f"{base}/web/health", timeout=2).ok:
                break
        except requests.RequestException:
            pass
        assert time.time() < deadline and process.poll() is None, "Odoo did not start"
        time.sleep(0.5)
    yield base, log
    process.terminate()
    process.wait(30)


def _login(base, login):
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    response = session.post(
        f"{base}/web/login",
        data={"login": login, "password": PASSWORD, "csrf_token": token},
        timeout=60,
    )
    assert "/web/login" not in response.url, f"login as {login} failed"
    return session


def _from_replica(database, fetch):
    """Call ``fetch``; return its response and whether the replica ran
    statements of ``database`` meanwhile."""
    before = _replica_last_query(database)
    response = fetch()
    return response, _replica_last_query(database) > before


def test_read_routes_served_by_the_replica_writes_by_the_primary(data, server):
    database, ids = data
    base, log = server
    agent = _login(base, ids["agent"])
    ticket_id = ids["tickets"][0]
    pages = ["/my/complaints", f"/my/complaints/{ticket_id}"]
    optional = {
        "complaint_reports": [
            "/my/complaint-reports",
            "/my/fee-statements",
            "/my/complaint-scorecards",
            "/my/complaint-below-standard",
        ],
        "complaint_training": ["/my/training"],
    }
    installed = set(
        _replica_sql(
            database,
            "SELECT string_agg(name, ',') FROM ir_module_module "
            "WHERE state = 'installed'",
        ).split(",")
    )
    for module, paths in optional.items():
        if module in installed:
            pages += paths
    for path in pages:
        response, served = _from_replica(
            database, lambda path=path: agent.get(f"{base}{path}", timeout=60)
        )
        assert response.status_code == 200, (path, response.status_code)
        assert served, f"{path} was not served by the replica"

    # A portal action writes: on the primary, and it is done.
    page = agent.get(f"{base}/my/complaints/{ticket_id}", timeout=60).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    response = agent.post(
        f"{base}/my/complaints/{ticket_id}/acknowledge",
        data={"csrf_token": token},
        timeout=60,
    )
    assert response.status_code == 200
    registry = Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ticket = env["helpdesk.ticket"].browse(ticket_id)
        assert ticket.transfer_id.state == "acknowledged"

    # The manager prints the complaint record: the access log is written.
    manager = _login(base, ids["manager"])
    response = manager.get(
        f"{base}/report/pdf/complaint_handling.report_complaint_record/{ticket_id}",
        timeout=120,
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        logged = env["complaint.personal.access.log"].search_count(
            [("ticket_id", "=", ticket_id), ("operation", "=", "print")]
        )
        assert logged == 1

    text = log.read_text()
    assert "read-only transaction" not in text
    bad = [
        line
        for line in text.splitlines()
        if any(f" {level} " in line for level in ("WARNING", "ERROR", "CRITICAL"))
        # Debian's wkhtmltopdf is built on an unpatched Qt: it says it ignores
        # the header and footer switches (the report has its own header).
        and "using unpatched qt" not in line
    ]
    assert not bad, bad
