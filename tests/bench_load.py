# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Load benchmark (issue 17, point 3): Odoo in workers mode under the mixed
traffic of a carrier's day, on loopback, bounded in time; then checks that
nothing was lost or done twice.

Data (as superuser, committed before the server starts): the company's e-mail
address; two partner organisations under a service agreement, ten partner
agents (portal users) each, granted a qualification when complaint_training is
installed; five handlers (internal users of the complaint team); three
integration users with an API key; --handed complaints (default 3,000) handed
to the organisations, owned by the handlers; an SLA policy tried first with
short limits, so that clocks fall due during the run: "answer in 2 min" from
reception (warning at 50 %, escalation on breach; the handed complaints are
received up to 2 minutes back) and "first contact in 1 min" from the
agent's acknowledgement (warning at 50 %).

Each pass starts Odoo through odoo-bin with ``--workers=4 --max-cron-threads=0``
on 127.0.0.1 (``--db_replica_host/--db_replica_port`` in the replica pass),
and runs for --duration seconds at the same time:

- 20 partner agents (portal, session and CSRF token as a browser has them):
  the list of complaints to acknowledge, a case page, acknowledge it (POST;
  colleagues of the same organisation race for the same cases), log a
  contact on a case they acknowledged (POST, multipart as the form sends it);
- 5 handlers (JSON-RPC /web/dataset/call_kw as the web client calls it, the
  fields of the complaint list and form views): web_search_read of the list,
  web_read of a form, web_search_read with a domain on number and name;
- 3 integrations (XML-RPC ``complaint_receive`` with their API key), batches of
  50 with external identifiers, 5 of each batch sent by all three (the same
  identifiers at about the same time); a failed batch is sent again once;
- the SLA job (``complaint.sla.line._cron_check_deadlines``) in two Python
  processes, each a loop: a registry cursor, the job through
  ``odoo.service.model.retrying``, commit, sleep 1 s.

Clients send their next request as soon as they have the answer (no think
time): the figures are those of a saturated server, and on a 2-core machine
the clients and the SLA processes share the cores with Odoo and PostgreSQL.
Python's XML-RPC client sends a request again by itself once when the
connection drops before the answer (a killed worker): the intake's
idempotence makes that safe.

The fault pass (--faults) also kills one HTTP worker (SIGKILL, a child of the
master), kills one SLA process and starts another, and terminates every
database connection once (``pg_terminate_backend`` from a connection of its
own); requests must succeed again afterwards and only those in flight at a
fault may fail.

Printed per pass and request kind: requests, answered, refused (the page said
why: another agent acted first), 5xx, errors (no answer, RPC faults), the
throughput of answered requests and their p50/p95/p99 (client wall time,
loopback included); the serialization retries ("tries left" lines of the
server and of the SLA processes); then the checks, OK or FAIL: each batch
answered has each of its complaints exactly once (by external identifier) and
the ids it returned; a refused batch created nothing, one without an answer
all or nothing; each acknowledgement whose success page came back left its
hand-off acknowledged once, by that agent (one "Acknowledged by" note); each
contact log saved once, a refused one not at all; SLA breaches and warnings
at most once per clock (breach notes, escalations, activities, warning
digests); with the replica, that it served transactions and none failed as
read-only; no warning or error in the server's and SLA processes' logs (the
fault pass: none but those of the faults). Transaction conflicts that Odoo
retries are counted, not failed: odoo.sql_db logs each at ERROR ("bad query")
before the retry.

Run by ``make bench-load`` (tools/bench_load.sh: a fresh database, all addons
installed without demo data), which passes ``--passes plain,replica,faults``;
without --passes it does nothing (``make bench`` runs every tests/bench_*.py).
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from collections import Counter
from datetime import date, datetime, timedelta
from xml.etree import ElementTree

import psycopg2
import requests
from bench_common import OdooServer, arg_parser, free_port, make_user

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.sql_db import connection_info_for

HANDED = 3_000
DURATION = 60
FAULT_DURATION = 30
WORKERS = 4
AGENTS_PER_ORG = 10
ORGS = 2
HANDLERS = 5
INTEGRATIONS = 3
SLA_PROCESSES = 2
BATCH = 50
SHARED = 5  # identifiers of each batch that every integration sends
TIMEOUT = 60  # seconds a client waits for an answer
PASSWORD = "bench-load-2026"  # throw-away bench users
SOURCE = "bench-load"  # the integrations' external_source
AGENT_GROUP = "complaint_handling.complaint_handling_group_partner_agent"
MILESTONES = (
    # name, target (minutes), start event, fulfil event, escalate on breach
    ("Bench: answer in 2 min", 2, "received", "closed", True),
    ("Bench: first contact in 1 min", 1, "acknowledged", "first_contact", False),
)
KINDS = {
    "agent list": "GET /my/complaints?filterby=to_acknowledge",
    "agent case": "GET /my/complaints/<id>",
    "agent acknowledge": "POST /my/complaints/<id>/acknowledge",
    "agent log": "POST /my/complaints/<id>/log (contact)",
    "handler list": "call_kw web_search_read, complaint list view, 80 rows",
    "handler form": "call_kw web_read, complaint form view",
    "handler search": "call_kw web_search_read, number/name ilike",
    "integration batch": "XML-RPC complaint_receive, 50 complaints",
}
LIST_LINK = re.compile(
    r'<a\b(?=[^>]*\bo_complaint_link\b)[^>]*\bhref="/my/complaints/(\d+)"'
)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
RETRY = "tries left, try again"
# Odoo's log records: "2026-01-01 10:00:00,123 4242 WARNING db logger: text".
LOG_RECORD = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d+ \d+ (\w+) ", flags=re.MULTILINE
)
# What the faults of the fault pass make the server and the SLA processes log.
FAULT_SIGNS = (
    "terminating connection due to administrator command",
    "server closed the connection unexpectedly",
    "connection already closed",
    "cursor already closed",
    "SSL connection has been closed",
    "Connection refused",
    "the connection is lost",
    "Bus.loop",
    # A registry loading when the connections were terminated.
    "Transient module states were reset",
    "Failed to load registry",
)
# Transaction conflicts that Odoo retries (the last one: the idempotent
# intake's race on an external identifier, turned into a retry by
# complaint_handling).
CONFLICTS = (
    "could not serialize access",
    "deadlock detected",
    "could not obtain lock",
    "helpdesk_ticket_external_uniq",
)
WARNING_SUBJECT = "Complaints at risk of missing their time limits"


