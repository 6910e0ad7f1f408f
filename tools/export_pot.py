"""Export each addon's i18n/<addon>.pot from a database where it is installed
with its demo data. The terms of demo records stay in the .pot: Odoo merges
the .po with the .pot when it loads a translation, and drops what the .pot
lacks (a demo stage would stay untranslated).

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
        pot.save(str(target))
        print(f"{target.relative_to(REPO)}: {len(pot)} terms")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
