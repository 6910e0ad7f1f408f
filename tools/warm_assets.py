"""Generate the asset bundles users load first, on the primary database, once
the addons are installed or upgraded (run by tools/run.sh).

With a read replica, Odoo serves /web/assets/… on a read-only cursor: the first
request for a bundle that does not exist yet writes it on the primary, then reads
it back on the replica before the replica has replayed it, and fails (HTTP 400,
"Record does not exist", then a login page without its scripts). Generating the
bundles beforehand avoids that first miss (left-to-right ones: the product's
languages are Chinese and English).

Usage: python tools/warm_assets.py CONFIG DATABASE"""

import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

BUNDLES = [
    "web.assets_web",
    "web.assets_web_print",
    "web.assets_frontend",
    "web.assets_frontend_minimal",
    "web.assets_frontend_lazy",
    "portal.assets_chatter",
    "portal.assets_chatter_style",
    "web.report_assets_common",
    "web.report_assets_pdf",
    "bus.websocket_worker_assets",
]


def main(config, database):
    odoo.tools.config.parse_config(["-c", config, "-d", database])
    with Registry(database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        qweb = env["ir.qweb"]
        made = 0
        for name in BUNDLES:
            try:
                bundle = qweb._get_asset_bundle(name)
            except ValueError:
                continue  # a bundle of an addon not installed
            if bundle.javascripts:
                bundle.js()
                made += 1
            if bundle.stylesheets:
                bundle.css()
                made += 1
        cr.commit()
    print(f"[run] {made} asset bundles ready")


if __name__ == "__main__":
    main(*sys.argv[1:3])
