#!/usr/bin/env bash
# Start Debian's nginx with tools/nginx/complaints.conf in front of Odoo's
# workers, for a local check of the production set-up (README, "Production").
#   PROXY_PORT (8080): where nginx listens
#   ODOO_HTTP_PORT (8069), ODOO_GEVENT_PORT (8072): where Odoo listens
# Runs in the foreground until stopped (Ctrl+C); its files live in a temporary
# folder, nothing is written to /etc/nginx.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROXY_PORT=${PROXY_PORT:-8080}
ODOO_HTTP_PORT=${ODOO_HTTP_PORT:-8069}
ODOO_GEVENT_PORT=${ODOO_GEVENT_PORT:-8072}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$NGINX" ] || { echo "[proxy] nginx is not installed (make setup installs it)" >&2; exit 1; }
prefix=$(mktemp -d /tmp/complaints-nginx.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
mkdir -p "$prefix/logs" "$prefix/tmp"
sed -e "s/PROXY_PORT/$PROXY_PORT/; s/ODOO_HTTP_PORT/$ODOO_HTTP_PORT/; s/ODOO_GEVENT_PORT/$ODOO_GEVENT_PORT/" \
    "$REPO/tools/nginx/complaints.conf" > "$prefix/site.conf"
cat > "$prefix/nginx.conf" <<CONF
worker_processes 1;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    access_log $prefix/logs/access.log;
    client_body_temp_path $prefix/tmp/body;
    proxy_temp_path $prefix/tmp/proxy;
    fastcgi_temp_path $prefix/tmp/fastcgi;
    uwsgi_temp_path $prefix/tmp/uwsgi;
    scgi_temp_path $prefix/tmp/scgi;
    include $prefix/site.conf;
}
CONF
"$NGINX" -t -q -p "$prefix" -c "$prefix/nginx.conf"
echo "[proxy] nginx on http://localhost:$PROXY_PORT -> Odoo :$ODOO_HTTP_PORT, websocket :$ODOO_GEVENT_PORT"
"$NGINX" -p "$prefix" -c "$prefix/nginx.conf" -g "daemon off;" &
nginx_pid=$!
trap 'kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null; rm -rf "$prefix"' EXIT INT TERM
wait "$nginx_pid"
