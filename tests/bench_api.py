"""Benchmark: complaint intake through the APIs a carrier's systems call, on a
real Odoo server (a subprocess, prefork with 2 workers, no cron, loopback).

The same complaints (by default 10 batches of 50 = 500 of each method) are
received four ways, each with its own external identifiers, alternating batch
by batch so that every method sees the same database size:

- ``xmlrpc create``: XML-RPC ``helpdesk.ticket.create``, one call per batch;
- ``xmlrpc receive``: XML-RPC ``complaint_receive`` (idempotent), one call per
  batch;
- ``rest 1 client``: the TMF621 API, one POST per complaint, one client after
  the other on a keep-alive session;
- ``rest N clients``: the same with N concurrent clients (threads, default 4).

Prints, for each method, the complaints received per second, the mean and 95th
percentile wall time of one call (client side, loopback included: a batch for
XML-RPC, a complaint for REST) and its rate against ``xmlrpc create``; the
floor of one call (an empty search, authentication included) of XML-RPC and of
the REST API; then one batch of identifiers already received is sent again
through the REST API and through ``complaint_receive``: the complaints counted
before and after (nothing may be created) and the rate of the re-sending.
Last, it checks that exactly 4 x --total complaints carry an external
identifier, none twice, and that the server logged no warning or error (its
log is printed otherwise).

XML-RPC authenticates with the integration user's password, the REST API with
its API key (bearer), as the carrier's systems do. Run by ``make bench`` on a
database of its own; it adds its records and leaves them there.
"""

import os
import random
import shutil
import statistics
import tempfile
import threading
import time
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

import requests
from bench_common import OdooServer, arg_parser, free_port, load_registry, make_user

from odoo import SUPERUSER_ID, api

# 10 batches of 50: REST takes about 0.15 s a complaint on 2 cores, the
# default run stays under 3 minutes.
TOTAL = 500
BATCH = 50
CLIENTS = 4
WORKERS = 2
WARMUP = 3  # complaints per method, without external identifier (not counted)
FLOOR_CALLS = 20
SOURCE = "crm"  # the external identifiers' owner (external_source)
PASSWORD = "bench-api-integration-2026"  # a throw-away bench user
API = "/tmf-api/troubleTicketManagement/v5/troubleTicket"
METHODS = ("xmlrpc create", "xmlrpc receive", "rest 1 client", "rest N clients")
PREFIX = {
    "xmlrpc create": "C",
    "xmlrpc receive": "R",
    "rest 1 client": "S",
    "rest N clients": "P",
}


def parse():
    parser = arg_parser(__doc__, TOTAL, BATCH)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument(
        "--port",
        type=int,
        help="HTTP port of the server (default: a free one); the next one is "
        "its gevent port",
    )
    args = parser.parse_args()
    if args.total < args.batch or args.batch < 1 or args.clients < 1:
        parser.error("--total >= --batch >= 1 and --clients >= 1")
    return args


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------


def prepare(env):
    """The integration user, its API key, customers; returns the context."""
    env.ref("base.main_company").email = "complaints@carrier.example.com"
    integration = make_user(
        env,
        "Intake integration (API bench)",
        "bench_api_integration",
        [
            "helpdesk_mgmt.group_helpdesk_user_own",
            "complaint_handling.complaint_handling_group_personal_data",
        ],
        password=PASSWORD,
    )
    key = (
        env["res.users.apikeys"]
        .with_user(integration)
        .sudo()
        ._generate(None, "bench", None)
    )
    team = env.ref("complaint_handling.helpdesk_ticket_team_complaint")
    team.user_ids = [(4, integration.id)]
    partners = env["res.partner"].create(
        [{"name": f"Customer {i}", "phone": f"139{i:08d}"} for i in range(2000)]
    )
    categories = env["helpdesk.ticket.category"].search(
        [("parent_id", "!=", False), ("child_id", "=", False)]
    )
    channels = env["helpdesk.ticket.channel"].search([])
    return {
        "uid": integration.id,
        "key": key,
        "partners": [(p.id, p.name) for p in partners],
        "categories": categories.ids,
        "channels": channels.ids,
    }


