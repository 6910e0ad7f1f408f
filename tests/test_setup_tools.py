"""The set-up's own logic: Odoo's pinned requirements adjusted to build today."""

import importlib.util
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


odoo_requirements = _load("odoo_requirements", REPO / "tools" / "odoo_requirements.py")

ODOO_PINS = """\
# comment line
cbor2==5.4.2 ; python_version < '3.12'
cbor2==5.6.2 ; python_version >= '3.12'
psycopg2==2.9.5 ; python_version == '3.11'  # (Bookworm)
pytz  # no version pinning
"""


def test_only_the_broken_pin_is_replaced():
    lines = list(odoo_requirements.adjusted(ODOO_PINS.splitlines()))
    assert lines == [
        "cbor2==5.6.5 ; python_version < '3.12'",
        "cbor2==5.6.2 ; python_version >= '3.12'",
        "psycopg2==2.9.5 ; python_version == '3.11'",
        "pytz",
    ]


def test_missing_requirements_file_is_a_clear_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, REPO / "tools" / "odoo_requirements.py", tmp_path],
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert "requirements.txt is missing" in proc.stderr


def test_setup_script_is_valid_bash():
    subprocess.run(["bash", "-n", REPO / "tools" / "setup.sh"], check=True)
    subprocess.run(["bash", "-n", REPO / "tools" / "run.sh"], check=True)


def test_ci_calls_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    readme = (REPO / "README.md").read_text()
    assert "make test" in readme
    assert [line for line in ci.splitlines() if line and not line.startswith("#")][
        -1
    ] == "exec make test"