def parse():
    parser = arg_parser(__doc__)
    parser.add_argument(
        "--passes",
        help="comma-separated passes among plain, replica, faults (make bench-load: "
        "plain,replica,faults); none: the script does nothing",
    )
    parser.add_argument("--duration", type=int, default=DURATION)
    parser.add_argument("--fault-duration", type=int, default=FAULT_DURATION)
    parser.add_argument("--handed", type=int, default=HANDED)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument(
        "--port", type=int, help="HTTP port (the next one: gevent); default: free"
    )
    parser.add_argument(
        "--replica-port",
        type=int,
        help="a streaming replica of the database's cluster on 127.0.0.1:PORT, "
        "for the replica pass",
    )
    parser.add_argument(
        "--replica-script",
        help="started (`bash SCRIPT start`) before the replica pass and stopped "
        "after it when the replica is not running yet (REPLICA_PORT: "
        "--replica-port, default 5433)",
    )
    parser.add_argument(
        "--faults",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="inject the faults in the faults pass (default: yes)",
    )
    parser.add_argument(
        "--keep-logs",
        action="store_true",
        help="keep the server's and SLA processes' logs (their folder is printed)",
    )
    # Internal: the SLA job process.
    parser.add_argument("--sla-worker", help=argparse.SUPPRESS)
    parser.add_argument("--sla-log", help=argparse.SUPPRESS)
    parser.add_argument("--sla-go", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.passes:
        args.passes = [p.strip() for p in args.passes.split(",") if p.strip()]
        unknown = set(args.passes) - {"plain", "replica", "faults"}
        if unknown:
            parser.error(f"--passes: unknown {sorted(unknown)}")
    return args


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------


def prepare(env, tag):
    """Users, organisations, the SLA policy; returns the context (ids)."""
    env.ref("base.main_company").email = "complaints@carrier.example.com"
    team = env.ref("complaint_handling.helpdesk_ticket_team_complaint")
    policy = env["complaint.sla.policy"].create(
        {
            "name": f"Load bench {tag}",
            "sequence": -1,  # tried first
            "kind": "complaint",
            "milestone_ids": [
                (
                    0,
                    0,
                    {
                        "name": name,
                        "target": target,
                        "unit": "minutes",
                        "start_event": start,
                        "fulfil_event": fulfil,
                        "warning_percents": "50",
                        "escalate_on_breach": escalate,
                    },
                )
                for name, target, start, fulfil, escalate in MILESTONES
            ],
        }
    )
    handlers = env["res.users"].union(
        *(
            make_user(
                env,
                f"Load bench handler {i}",
                f"bench_load_handler_{tag}_{i}",
                ["helpdesk_mgmt.group_helpdesk_user"],
                password=PASSWORD,
            )
            for i in range(HANDLERS)
        )
    )
    integrations = []
    for i in range(INTEGRATIONS):
        user = make_user(
            env,
            f"Load bench integration {i}",
            f"bench_load_integration_{tag}_{i}",
            [
                "helpdesk_mgmt.group_helpdesk_user_own",
                "complaint_handling.complaint_handling_group_personal_data",
            ],
            password=PASSWORD,
        )
        key = (
            env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(None, "bench", None)
        )
        integrations.append({"uid": user.id, "key": key})
    team.user_ids = [(4, user.id) for user in handlers] + [
        (4, i["uid"]) for i in integrations
    ]
    orgs, agents = [], []
    for o in range(ORGS):
        org = env["res.partner"].create(
            {
                "name": f"Load bench service Co. {o} ({tag})",
                "is_company": True,
                "complaint_partner_org": True,
            }
        )
        agreement = env["complaint.partner.agreement"].create(
            {
                "name": f"SA-LOAD-{tag}-{o}",
                "partner_org_id": org.id,
                "date_start": date.today() - timedelta(days=365),
            }
        )
        orgs.append({"id": org.id, "agreement": agreement.id})
        for a in range(AGENTS_PER_ORG):
            # No e-mail address: no hand-off notices queued for them.
            agent = make_user(
                env,
                f"Load bench agent {o}.{a}",
                f"bench_load_agent_{tag}_{o}_{a}",
                [AGENT_GROUP],
                password=PASSWORD,
            )
            agent.partner_id.parent_id = org
            agents.append({"uid": agent.id, "login": agent.login, "org": org.id})
    if "complaint.qualification" in env:
        # complaint_training installed: agents and handlers may take every
        # type.
        env["complaint.qualification"].create(
            [
                {"user_id": uid, "reason": "Load benchmark user."}
                for uid in [a["uid"] for a in agents] + handlers.ids
            ]
        )
    categories = env["helpdesk.ticket.category"].search(
        [("parent_id", "!=", False), ("child_id", "=", False)]
    )
    return {
        "tag": tag,
        "team": team.id,
        "policy": policy.id,
        "milestones": {m.id: m.name for m in policy.milestone_ids},
        "escalating": policy.milestone_ids.filtered("escalate_on_breach").ids,
        "handlers": [{"uid": u.id, "login": u.login} for u in handlers],
        "integrations": integrations,
        "orgs": orgs,
        "agents": agents,
        "categories": categories.ids,
        "channel": env.ref("complaint_handling.helpdesk_ticket_channel_hotline").id,
        "stage": env.ref(
            "complaint_handling.helpdesk_ticket_stage_complaint_received"
        ).id,
        "list_view": env.ref(
            "complaint_handling.helpdesk_ticket_complaint_view_list"
        ).id,
        "form_view": env.ref(
            "complaint_handling.helpdesk_ticket_complaint_view_form"
        ).id,
        "sla_activity": env.ref("complaint_sla.mail_activity_type_sla").id,
    }


def complaint_vals(ctx, rng, i, prefix):
    number = f"13{rng.randrange(10**9):09d}"  # a valid mobile number
    return {
        "kind": "complaint",
        "name": f"Charged twice for the monthly plan ({prefix}{i})",
        "description": "<p>My bill shows the plan fee twice.</p>",
        "partner_name": f"Customer {prefix}{i}",
        "contact_phone": number,
        "service_number": number,
        "account_number": f"GL{prefix}{i:08d}",
        "business_line": rng.choice(["mobile", "broadband", "fixed"]),
        "severity": rng.choice(["minor", "general", "serious"]),
        "urgency": rng.choice(["low", "normal", "urgent"]),
        "customer_demand": "Refund and apology.",
        "category_id": ctx["categories"][i % len(ctx["categories"])],
        "channel_id": ctx["channel"],
    }


def hand_over(registry, ctx, total, batch=500):
    """Hand ``total`` complaints to the organisations, in turns, as their
    owners (the handlers), received up to 2 minutes back so that their first
    clocks fall due over the next minutes; one transaction a batch."""
    rng = random.Random(ctx["tag"])
    for n, first in enumerate(range(0, total, batch)):
        handler = ctx["handlers"][n % len(ctx["handlers"])]
        org = ctx["orgs"][n % len(ctx["orgs"])]
        now = datetime.now().replace(microsecond=0)
        vals_list = []
        for i in range(first, min(first + batch, total)):
            vals = complaint_vals(ctx, rng, i, "H")
            vals.update(
                team_id=ctx["team"],
                stage_id=ctx["stage"],
                user_id=handler["uid"],
                received_date=now - timedelta(seconds=rng.uniform(0, 110)),
            )
            vals_list.append(vals)
        with registry.cursor() as cr:
            env = api.Environment(cr, handler["uid"], {"tracking_disable": True})
            tickets = env["helpdesk.ticket"].create(vals_list)
            tickets._complaint_move_to_step("accepted")
            agreement = env["complaint.partner.agreement"].browse(org["agreement"])
            env["complaint.transfer"]._hand_off(
                tickets, agreement, note="Bulk hand-off (load bench)."
            )
            cr.commit()


# ----------------------------------------------------------------------
# Requests and their record
# ----------------------------------------------------------------------


class Recorder:
    """Every request: kind, start and end (monotonic), outcome ("ok",
    "refused", "4xx", "5xx", "error"), detail."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []

    def add(self, kind, start, outcome, detail=None):
        with self.lock:
            self.rows.append((kind, start, time.monotonic(), outcome, detail))


def http_outcome(response):
    if response.status_code >= 500:
        return "5xx"
    if response.status_code >= 400:
        return "4xx"
    return "ok"


class Client(threading.Thread):
    """A client thread: logs in, waits for the start, then runs ``step``
    until the end of the pass."""

    def __init__(self, bench, name):
        super().__init__(name=name, daemon=True)
        self.bench = bench
        self.rng = random.Random(name)
        self.ready = threading.Event()
        self.failed = None

    def run(self):
        try:
            self.login()
        except Exception as exc:  # noqa: BLE001 - reported by the orchestrator
            self.failed = f"{self.name}: {exc!r}"
            self.ready.set()
            return
        self.ready.set()
        self.bench.go.wait()
        while not self.bench.stop.is_set():
            try:
                self.step()
            except Exception as exc:  # noqa: BLE001 - a client bug, not the server's
                self.bench.client_errors.append(f"{self.name}: {exc!r}")
                time.sleep(0.5)

    def login(self):
        raise NotImplementedError

    def step(self):
        raise NotImplementedError


class Agent(Client):
    """A partner agent in the portal."""

    def __init__(self, bench, agent):
        super().__init__(bench, agent["login"])
        self.agent = agent
        self.session = requests.Session()
        self.mine = []  # cases this agent acknowledged
        self.count = 0

    def login(self):
        base = self.bench.base
        page = self.session.get(base + "/web/login", timeout=TIMEOUT)
        token = CSRF.search(page.text)
        response = self.session.post(
            base + "/web/login",
            data={
                "login": self.agent["login"],
                "password": PASSWORD,
                "csrf_token": token[1],
            },
            timeout=TIMEOUT,
        )
        if not response.ok or "/web/login" in response.url:
            raise RuntimeError(f"login failed ({response.status_code})")

    def request(self, kind, method, path, **kw):
        start = time.monotonic()
        try:
            response = self.session.request(
                method,
                self.bench.base + path,
                allow_redirects=False,
                timeout=TIMEOUT,
                **kw,
            )
        except requests.RequestException as exc:
            self.bench.rec.add(kind, start, "error", type(exc).__name__)
            return None
        outcome = http_outcome(response)
        location = response.headers.get("Location", "")
        if outcome == "ok" and response.status_code != 200:
            # A POST's success redirect says what was done; "gone": the
            # complaint is no longer the organisation's; else the login page.
            if method == "POST" and "done=" in location:
                outcome = "ok"
            elif method == "POST" and "gone=" in location:
                outcome = "refused"
            else:
                outcome = "4xx"
        elif outcome == "ok" and "o_complaint_refused" in response.text:
            outcome = "refused"  # the page again, with the reason
        self.bench.rec.add(kind, start, outcome, response.status_code)
        response.outcome = outcome
        return response

    def step(self):
        listing = self.request(
            "agent list", "GET", "/my/complaints?filterby=to_acknowledge"
        )
        if listing is None or listing.outcome != "ok":
            time.sleep(0.5)
            return
        ids = [int(i) for i in LIST_LINK.findall(listing.text)]
        case = self.rng.choice(ids) if ids else None
        if case is None and self.mine:
            case = self.rng.choice(self.mine)
        if case is None:
            time.sleep(1)
            return
        page = self.request("agent case", "GET", f"/my/complaints/{case}")
        if page is None or page.outcome != "ok":
            return
        token = CSRF.search(page.text)
        if not token:
            return
        if f"/my/complaints/{case}/acknowledge" in page.text:
            self.acknowledge(case, token[1])
        if self.mine:
            target = case if case in self.mine else self.rng.choice(self.mine)
            self.log(target, token[1])

    def acknowledge(self, case, token):
        start = time.monotonic()
        response = self.request(
            "agent acknowledge",
            "POST",
            f"/my/complaints/{case}/acknowledge",
            data={"csrf_token": token},
        )
        outcome = response.outcome if response is not None else "error"
        self.bench.acks.append(
            {
                "agent": self.agent["uid"],
                "ticket": case,
                "outcome": outcome,
                "start": start,
                "end": time.monotonic(),
            }
        )
        if outcome == "ok":
            self.mine.append(case)

    def log(self, case, token):
        self.count += 1
        text = f"bench-load {self.bench.label} {self.agent['login']} #{self.count}"
        start = time.monotonic()
        response = self.request(
            "agent log",
            "POST",
            f"/my/complaints/{case}/log",
            data={
                "csrf_token": token,
                "log_type": "contact",
                "contact_result": self.rng.choice(["reached", "no_answer"]),
                "description": f"{text}: called the customer.",
            },
            # As the form sends it: multipart, with an empty file input.
            files={"attachments": ("", b"", "application/octet-stream")},
        )
        outcome = response.outcome if response is not None else "error"
        self.bench.logs.append(
            {
                "agent": self.agent["uid"],
                "ticket": case,
                "text": text,
                "outcome": outcome,
                "start": start,
                "end": time.monotonic(),
            }
        )


def spec_from_arch(arch, fields):
    """The web client's specification for the fields of a view: the view's
    own fields (not those of its x2many sub-views), relational ones with
    their display name."""
    spec = {}

    def walk(node):
        for child in node:
            if child.tag == "field":
                name = child.get("name")
                desc = fields.get(name)
                if desc and desc.get("type") != "properties":
                    relational = desc["type"] in ("many2one", "one2many", "many2many")
                    spec[name] = {"fields": {"display_name": {}}} if relational else {}
                continue
            walk(child)

    walk(ElementTree.fromstring(arch))
    return spec


class Handler(Client):
    """A handler in the web client (JSON-RPC)."""

    def __init__(self, bench, handler):
        super().__init__(bench, handler["login"])
        self.handler = handler
        self.session = requests.Session()
        self.calls = 0
        self.context = {"lang": "en_US", "tz": "UTC", "bin_size": True}

    def rpc(self, path, params, kind=None):
        self.calls += 1
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": self.calls,
            "params": params,
        }
        start = time.monotonic()
        try:
            response = self.session.post(
                self.bench.base + path, json=payload, timeout=TIMEOUT
            )
        except requests.RequestException as exc:
            if kind:
                self.bench.rec.add(kind, start, "error", type(exc).__name__)
            return None
        outcome = http_outcome(response)
        result = None
        if outcome == "ok":
            body = response.json()
            if "error" in body:
                outcome = "error"
                data = body["error"].get("data") or {}
                detail = f"{data.get('name')}: {(data.get('message') or '')[:200]}"
            else:
                result, detail = body["result"], response.status_code
        else:
            detail = response.status_code
        if kind:
            self.bench.rec.add(kind, start, outcome, detail)
        elif outcome != "ok":
            raise RuntimeError(f"{path}: {detail}")
        return result

    def call(self, method, args, kwargs, kind=None):
        return self.rpc(
            f"/web/dataset/call_kw/helpdesk.ticket/{method}",
            {
                "model": "helpdesk.ticket",
                "method": method,
                "args": args,
                "kwargs": {**kwargs, "context": self.context},
            },
            kind,
        )

    def login(self):
        self.rpc(
            "/web/session/authenticate",
            {
                "db": self.bench.database,
                "login": self.handler["login"],
                "password": PASSWORD,
            },
        )
        ctx = self.bench.ctx
        views = self.call(
            "get_views",
            [],
            {
                "views": [[ctx["list_view"], "list"], [ctx["form_view"], "form"]],
                "options": {},
            },
        )
        fields = views["models"]["helpdesk.ticket"]
        fields = fields.get("fields", fields)
        self.list_spec = spec_from_arch(views["views"]["list"]["arch"], fields)
        self.form_spec = spec_from_arch(views["views"]["form"]["arch"], fields)

    def search_read(self, kind, domain):
        return self.call(
            "web_search_read",
            [],
            {
                "specification": self.list_spec,
                "domain": domain,
                "offset": 0,
                "limit": 80,
                "order": "",
                "count_limit": 10001,
            },
            kind,
        )

    def step(self):
        page = self.search_read("handler list", [("kind", "=", "complaint")])
        records = (page or {}).get("records") or []
        if records:
            record = self.rng.choice(records)
            self.call(
                "web_read",
                [[record["id"]]],
                {"specification": self.form_spec},
                "handler form",
            )
        term = f"plan (H{self.rng.randrange(1000)}"
        self.search_read(
            "handler search",
            [
                ("kind", "=", "complaint"),
                "|",
                ("number", "ilike", term),
                ("name", "ilike", term),
            ],
        )


def fault_reason(text):
    """The exception line of an XML-RPC fault's text (a traceback or a
    message)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    for line in reversed(lines):
        if re.match(r"^[\w.]+(Error|Exception|Failure|Warning)\b", line):
            return line[:200]
    return lines[-1][:200] if lines else ""