def complaint_factory(ctx, seed=42):
    """A function of a record number: the complaint's data, the same for
    every method."""
    rng = random.Random(seed)
    cache = {}

    def complaint(i):
        if i not in cache:
            partner_id, partner_name = rng.choice(ctx["partners"])
            number = f"138{rng.randrange(10**8):08d}"
            cache[i] = {
                "name": f"Complaint {i}",
                "description": "Calls drop in the metro since Monday.",
                "partner_id": partner_id,
                "partner_name": partner_name,
                "category_id": rng.choice(ctx["categories"]),
                "channel_id": rng.choice(ctx["channels"]),
                "phone": number,
                "account_number": f"GA{i:08d}",
                "business_line": rng.choice(["mobile", "broadband", "fixed"]),
                "severity": rng.choice(["minor", "general", "serious", "major"]),
                "urgency": rng.choice(["low", "normal", "urgent"]),
                "customer_demand": "Refund and apology.",
            }
        return cache[i]

    return complaint


def rpc_vals(data, external_id):
    """helpdesk.ticket values of a complaint (XML-RPC)."""
    vals = {
        "kind": "complaint",
        "name": data["name"],
        "description": f"<p>{data['description']}</p>",
        "partner_id": data["partner_id"],
        "partner_name": data["partner_name"],
        "category_id": data["category_id"],
        "channel_id": data["channel_id"],
        "contact_phone": data["phone"],
        "service_number": data["phone"],
        "account_number": data["account_number"],
        "business_line": data["business_line"],
        "severity": data["severity"],
        "urgency": data["urgency"],
        "customer_demand": data["customer_demand"],
    }
    if external_id:
        vals.update({"external_id": external_id, "external_source": SOURCE})
    return vals


def tmf_resource(data, external_id):
    """The TMF621 resource of a complaint (REST)."""
    resource = {
        "@type": "TroubleTicket",
        "name": data["name"],
        "description": data["description"],
        "ticketType": "complaint",
        "severity": data["severity"],
        "channel": {"id": str(data["channel_id"])},
        "relatedParty": [
            {
                "role": "customer",
                "id": str(data["partner_id"]),
                "name": data["partner_name"],
            }
        ],
        "troubleTicketCharacteristic": [
            {"name": name, "value": value}
            for name, value in (
                ("category", data["category_id"]),
                ("businessLine", data["business_line"]),
                ("urgency", data["urgency"]),
                ("serviceNumber", data["phone"]),
                ("contactPhone", data["phone"]),
                ("accountNumber", data["account_number"]),
                ("customerDemand", data["customer_demand"]),
            )
        ],
    }
    if external_id:
        resource["externalIdentifier"] = [{"id": external_id, "owner": SOURCE}]
    return resource


def external_id(method, i):
    return f"BENCH-{PREFIX[method]}-{i:07d}"


# ----------------------------------------------------------------------
# The server
# ----------------------------------------------------------------------


# ----------------------------------------------------------------------
# The clients
# ----------------------------------------------------------------------


class ApiError(Exception):
    """A call answered with an unexpected status."""


