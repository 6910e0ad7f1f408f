"""Export each addon's i18n/<addon>.pot from a database where it is installed,
leaving out the terms of demo records (they are data, not user interface).

Usage: python tools/export_pot.py DATABASE   (run by ``make pot``)
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent


def main(database, odoo_rc):
    for manifest in sorted(REPO.glob("*/__manifest__.py")):
        addon = manifest.parent.name
        target = REPO / addon / "i18n" / f"{addon}.pot"
        with tempfile.NamedTemporaryFile(suffix=".pot") as raw:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "odoo",
                    "-c",
                    odoo_rc,
                    "-d",
                    database,
                    f"--i18n-export={raw.name}",
                    f"--modules={addon}",
                    "--stop-after-init",
                    "--log-level=warn",
                ],
                check=True,
            )
            pot = polib.pofile(raw.name)
        for entry in list(pot):
            entry.occurrences = [
                (where, line)
                for where, line in entry.occurrences
                if not where.endswith("_demo")
            ]
            if not entry.occurrences and entry.comment.startswith("module:"):
                pot.remove(entry)
        pot.save(str(target))
        print(f"{target.relative_to(REPO)}: {len(pot)} terms")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