class TimeoutTransport(xmlrpc.client.Transport):
    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = TIMEOUT
        return connection


class Integration(Client):
    """A carrier system sending complaints in batches (XML-RPC, API key)."""

    def __init__(self, bench, number, integration):
        super().__init__(bench, f"integration {number}")
        self.number = number
        self.integration = integration
        self.proxy = xmlrpc.client.ServerProxy(
            f"{bench.base}/xmlrpc/2/object",
            allow_none=True,
            transport=TimeoutTransport(),
        )
        self.batch = 0
        self.resend = None

    def login(self):
        self.proxy.execute_kw(
            self.bench.database,
            self.integration["uid"],
            self.integration["key"],
            "helpdesk.ticket",
            "search_count",
            [[("id", "=", 0)]],
        )

    def new_batch(self):
        label, n = self.bench.label, self.batch
        self.batch += 1
        own = [
            f"BL-{self.bench.ctx['tag']}-{label}-{self.number}-{n:05d}-{j:02d}"
            for j in range(BATCH - SHARED)
        ]
        shared = [
            f"BL-{self.bench.ctx['tag']}-{label}-S-{n:05d}-{j:02d}"
            for j in range(SHARED)
        ]
        return shared + own

    def step(self):
        ids = self.resend or self.new_batch()
        resent, self.resend = bool(self.resend), None
        vals_list = []
        for ext in ids:
            vals = complaint_vals(self.bench.ctx, self.rng, 0, ext)
            vals.update(
                name=f"Complaint {ext}", external_id=ext, external_source=SOURCE
            )
            vals["account_number"] = f"GL{abs(hash(ext)) % 10**10:010d}"
            vals_list.append(vals)
        start = time.monotonic()
        outcome, detail, result, answered = "ok", None, None, True
        try:
            result = self.proxy.execute_kw(
                self.bench.database,
                self.integration["uid"],
                self.integration["key"],
                "helpdesk.ticket",
                "complaint_receive",
                [vals_list],
            )
        except xmlrpc.client.Fault as fault:
            outcome, detail = "error", fault_reason(fault.faultString)
        except xmlrpc.client.ProtocolError as exc:
            outcome = "5xx" if exc.errcode >= 500 else "4xx"
            detail = exc.errcode
        except (OSError, http.client.HTTPException) as exc:
            outcome, detail, answered = "error", type(exc).__name__, False
        self.bench.rec.add("integration batch", start, outcome, detail)
        self.bench.batches.append(
            {
                "ids": ids,
                "outcome": outcome,
                "answered": answered,
                "result": result,
                "resent": resent,
                "start": start,
                "end": time.monotonic(),
            }
        )
        if outcome != "ok" and not resent:
            self.resend = ids  # as an integration does: once more, same ids
            time.sleep(1)