class Clients:
    """XML-RPC and REST clients of the integration user."""

    def __init__(self, server, database, ctx, clients):
        self.server = server
        self.database = database
        self.uid = ctx["uid"]
        self.headers = {
            "Authorization": f"Bearer {ctx['key']}",
            "Content-Type": "application/json",
        }
        self.rpc = xmlrpc.client.ServerProxy(
            f"{server.base}/xmlrpc/2/object", allow_none=True
        )
        self.session = requests.Session()
        self.local = threading.local()
        self.pool = ThreadPoolExecutor(clients)

    def close(self):
        self.pool.shutdown()
        self.session.close()

    def execute(self, method, *args):
        return self.rpc.execute_kw(
            self.database, self.uid, PASSWORD, "helpdesk.ticket", method, list(args)
        )

    def thread_session(self):
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def post(self, session, resource, expected=201):
        """POST one complaint; returns (seconds, response)."""
        start = time.perf_counter()
        response = session.post(
            self.server.base + API, json=resource, headers=self.headers, timeout=120
        )
        elapsed = time.perf_counter() - start
        if response.status_code != expected:
            raise ApiError(
                f"POST {API} ({resource.get('externalIdentifier')}): "
                f"{response.status_code} instead of {expected}: {response.text[:2000]}"
            )
        return elapsed, response

    # Each method: a batch of complaint data -> (wall seconds, [seconds a call]).

    def xmlrpc_create(self, batch):
        start = time.perf_counter()
        ids = self.execute("create", [rpc_vals(data, ext) for ext, data in batch])
        elapsed = time.perf_counter() - start
        assert len(ids) == len(batch), f"create: {len(ids)} ids for {len(batch)}"
        return elapsed, [elapsed]

    def xmlrpc_receive(self, batch):
        start = time.perf_counter()
        result = self.execute(
            "complaint_receive", [rpc_vals(data, ext) for ext, data in batch]
        )
        elapsed = time.perf_counter() - start
        created = sum(item["created"] for item in result)
        assert created == len(batch), f"receive: {created} created of {len(batch)}"
        return elapsed, [elapsed]

    def rest_sequential(self, batch):
        start = time.perf_counter()
        calls = [
            self.post(self.session, tmf_resource(data, ext))[0] for ext, data in batch
        ]
        return time.perf_counter() - start, calls

    def rest_concurrent(self, batch):
        def post(item):
            ext, data = item
            return self.post(self.thread_session(), tmf_resource(data, ext))[0]

        start = time.perf_counter()
        calls = list(self.pool.map(post, batch))
        return time.perf_counter() - start, calls

    def runner(self, method):
        return {
            "xmlrpc create": self.xmlrpc_create,
            "xmlrpc receive": self.xmlrpc_receive,
            "rest 1 client": self.rest_sequential,
            "rest N clients": self.rest_concurrent,
        }[method]


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def floor(clients):
    """Median seconds of an empty search: XML-RPC, REST."""
    rpc, rest = [], []
    for _i in range(FLOOR_CALLS):
        start = time.perf_counter()
        clients.execute("search_count", [("id", "=", 0)])
        rpc.append(time.perf_counter() - start)
        start = time.perf_counter()
        response = clients.session.get(
            f"{clients.server.base}{API}?id=0&limit=1",
            headers=clients.headers,
            timeout=60,
        )
        rest.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise ApiError(f"GET {API}?id=0: {response.status_code} {response.text}")
    return statistics.median(rpc), statistics.median(rest)


def measure(clients, complaint, total, batch):
    """Receive ``total`` complaints each way, alternating batch by batch.
    Returns method -> [wall seconds, [seconds a call], count]."""
    stats = {method: [0.0, [], 0] for method in METHODS}
    for first in range(0, total, batch):
        numbers = range(first, min(first + batch, total))
        for method in METHODS:
            items = [(external_id(method, i), complaint(i)) for i in numbers]
            elapsed, calls = clients.runner(method)(items)
            stats[method][0] += elapsed
            stats[method][1] += calls
            stats[method][2] += len(items)
    return stats


def resend(clients, registry, complaint, batch):
    """Send the first batch of ``xmlrpc create`` again through the REST API
    and through complaint_receive; prints what came of it."""
    items = [(external_id("xmlrpc create", i), complaint(i)) for i in range(batch)]
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        original = dict(
            env["helpdesk.ticket"]
            .search([("external_id", "in", [ext for ext, _data in items])])
            .mapped(lambda t: (t.external_id, t.id))
        )
    print(f"re-sending {len(items)} identifiers received by xmlrpc create:")
    for label in ("rest 1 client", "xmlrpc receive"):
        before = count_complaints(registry)
        if label == "rest 1 client":
            start = time.perf_counter()
            ids = []
            for ext, data in items:
                _elapsed, response = clients.post(
                    clients.session, tmf_resource(data, ext), expected=200
                )
                assert response.headers.get("X-Duplicate-Of") == str(original[ext])
                ids.append(int(response.json()["id"]))
            elapsed = time.perf_counter() - start
            created = 0
        else:
            start = time.perf_counter()
            result = clients.execute(
                "complaint_receive", [rpc_vals(data, ext) for ext, data in items]
            )
            elapsed = time.perf_counter() - start
            ids = [item["id"] for item in result]
            created = sum(item["created"] for item in result)
        after = count_complaints(registry)
        same = ids == [original[ext] for ext, _data in items]
        print(
            f"  {label:15} complaints {before} -> {after}, created {created}, "
            f"{'the tickets received first' if same else 'OTHER TICKETS'} "
            f"returned, {len(items) / elapsed:.0f} complaints/s"
        )
        assert after == before and not created and same, "a re-send created twins"


