"""Production start: Odoo in workers mode (as `WORKERS=N make run` starts it)
behind Debian's nginx (tools/proxy.sh). The websocket process must start once
and stay up (live updates), the proxy must pass plain requests and the
websocket upgrade, and nothing may be logged at WARNING or above."""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

import odoo

REPO = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.5)
    return False


def _children(pid):
    out = subprocess.run(
        ["ps", "-ww", "-o", "pid=,args=", "--ppid", str(pid)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return [line.split(None, 1) for line in out.splitlines() if line.strip()]


@pytest.fixture
def production(tmp_path):
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        pytest.skip("nginx is not installed (make setup installs it)")
    odoo_bin = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"
    config = odoo.tools.config.rcfile
    database = odoo.tools.config["db_name"]
    http, gevent, proxy = _free_port(), _free_port(), _free_port()
    log = tmp_path / "odoo.log"
    server = subprocess.Popen(
        [
            os.environ.get("PYTHON", str(Path(os.sys.executable))),
            str(odoo_bin),
            "-c",
            config,
            "-d",
            database,
            f"--db-filter=^{database}$",
            f"--http-port={http}",
            f"--gevent-port={gevent}",
            "--workers=2",
            "--max-cron-threads=0",
            "--proxy-mode",
            "--limit-time-real=600",
            f"--logfile={log}",
            "--log-level=info",
        ],
        start_new_session=True,
    )
    nginx = subprocess.Popen(
        ["bash", str(REPO / "tools/proxy.sh")],
        env={
            **os.environ,
            "PROXY_PORT": str(proxy),
            "ODOO_HTTP_PORT": str(http),
            "ODOO_GEVENT_PORT": str(gevent),
        },
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield server, proxy, log
    finally:
        for process in (nginx, server):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (nginx, server):
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def test_workers_mode_behind_the_proxy(production):
    server, proxy, log = production
    base = f"http://127.0.0.1:{proxy}"
    assert _wait(f"{base}/web/health"), log.read_text()[-3000:]
    response = requests.get(f"{base}/web/login", timeout=30)
    assert response.status_code == 200
    # The websocket upgrade goes through the proxy to the gevent process
    # (which starts a moment after the HTTP workers).
    deadline = time.time() + 30
    while True:
        upgrade = requests.get(
            f"{base}/websocket",
            headers={
                "Connection": "Upgrade",
                "Upgrade": "websocket",
                "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                "Origin": base,
            },
            stream=True,
            timeout=10,
        )
        upgrade.close()
        if upgrade.status_code != 502 or time.time() > deadline:
            break
        time.sleep(0.5)
    assert upgrade.status_code == 101, log.read_text()[-3000:]
    # One websocket process, the same one a few seconds later (a failing one
    # is respawned by the master about three times a second).
    gevent = [pid for pid, args in _children(server.pid) if " gevent " in args]
    assert len(gevent) == 1, _children(server.pid)
    time.sleep(3)
    assert [pid for pid, args in _children(server.pid) if " gevent " in args] == gevent
    text = log.read_text()
    assert "Evented Service (longpolling) running" in text
    bad = [
        line
        for line in text.splitlines()
        if any(f" {level} " in line for level in ("WARNING", "ERROR", "CRITICAL"))
    ]
    assert not bad, bad