# ----------------------------------------------------------------------
# The SLA job processes
# ----------------------------------------------------------------------


def sla_worker(args):
    """The SLA job in a loop, until SIGTERM; one JSON line a run on stdout."""
    odoo.tools.config.parse_config(
        [
            "-c",
            args.config,
            "-d",
            args.database,
            f"--logfile={args.sla_log}",
            "--log-level=warn",
            "--log-handler=odoo.service.model:INFO",
        ]
    )
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_a: stopping.append(1))
    parent = os.getppid()
    logger = odoo.netsvc.logging.getLogger("bench_load.sla")
    for attempt in range(1, 11):
        try:
            registry = Registry(args.database)
            break
        except psycopg2.Error:
            # As a cron worker does: the database was unreachable (its
            # connections terminated while the registry loaded), try again.
            if attempt == 10:
                raise
            logger.info("registry not loaded, attempt %s", attempt)
            time.sleep(1)
    print(json.dumps({"ready": True}), flush=True)
    while not os.path.exists(args.sla_go) and not stopping:
        time.sleep(0.05)
    # Until told to stop, or orphaned (the benchmark died).
    while not stopping and os.getppid() == parent:
        start = time.monotonic()
        row = {"worker": args.sla_worker}
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                lines = retrying(
                    lambda env=env: env["complaint.sla.line"]._cron_check_deadlines(),
                    env,
                )
                row["lines"] = len(lines)
        except Exception as exc:  # noqa: BLE001 - logged; the loop goes on
            logger.exception("SLA job run failed")
            row["error"] = repr(exc)[:200]
        row["seconds"] = round(time.monotonic() - start, 3)
        print(json.dumps(row), flush=True)
        time.sleep(1)