def count_complaints(registry):
    with registry.cursor() as cr:
        cr.execute("SELECT count(*) FROM helpdesk_ticket WHERE kind = 'complaint'")
        return cr.fetchone()[0]


def label(method, clients):
    return method.replace(" N ", f" {clients} ")


def verify(registry, total, clients):
    """Exactly ``total`` complaints of each method, no identifier twice."""
    with registry.cursor() as cr:
        cr.execute(
            """SELECT count(*), count(DISTINCT (company_id, external_source,
                      external_id))
                 FROM helpdesk_ticket WHERE external_id LIKE 'BENCH-%%'"""
        )
        found, distinct = cr.fetchone()
        cr.execute(
            """SELECT split_part(external_id, '-', 2), count(*)
                 FROM helpdesk_ticket WHERE external_id LIKE 'BENCH-%%'
                GROUP BY 1"""
        )
        per_prefix = dict(cr.fetchall())
    expected = total * len(METHODS)
    per_method = {method: per_prefix.get(PREFIX[method], 0) for method in METHODS}
    ok = found == distinct == expected and set(per_method.values()) == {total}
    print(
        f"complaints with a benchmark identifier: {found} ({distinct} distinct), "
        f"expected {expected}: {'ok' if ok else 'WRONG'} "
        f"({', '.join(f'{label(m, clients)}: {n}' for m, n in per_method.items())})"
    )
    return ok


def report(stats, clients):
    base_rate = stats["xmlrpc create"][2] / stats["xmlrpc create"][0]
    print(
        f"{'':16}{'complaints':>11}{'calls':>7}{'seconds':>9}{'compl/s':>9}"
        f"{'mean ms':>9}{'p95 ms':>8}{'vs create':>10}"
    )
    for method, (elapsed, calls, count) in stats.items():
        rate = count / elapsed
        print(
            f"{label(method, clients):16}{count:>11}{len(calls):>7}"
            f"{elapsed:>9.1f}{rate:>9.1f}"
            f"{statistics.mean(calls) * 1000:>9.0f}{p95(calls) * 1000:>8.0f}"
            f"{rate / base_rate:>10.2f}"
        )


def main():
    args = parse()
    registry = load_registry(args.config, args.database)
    with registry.cursor() as cr:
        ctx = prepare(api.Environment(cr, SUPERUSER_ID, {}))
        cr.commit()
    complaint = complaint_factory(ctx)
    port = args.port or free_port()
    workdir = tempfile.mkdtemp(prefix="bench_api_")
    server = OdooServer(
        args.config,
        args.database,
        port,
        os.path.join(workdir, "odoo.log"),
        workers=args.workers,
    )
    clients = None
    try:
        server.wait_ready()
        clients = Clients(server, args.database, ctx, args.clients)
        print(
            f"server: {args.workers} workers on port {port}; {args.total} complaints "
            f"a method in batches of {args.batch}, REST with 1 and {args.clients} "
            "clients"
        )
        # Warm-up: every method once, complaints without external identifier.
        for method in METHODS:
            clients.runner(method)(
                [(None, complaint(10**6 + i)) for i in range(WARMUP)]
            )
        rpc_floor, rest_floor = floor(clients)
        stats = measure(clients, complaint, args.total, args.batch)
        report(stats, args.clients)
        print(
            f"floor of one call (an empty search, median of {FLOOR_CALLS}): XML-RPC "
            f"{rpc_floor * 1000:.0f} ms (password), REST "
            f"{rest_floor * 1000:.0f} ms (API key)"
        )
        resend(clients, registry, complaint, args.batch)
    except (ApiError, xmlrpc.client.Fault, AssertionError) as exc:
        print(f"[bench_api] FAILED: {exc}\nserver log:\n{server.log_tail()}")
        raise SystemExit(1) from None
    finally:
        if clients:
            clients.close()
        server.stop()
        problems = server.log_problems()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"server log: {'clean' if not problems else 'NOT CLEAN:'}")
    if problems:
        print(problems[-20000:])
    if not verify(registry, args.total, args.clients) or problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
