"""Print Odoo 18.0's pinned Python requirements, adjusted to build today.

Usage: python odoo_requirements.py ODOO_SRC

Reads ODOO_SRC/requirements.txt (the file shipped with Odoo's source) and replaces
the few pins that no longer install with current pip and setuptools on the Python
versions Odoo 18 supports. Each replacement keeps the same major/minor series
where one exists and says why.
"""

import re
import sys
from pathlib import Path

# package name (lower case) -> (replacement line for the environment marker, reason)
OVERRIDES = {
    # 5.4.2 has no wheel for Python 3.11 and its sdist no longer builds with
    # setuptools >= 72; 5.6.x keeps the API and ships wheels for 3.8-3.13.
    ("cbor2", "python_version < '3.12'"): "cbor2==5.6.5 ; python_version < '3.12'",
}


def adjusted(lines):
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name = re.split(r"[=<>!~; \[]", line, maxsplit=1)[0].lower()
        marker = line.split(";", 1)[1].strip() if ";" in line else ""
        yield OVERRIDES.get((name, marker), line)


def main(src):
    req = Path(src) / "requirements.txt"
    if not req.is_file():
        sys.exit(
            f"{req} is missing: an Odoo 18.0 source tree ships it "
            "(set ODOO_SRC to a complete tree)"
        )
    for line in adjusted(req.read_text().splitlines()):
        print(line)


if __name__ == "__main__":
    main(sys.argv[1])