class SlaProcess:
    def __init__(self, args, name, workdir, go):
        self.name = name
        self.log = os.path.join(workdir, f"sla-{name}.log")
        self.out = os.path.join(workdir, f"sla-{name}.jsonl")
        cmd = [
            sys.executable,
            os.path.abspath(__file__),
            "--config",
            args.config,
            "--database",
            args.database,
            "--sla-worker",
            name,
            "--sla-log",
            self.log,
            "--sla-go",
            go,
        ]
        with open(self.out, "wb") as out, open(self.log + ".err", "wb") as err:
            self.proc = subprocess.Popen(
                cmd, stdout=out, stderr=err, start_new_session=True
            )

    def wait_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            if self.rows():
                return
            time.sleep(0.2)
        raise SystemExit(
            f"[bench_load] SLA process {self.name} did not start:\n"
            + read(self.log + ".err")[-3000:]
        )

    def rows(self):
        return [
            json.loads(line) for line in read(self.out).splitlines() if line.strip()
        ]

    def stop(self, timeout=60):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self):
        self.proc.kill()
        self.proc.wait()


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


# ----------------------------------------------------------------------
# The server
# ----------------------------------------------------------------------


class Server(OdooServer):
    """The workers-mode server, with the retry log lines and, optionally, a
    read replica."""

    def __init__(self, args, port, logfile, replica_port=None):
        extra = ["--log-handler=odoo.service.model:INFO"]
        if replica_port:
            extra += [
                "--db_replica_host=127.0.0.1",
                f"--db_replica_port={replica_port}",
            ]
        super().__init__(
            args.config,
            args.database,
            port,
            logfile,
            workers=args.workers,
            extra_args=extra,
        )

    def http_workers(self):
        out = subprocess.run(
            ["ps", "-ww", "-o", "pid=,args=", "--ppid", str(self.proc.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [
            int(line.split(None, 1)[0])
            for line in out.splitlines()
            if line.strip() and " gevent" not in line
        ]


def log_records(text):
    """[(level, text)] of an Odoo log, each record with its traceback."""
    starts = list(LOG_RECORD.finditer(text))
    return [
        (
            match[2],
            text[
                match.start() : (
                    starts[i + 1].start() if i + 1 < len(starts) else len(text)
                )
            ],
        )
        for i, match in enumerate(starts)
    ]


def problems(log, err):
    """The warning and error records of a log, and what its process wrote on
    stderr (but the warning about running as root)."""
    found = [
        (level, record)
        for level, record in log_records(log)
        if level not in ("INFO", "DEBUG")
    ]
    stray = [
        line
        for line in err.splitlines()
        if line.strip() and "security risk" not in line
    ]
    return found, stray


def terminate_connections(database):
    _name, info = connection_info_for(database)
    cnx = psycopg2.connect(**info)
    try:
        cnx.autocommit = True
        with cnx.cursor() as cr:
            cr.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cr.fetchone()[0]
    finally:
        cnx.close()


def replica_transactions(port, database):
    """Transactions of the database counted by the replica (None: no answer)."""
    try:
        out = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-d",
                database,
                "-Atqc",
                "SELECT xact_commit + xact_rollback FROM pg_stat_database "
                "WHERE datname = current_database()",
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
        return int(out.strip())
    except (subprocess.SubprocessError, ValueError):
        return None


# ----------------------------------------------------------------------
# A pass
# ----------------------------------------------------------------------


class Bench:
    """What the clients of one pass share."""

    def __init__(self, args, ctx, label, base):
        self.database = args.database
        self.ctx = ctx
        self.label = label
        self.base = base
        self.rec = Recorder()
        self.go = threading.Event()
        self.stop = threading.Event()
        self.acks, self.logs, self.batches = [], [], []
        self.client_errors = []
        self.faults = []  # (name, monotonic)


def run_pass(
    args, ctx, label, duration, port, workdir, replica_port=None, faults=False
):
    bench = Bench(args, ctx, label, f"http://127.0.0.1:{port}")
    server = Server(
        args, port, os.path.join(workdir, f"odoo-{label}.log"), replica_port
    )
    go = os.path.join(workdir, f"go-{label}")
    sla = []
    try:
        server.wait_ready()
        sla = [
            SlaProcess(args, f"{label}-{i}", workdir, go) for i in range(SLA_PROCESSES)
        ]
        clients = [Agent(bench, agent) for agent in ctx["agents"]]
        clients += [Handler(bench, handler) for handler in ctx["handlers"]]
        clients += [
            Integration(bench, i, integration)
            for i, integration in enumerate(ctx["integrations"])
        ]
        for client in clients:
            client.start()
        for client in clients:
            client.ready.wait(120)
        failed = [c.failed for c in clients if c.failed or not c.ready.is_set()]
        if failed:
            raise SystemExit(f"[bench_load] clients could not log in: {failed}")
        for process in sla:
            process.wait_ready()
        handler = next(c for c in clients if isinstance(c, Handler))
        print(
            f"handlers read {len(handler.list_spec)} fields a list row, "
            f"{len(handler.form_spec)} a form (those of the complaint views)",
            flush=True,
        )
        replica_before = replica_port and replica_transactions(
            replica_port, args.database
        )
        open(go, "w").close()
        began = time.monotonic()
        bench.began = began
        bench.go.set()
        injector = faults and inject_faults(
            args, bench, server, sla, workdir, go, duration
        )
        time.sleep(max(0.0, began + duration - time.monotonic()))
        if injector:
            injector.join()
        bench.stop.set()
        for client in clients:
            client.join(TIMEOUT + 10)
        bench.ended = time.monotonic()
        for process in sla:
            process.stop()
        replica_after = replica_port and replica_transactions(
            replica_port, args.database
        )
        bench.replica = (
            replica_after - replica_before
            if replica_before is not None and replica_after is not None
            else None
        )
    finally:
        for process in sla:
            process.stop(5)
        server.stop()
    bench.server_log = read(server.logfile)
    bench.server_err = read(server.logfile + ".err")
    bench.sla_rows = [row for p in sla for row in p.rows() if "seconds" in row]
    bench.sla_log = "".join(read(p.log) for p in sla)
    bench.sla_err = "".join(read(p.log + ".err") for p in sla)
    bench.duration = duration
    return bench


def inject_faults(args, bench, server, sla, workdir, go, duration):
    """Start the thread that injects the faults during the pass; the SLA
    process it starts joins ``sla`` (stopped with the others)."""

    def at(fraction):
        time.sleep(max(0.0, bench.began + duration * fraction - time.monotonic()))

    def run():
        at(0.25)
        workers = server.http_workers()
        if workers:
            victim = random.Random(1).choice(workers)
            os.kill(victim, signal.SIGKILL)
            bench.faults.append((f"SIGKILL HTTP worker {victim}", time.monotonic()))
        at(0.4)
        sla[0].kill()
        bench.faults.append((f"SIGKILL SLA process {sla[0].name}", time.monotonic()))
        sla.append(SlaProcess(args, f"{bench.label}-restarted", workdir, go))
        at(0.55)
        count = terminate_connections(args.database)
        bench.faults.append(
            (f"pg_terminate_backend: {count} connections", time.monotonic())
        )

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------


def percentile(values, p):
    ordered = sorted(values)
    return ordered[
        min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    ]


def kind_stats(bench, kind):
    rows = [row for row in bench.rec.rows if row[0] == kind]
    outcomes = Counter(row[3] for row in rows)
    answered = [row[2] - row[1] for row in rows if row[3] in ("ok", "refused")]
    stats = {
        "requests": len(rows),
        "answered": len(answered),
        "refused": outcomes["refused"],
        "5xx": outcomes["5xx"],
        "errors": outcomes["error"] + outcomes["4xx"],
        "rate": len(answered) / bench.duration,
    }
    for p in (50, 95, 99):
        stats[f"p{p}"] = percentile(answered, p) if answered else None
    return stats


def report(bench):
    print(
        f"{'kind':19}{'requests':>9}{'answered':>9}{'refused':>8}{'5xx':>5}"
        f"{'errors':>7}{'per s':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
    )
    for kind in KINDS:
        st = kind_stats(bench, kind)
        figures = "".join(
            f"{st[p] * 1000:>8.0f}" if st["answered"] else f"{'-':>8}"
            for p in ("p50", "p95", "p99")
        )
        print(
            f"{kind:19}{st['requests']:>9}{st['answered']:>9}{st['refused']:>8}"
            f"{st['5xx']:>5}{st['errors']:>7}{st['rate']:>7.1f}{figures}"
        )
    runs = bench.sla_rows
    lines = sum(row.get("lines", 0) for row in runs)
    seconds = [row["seconds"] for row in runs if "error" not in row]
    print(
        f"{'SLA job':19}{len(runs):>9} runs, {lines} clocks handled, "
        f"{sum('error' in row for row in runs)} failed runs"
        + (
            f", p50 {percentile(seconds, 50) * 1000:.0f} ms, "
            f"p95 {percentile(seconds, 95) * 1000:.0f} ms a run"
            if seconds
            else ""
        )
    )
    server_retries = bench.server_log.count(RETRY)
    sla_retries = bench.sla_log.count(RETRY)
    print(
        f"serialization retries: server {server_retries}, SLA processes {sla_retries}"
        f" (gave up: {bench.server_log.count('maximum number of tries reached')}"
        f" + {bench.sla_log.count('maximum number of tries reached')})"
    )
    if bench.replica is not None:
        print(f"transactions served by the replica: {bench.replica}")
    errors = Counter(
        (row[0], str(row[4]))
        for row in bench.rec.rows
        if row[3] in ("5xx", "error", "4xx")
    )
    for (kind, detail), count in errors.most_common(10):
        print(f"  failed: {kind}: {detail} x{count}")
    for error in bench.client_errors[:5]:
        print(f"  client bug: {error}")


# ----------------------------------------------------------------------
# Checks
# ----------------------------------------------------------------------


class Checks:
    def __init__(self):
        self.results = []

    def __call__(self, name, ok, detail=""):
        self.results.append((name, ok))
        print(f"  {'OK  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
        return ok


def check_batches(cr, bench, check):
    batches = bench.batches
    ids = {ext for batch in batches for ext in batch["ids"]}
    cr.execute(
        "SELECT external_id, array_agg(id) FROM helpdesk_ticket "
        "WHERE external_source = %s AND external_id = ANY(%s) GROUP BY external_id",
        [SOURCE, list(ids)],
    )
    found = dict(cr.fetchall())
    answered = [b for b in batches if b["outcome"] == "ok"]
    wrong = 0
    created = Counter()
    for batch in answered:
        for ext, item in zip(batch["ids"], batch["result"], strict=True):
            if found.get(ext) != [item["id"]]:
                wrong += 1
            created[ext] += bool(item["created"])
    succeeded = {ext for b in answered for ext in b["ids"]}
    twice = sum(1 for count in created.values() if count > 1)
    check(
        "integration batches answered: each complaint exactly once",
        not wrong and not twice and all(len(v) == 1 for v in found.values()),
        f"{len(answered)} batches, {len(succeeded)} identifiers, {wrong} missing or "
        f"twice, {twice} reported created twice",
    )
    refused = [b for b in batches if b["outcome"] != "ok" and b["answered"]]
    leaked = sum(
        1 for b in refused for ext in b["ids"] if ext in found and ext not in succeeded
    )
    check(
        "integration batches refused (an answer): created nothing",
        not leaked,
        f"{len(refused)} batches, {leaked} complaints created",
    )
    lost = [b for b in batches if not b["answered"]]
    partial = 0
    for batch in lost:
        own = [ext for ext in batch["ids"] if ext not in succeeded]
        present = sum(ext in found for ext in own)
        partial += 0 < present < len(own)
    check(
        "integration batches without an answer: all or nothing",
        not partial,
        f"{len(lost)} batches, {partial} partly created",
    )


def check_acks(cr, bench, check):
    acks = bench.acks
    ok = [a for a in acks if a["outcome"] == "ok"]
    tickets = Counter(a["ticket"] for a in ok)
    cr.execute(
        "SELECT ticket_id, array_agg(acknowledged_by_id) FROM complaint_transfer "
        "WHERE ticket_id = ANY(%s) AND acknowledged_by_id IS NOT NULL GROUP BY 1",
        [list({a["ticket"] for a in acks})],
    )
    by = dict(cr.fetchall())
    notes = message_counts(cr, list(by), "%Acknowledged by %")
    wrong = sum(1 for a in ok if by.get(a["ticket"]) != [a["agent"]])
    noted = sum(1 for a in ok if notes.get(a["ticket"]) != 1)
    check(
        "acknowledgements with a success page: hand-off acknowledged once, by "
        "that agent",
        not wrong and not noted and max(tickets.values(), default=0) <= 1,
        f"{len(ok)} pages, {wrong} not acknowledged by their agent, {noted} without "
        f"exactly one note, {sum(c > 1 for c in tickets.values())} cases acknowledged "
        "twice",
    )
    refused = [a for a in acks if a["outcome"] == "refused"]
    odd = sum(
        1 for a in refused if not by.get(a["ticket"]) or a["agent"] in by[a["ticket"]]
    )
    check(
        "acknowledgements refused: another agent's",
        not odd,
        f"{len(refused)} refused, {odd} not acknowledged by someone else",
    )
    twice = sum(1 for count in notes.values() if count > 1)
    failed = [a for a in acks if a["outcome"] not in ("ok", "refused")]
    done_anyway = sum(1 for a in failed if a["agent"] in (by.get(a["ticket"]) or []))
    check(
        "no case acknowledged twice",
        not twice,
        f"{len(by)} cases acknowledged; of {len(failed)} acknowledgements failed in "
        f"flight, {done_anyway} were saved",
    )


def message_counts(cr, ticket_ids, pattern):
    cr.execute(
        "SELECT res_id, count(*) FROM mail_message WHERE model = 'helpdesk.ticket' "
        "AND res_id = ANY(%s) AND body::text ILIKE %s GROUP BY res_id",
        [ticket_ids, pattern],
    )
    return dict(cr.fetchall())


def check_logs(cr, bench, check):
    logs = bench.logs
    cr.execute(
        "SELECT substring(description from '^(bench-load \\S+ \\S+ #[0-9]+)'), "
        "count(*) FROM complaint_handling_log WHERE description LIKE %s GROUP BY 1",
        [f"bench-load {bench.label} %"],
    )
    found = dict(cr.fetchall())
    ok = [entry for entry in logs if entry["outcome"] == "ok"]
    wrong = sum(1 for entry in ok if found.get(entry["text"]) != 1)
    refused = [e for e in logs if e["outcome"] in ("refused", "4xx", "5xx")]
    leaked = sum(1 for entry in refused if entry["text"] in found)
    lost = [e for e in logs if e["outcome"] == "error"]
    check(
        "contact logs: saved once when the page said so, never when refused",
        not wrong and not leaked and max(found.values(), default=0) <= 1,
        f"{len(ok)} saved, {wrong} not exactly once; {len(refused)} refused or "
        f"failed with an answer, {leaked} saved anyway; {len(lost)} without an answer, "
        f"{sum(e['text'] in found for e in lost)} of them saved",
    )


def check_sla(cr, ctx, since, check):
    milestones = ctx["milestones"]
    cr.execute(
        "SELECT ticket_id, milestone_id, count(*) FILTER (WHERE breach_done), "
        "count(*) FILTER (WHERE warned_count > 0) FROM complaint_sla_line "
        "WHERE milestone_id = ANY(%s) GROUP BY 1, 2",
        [list(milestones)],
    )
    clocks = cr.fetchall()
    breached = {(t, m): b for t, m, b, _w in clocks if b}
    tickets = list({t for t, _m in breached})
    cr.execute(
        "SELECT res_id, body FROM mail_message WHERE model = 'helpdesk.ticket' "
        "AND res_id = ANY(%s) AND body::text LIKE %s",
        [tickets, "%time limit missed%"],
    )
    notes = Counter()
    for res_id, body in cr.fetchall():
        for mid, name in milestones.items():
            notes[(res_id, mid)] += body.count(f"{name}: time limit missed")
    dup = sum(1 for key, n in notes.items() if n > breached.get(key, 0))
    lost = sum(1 for key, n in breached.items() if notes.get(key, 0) < n)
    check(
        "SLA breaches: one note per clock",
        not dup and not lost,
        f"{sum(breached.values())} clocks breached, {dup} noted more than once, "
        f"{lost} without their note",
    )
    per_ticket = Counter()
    for (ticket, mid), count in breached.items():
        if mid in ctx["escalating"]:
            per_ticket[ticket] += count
    cr.execute(
        "SELECT ticket_id, count(*) FROM complaint_escalation WHERE reason = "
        "'time_limit' AND ticket_id = ANY(%s) GROUP BY 1",
        [tickets],
    )
    escalations = dict(cr.fetchall())
    over = sum(1 for t, n in escalations.items() if n > per_ticket.get(t, 0))
    cr.execute(
        "SELECT res_id, user_id, count(*) FROM mail_activity WHERE res_model = "
        "'helpdesk.ticket' AND activity_type_id = %s AND res_id = ANY(%s) "
        "GROUP BY 1, 2",
        [ctx["sla_activity"], tickets],
    )
    all_breached = Counter()
    for (ticket, _mid), count in breached.items():
        all_breached[ticket] += count
    activities = cr.fetchall()
    extra = sum(1 for t, _u, n in activities if n > all_breached.get(t, 0))
    check(
        "SLA breaches: escalated and given activities at most once per clock",
        not over and not extra,
        f"{sum(escalations.values())} escalations ({over} tickets too many), "
        f"{len(activities)} activities ({extra} too many)",
    )
    check_warnings(cr, ctx, since, check)


def check_warnings(cr, ctx, since, check):
    """Warning digests: no clock listed twice; as many warnings sent as clocks
    marked warned (those with an owner)."""
    cr.execute(
        "SELECT body FROM mail_message WHERE subject = %s AND create_date >= %s",
        [WARNING_SUBJECT, since],
    )
    names = {name: mid for mid, name in ctx["milestones"].items()}
    listed, more = Counter(), 0
    item = re.compile(
        r'/odoo/helpdesk\.ticket/(\d+)">[^<]*</a> ([^<]*?): warning (\d+)'
    )
    for (body,) in cr.fetchall():
        for ticket, name, level in item.findall(body):
            if name in names:
                listed[(int(ticket), names[name], int(level))] += 1
        more += sum(int(n) for n in re.findall(r"and (\d+) more", body))
    env = api.Environment(cr, SUPERUSER_ID, {})
    lines = env["complaint.sla.line"].search(
        [("milestone_id", "in", list(ctx["milestones"])), ("warned_count", ">", 0)]
    )
    owned = lines.filtered(lambda line: line._sla_recipients()[0].active)
    sent = sum(listed.values()) + more
    dup = sum(1 for n in listed.values() if n > 1)
    check(
        "SLA warnings: once per clock",
        not dup and sent == len(owned),
        f"{len(lines)} clocks warned ({len(owned)} with an owner), {sent} warnings "
        f"sent in digests, {dup} listed twice",
    )


def check_faults(bench, check):
    """Failures only in flight at a fault; all kinds answered afterwards."""
    rows = bench.rec.rows
    times = [t for _name, t in bench.faults]
    failed = [r for r in rows if r[3] in ("5xx", "error")]
    in_flight = [r for r in failed if any(r[1] <= t <= r[2] + 0.5 for t in times)]
    for name, t in bench.faults:
        print(f"  fault at {t - bench.began:5.1f} s: {name}")
    others = [r for r in failed if r not in in_flight]
    check(
        "faults: only requests in flight failed",
        not others,
        f"{len(failed)} failed, {len(in_flight)} in flight at a fault, "
        f"{len(others)} others"
        + (
            f" (e.g. {others[0][0]}: {others[0][4]} at "
            f"{others[0][1] - bench.began:.1f} s)"
            if others
            else ""
        ),
    )
    last = max(times, default=bench.began) + 3
    after = [r for r in rows if r[1] >= last]
    kinds = {r[0] for r in after if r[3] in ("ok", "refused")}
    bad = [r for r in after if r[3] in ("5xx", "error")]
    check(
        "faults: recovered (every kind answered afterwards, none failed)",
        kinds >= set(KINDS) - {"agent acknowledge"} and not bad,
        f"{len(after)} requests from {last - bench.began:.0f} s on, {len(bad)} failed, "
        f"kinds answered: {len(kinds)}/{len(KINDS)}",
    )
    runs = [row for row in bench.sla_rows if row["worker"].endswith("restarted")]
    check(
        "faults: the restarted SLA process runs the job",
        any("lines" in row for row in runs),
        f"{len(runs)} runs, {sum('error' in row for row in runs)} failed",
    )


def conflict_reason(record):
    """The reason of a "bad query" record of a transaction conflict, which
    odoo.sql_db logs at ERROR before the request is retried; else None."""
    if "bad query:" not in record:
        return None
    reason = record.rpartition("\nERROR: ")[2].strip().splitlines()[0]
    return reason if any(sign in reason for sign in CONFLICTS) else None


def shorten(text, size=3000):
    text = text.rstrip()
    if len(text) > size:
        text = text[: size // 3] + "\n[...]\n" + text[-2 * size // 3 :]
    return text


def check_log(bench, check, faults):
    records, stray = problems(bench.server_log, bench.server_err)
    sla_records, sla_stray = problems(bench.sla_log, bench.sla_err)
    all_records = records + sla_records
    conflicts = Counter(
        reason for _level, record in all_records if (reason := conflict_reason(record))
    )
    others = [r for r in all_records if not conflict_reason(r[1])]
    expected = [r for r in others if faults and any(s in r[1] for s in FAULT_SIGNS)]
    unexpected = [r for r in others if r not in expected]
    unexpected_stray = stray + sla_stray
    for reason, count in conflicts.most_common():
        print(
            f"  conflict logged at ERROR (bad query), then retried: {reason} x{count}"
        )
    check(
        "server and SLA logs: no warning or error"
        + (" but the faults'" if faults else "")
        + " (conflicts retried aside)",
        not unexpected and not unexpected_stray,
        f"{len(records)} in the server's log, {len(sla_records)} in the SLA "
        f"processes', {sum(conflicts.values())} conflicts, {len(expected)} from the "
        f"faults, {len(unexpected)} others",
    )
    shown = set()
    for _level, text in unexpected:
        key = re.sub(r"^\S+ \S+ \d+ ", "", text.splitlines()[0])[:120]
        if key in shown or len(shown) >= 8:
            continue
        shown.add(key)
        print("    | " + shorten(text).replace("\n", "\n    | "))
    for line in unexpected_stray[:20]:
        print("    stderr| " + line[:500])
    return unexpected


def verify(registry, ctx, bench, since, faults):
    check = Checks()
    with registry.cursor() as cr:
        check_batches(cr, bench, check)
        check_acks(cr, bench, check)
        check_logs(cr, bench, check)
        check_sla(cr, ctx, since, check)
    if faults:
        check_faults(bench, check)
    if bench.replica is not None:
        readonly = bench.server_log.count("read-only transaction")
        check(
            "replica: read-only requests served by it, none refused as read-only",
            bench.replica > 0 and not readonly,
            f"{bench.replica} transactions on the replica, {readonly} "
            '"read-only transaction" errors',
        )
    check_log(bench, check, faults)
    return check.results


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def start_replica(args):
    """(port, started by us) of the replica, or (None, reason)."""
    if (
        args.replica_port
        and replica_transactions(args.replica_port, args.database) is not None
    ):
        return args.replica_port, False
    if not args.replica_script or not os.path.exists(args.replica_script):
        return (
            None,
            "no replica script (tools/replica.sh)"
            if not args.replica_port
            else (f"no replica answers on port {args.replica_port}"),
        )
    port = args.replica_port or int(os.environ.get("REPLICA_PORT", "5433"))
    env = dict(os.environ, REPLICA_PORT=str(port))
    done = subprocess.run(
        ["bash", args.replica_script, "start"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    print(done.stdout.strip()[-2000:])
    if done.returncode:
        return (
            None,
            f"`{args.replica_script} start` failed: {done.stderr.strip()[-2000:]}",
        )
    for _attempt in range(60):
        if replica_transactions(port, args.database) is not None:
            return port, True
        time.sleep(1)
    return None, f"the replica on port {port} does not know {args.database}"


def stop_replica(args, port):
    env = dict(os.environ, REPLICA_PORT=str(port))
    subprocess.run(
        ["bash", args.replica_script, "stop"],
        env=env,
        check=False,
        timeout=300,
        capture_output=True,
    )


def run_passes(args, registry, ctx, since, workdir):
    port = args.port or free_port()
    print("requests:")
    for kind, what in KINDS.items():
        print(f"  {kind:19}{what}")
    summary = []
    for label in args.passes:
        replica_port, started = None, False
        if label == "replica":
            replica_port, started = start_replica(args)
            if replica_port is None:
                print(f"\n== pass replica: SKIPPED ({started})")
                summary.append((label, None))
                continue
        faults = label == "faults" and args.faults
        duration = args.fault_duration if label == "faults" else args.duration
        print(
            f"\n== pass {label}: {args.workers} workers"
            + (f", read replica on port {replica_port}" if replica_port else "")
            + (", faults injected" if faults else "")
            + f", {duration} s",
            flush=True,
        )
        try:
            bench = run_pass(
                args, ctx, label, duration, port, workdir, replica_port, faults
            )
        finally:
            if started:
                stop_replica(args, replica_port)
        report(bench)
        results = verify(registry, ctx, bench, since, faults)
        summary.append((label, (bench, results)))
    return summary


def print_summary(summary):
    """A table for the README: the passes side by side, kind by kind."""
    ran = [(label, data[0]) for label, data in summary if data]
    print("\n== summary (client wall time, loopback; answered = success or refusal)")
    print(
        "| request | pass | answered/s | p50 ms | p95 ms | p99 ms | refused "
        "| 5xx | errors |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind in KINDS:
        for label, bench in ran:
            st = kind_stats(bench, kind)
            times = " | ".join(
                f"{st[p] * 1000:.0f}" if st["answered"] else "-"
                for p in ("p50", "p95", "p99")
            )
            print(
                f"| {kind} | {label} | {st['rate']:.1f} | {times} | {st['refused']} "
                f"| {st['5xx']} | {st['errors']} |"
            )
    for label, bench in ran:
        runs = bench.sla_rows
        print(
            f"{label}: SLA job {len(runs)} runs, "
            f"{sum(row.get('lines', 0) for row in runs)} clocks; serialization "
            f"retries {bench.server_log.count(RETRY)} (server) + "
            f"{bench.sla_log.count(RETRY)} (SLA)"
            + (
                f"; replica transactions {bench.replica}"
                if bench.replica is not None
                else ""
            )
        )
    fails = [
        (label, name)
        for label, data in summary
        if data
        for name, ok in data[1]
        if not ok
    ]
    for label, data in summary:
        if data is None:
            print(f"pass {label}: skipped")
    print("checks: " + ("all OK" if not fails else f"{len(fails)} FAILED: {fails}"))
    return not fails


def main():
    args = parse()
    if args.sla_worker:
        return sla_worker(args)
    if not args.passes:
        print("[bench_load] run by `make bench-load` (with --passes): skipped here")
        return None
    began = time.monotonic()
    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn"]
    )
    registry = Registry(args.database)
    tag = int(time.time())
    since = datetime.now().replace(microsecond=0) - timedelta(seconds=1)
    with registry.cursor() as cr:
        ctx = prepare(api.Environment(cr, SUPERUSER_ID, {}), tag)
        cr.commit()
    hand_over(registry, ctx, args.handed)
    print(
        f"data: {ORGS} organisations, {len(ctx['agents'])} agents, "
        f"{len(ctx['handlers'])} handlers, {len(ctx['integrations'])} integrations, "
        f"{args.handed:,} complaints handed over, in "
        f"{time.monotonic() - began:.0f} s",
        flush=True,
    )
    workdir = tempfile.mkdtemp(prefix="bench_load_")
    try:
        summary = run_passes(args, registry, ctx, since, workdir)
    finally:
        if args.keep_logs:
            print(f"logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    ok = print_summary(summary)
    print(f"runtime: {time.monotonic() - began:.0f} s")
    if not ok:
        raise SystemExit(1)
    return None


if __name__ == "__main__":
    main()
