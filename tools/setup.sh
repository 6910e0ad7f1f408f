#!/usr/bin/env bash
# Set-up shared by `make run`, `make test` and `make bench`.
#
# Prepares, outside the repository checkout (so that every clone reuses it):
#   - the Debian packages the product needs (only those missing),
#   - a reachable PostgreSQL server and a role for the current user,
#   - an Odoo 18.0 Community source tree (reused, or downloaded as last resort),
#   - a Python virtual environment with Odoo's pinned requirements,
#   - OCA helpdesk_mgmt 18.0 from PyPI (and the OCA addons the tests add),
#   - an Odoo configuration file.
# Re-running is idempotent and fast: every step is skipped when its stamp matches.
#
# Environment variables (all optional):
#   ODOO_SRC         an Odoo 18.0 source tree to reuse (folder holding odoo/ and odoo-bin)
#   ODOO_PYTHON      a Python interpreter where `import odoo` gives Odoo 18.0, to reuse
#   PYTHON           the interpreter for the virtual environment (default: python3, 3.10-3.12)
#   COMPLAINT_HOME   where the environment lives (default: ~/.cache/complaint-handling)
#   PGHOST, PGPORT, PGUSER, PGPASSWORD   the PostgreSQL server (default: local socket)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOME_DIR=${COMPLAINT_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/complaint-handling}
ODOO_TARBALL_URL=${ODOO_TARBALL_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}
ODOO_GIT_URL=${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}
mkdir -p "$HOME_DIR"

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "root rights are needed to run: $*"
    fi
}

# --- 1. Debian packages ------------------------------------------------------
SYSTEM_PACKAGES=(
    # build dependencies of Odoo's pinned Python requirements
    build-essential libpq-dev libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev
    libjpeg-dev zlib1g-dev libffi-dev
    # PostgreSQL client tools (createdb, pg_isready, psql)
    postgresql-client
    # PDF reports, and Chinese glyphs in them; pdftotext/pdftoppm read them
    # back in the tests and for the README's picture
    wkhtmltopdf fonts-noto-cjk poppler-utils
    # headless browser for Odoo's browser tests (tours)
    chromium
    # reverse proxy in front of workers mode (tools/proxy.sh, its test)
    nginx
)
install_system_packages() {
    command -v dpkg-query >/dev/null 2>&1 || {
        log "not a Debian/Ubuntu system: install by hand the equivalents of: ${SYSTEM_PACKAGES[*]}"
        return 0
    }
    local missing=() pkg
    for pkg in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing Debian packages: ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# --- 2. PostgreSQL -----------------------------------------------------------
ensure_postgresql() {
    if pg_isready -q 2>/dev/null; then
        :
    else
        if ! dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q "install ok installed"; then
            log "no PostgreSQL server is reachable: installing one"
            as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        fi
        log "starting PostgreSQL"
        as_root service postgresql start >/dev/null || true
        local i
        for i in $(seq 1 30); do pg_isready -q && break; sleep 1; done
        pg_isready -q || die "PostgreSQL is not reachable (set PGHOST/PGPORT/PGUSER)"
    fi
    local role=${PGUSER:-$(id -un)}
    if ! psql -d postgres -Atqc "select 1" >/dev/null 2>&1; then
        log "creating the PostgreSQL role $role"
        as_root su postgres -c "createuser --superuser '$role'" \
            || die "cannot connect to PostgreSQL as $role"
    fi
}

# --- 3. Odoo 18.0 source -----------------------------------------------------
is_odoo18_src() {  # $1: folder holding the odoo package
    [ -f "$1/odoo/release.py" ] && [ -f "$1/odoo/__init__.py" ] \
        && grep -Eq "^version_info = \(18, 0," "$1/odoo/release.py"
}
odoo_src_of_python() {  # $1: interpreter; prints the folder holding its odoo package
    "$1" - <<'PY' 2>/dev/null
import os, odoo.release as r
assert r.version_info[:2] == (18, 0)
print(os.path.dirname(os.path.dirname(os.path.abspath(r.__file__))))
PY
}
download_odoo() {
    local dest=$HOME_DIR/odoo-18.0
    if is_odoo18_src "$dest"; then echo "$dest"; return; fi
    log "no Odoo 18.0 given (ODOO_SRC / ODOO_PYTHON): downloading the official Community source"
    rm -rf "$dest.part" && mkdir -p "$dest.part"
    if curl -fL --retry 3 "$ODOO_TARBALL_URL" | tar -xz -C "$dest.part" --strip-components=1; then
        :
    else
        rm -rf "$dest.part"
        git clone --depth 1 --branch 18.0 "$ODOO_GIT_URL" "$dest.part" \
            || die "cannot download Odoo 18.0: set ODOO_SRC to an Odoo 18.0 source tree"
    fi
    mv "$dest.part" "$dest"
    echo "$dest"
}
resolve_odoo_src() {
    local src="" recorded=$HOME_DIR/odoo-src
    if [ -n "${ODOO_SRC:-}" ]; then
        src=$(cd "$ODOO_SRC" && pwd)
        is_odoo18_src "$src" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree"
    elif [ -n "${ODOO_PYTHON:-}" ]; then
        src=$(odoo_src_of_python "$ODOO_PYTHON") \
            || die "ODOO_PYTHON=$ODOO_PYTHON cannot import Odoo 18.0"
    elif [ -f "$recorded" ] && is_odoo18_src "$(cat "$recorded")"; then
        src=$(cat "$recorded")
    elif src=$(odoo_src_of_python "${PYTHON:-python3}"); then
        :
    else
        src=$(download_odoo)
    fi
    echo "$src" > "$recorded"
    echo "$src"
}

# --- 4. Python environment ---------------------------------------------------
pick_python() {
    local py=${PYTHON:-python3}
    "$py" -c 'import sys; assert (3, 10) <= sys.version_info[:2] <= (3, 12)' 2>/dev/null \
        || die "$py is not a working Python 3.10, 3.11 or 3.12 (the versions Odoo 18 supports): set PYTHON"
    echo "$py"
}
stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
pip() {  # quiet pip; drops the notices about unreachable extra index folders
    local venv=$1; shift
    "$venv/bin/python" -m pip -q "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}

build_venv() {  # $1 python, $2 odoo src
    local py=$1 src=$2 ver venv
    ver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    venv=$HOME_DIR/venv-py$ver
    if [ ! -x "$venv/bin/python" ]; then
        log "creating the virtual environment $venv"
        "$py" -m venv "$venv" 2>/dev/null || {
            as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python3-venv" >/dev/null
            "$py" -m venv "$venv"
        }
    fi
    local reqs key
    reqs=$HOME_DIR/odoo-requirements-py$ver.txt
    "$venv/bin/python" "$REPO/tools/odoo_requirements.py" "$src" > "$reqs.new"
    key=$(cat "$reqs.new" "$REPO/requirements.txt" "$REPO/tools/requirements-dev.txt" | sha256sum | cut -c1-16)
    if ! stamp_ok "$venv/.stamp-requirements" "$key"; then
        log "installing Odoo's pinned requirements and the test tools (first run only)"
        # setuptools below 80: Odoo's pinned gevent (22.10) imports
        # pkg_resources, which 80 deprecates loudly and 81 removes; without it
        # the websocket process of workers mode never starts.
        pip "$venv" install --upgrade pip wheel "setuptools<80"
        pip "$venv" install -r "$reqs.new" -r "$REPO/requirements.txt" \
            -r "$REPO/tools/requirements-dev.txt"
        echo "$key" > "$venv/.stamp-requirements"
    fi
    mv "$reqs.new" "$reqs"
    # Odoo itself is reused in place: a .pth file puts its folder on sys.path
    # (no editable install, whose namespace folder would hide the real package).
    local site
    site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "$src" > "$site/odoo18-source.pth"
    "$venv/bin/python" -c 'import odoo.release as r; assert r.version_info[:2] == (18, 0)' \
        || die "the virtual environment cannot import Odoo 18.0 from $src"
    echo "$venv"
}

# --- 5. OCA addons from PyPI -------------------------------------------------
install_oca_addons() {  # $1 venv
    local venv=$1 target=$HOME_DIR/oca-addons key
    key=$(sha256sum "$REPO/tools/requirements-oca.txt" | cut -c1-16)
    if ! stamp_ok "$target/.stamp" "$key"; then
        log "installing OCA addons from PyPI: $(grep -v '^#' "$REPO/tools/requirements-oca.txt" | xargs)"
        rm -rf "$target"
        # The wheels require the `odoo` distribution, which pip does not know here:
        # install them without dependencies, into a folder of their own.
        pip "$venv" install --no-deps --target "$target" -r "$REPO/tools/requirements-oca.txt"
        echo "$key" > "$target/.stamp"
    fi
    echo "$target/odoo/addons"
}

# --- 6. Odoo configuration ---------------------------------------------------
write_config() {  # $1 src, $2 oca addons path; prints the shared config
    # The shared config knows Odoo and the OCA addons; each checkout gets its
    # own copy that adds itself to the addons path (.odoo.conf, git-ignored),
    # so that two checkouts never point each other's runs at the wrong code.
    local src=$1 oca=$2 addons conf=$HOME_DIR/odoo.conf
    addons="$src/odoo/addons"
    [ -d "$src/addons" ] && addons="$src/addons,$addons"
    addons="$addons,$oca"
    {
        echo "[options]"
        echo "addons_path = $addons"
        echo "data_dir = $HOME_DIR/data"
        echo "db_host = ${PGHOST:-False}"
        echo "db_port = ${PGPORT:-False}"
        echo "db_user = ${PGUSER:-$(id -un)}"
        echo "db_password = ${PGPASSWORD:-False}"
        echo "admin_passwd = ${ODOO_ADMIN_PASSWD:-admin}"
        echo "http_interface = ${ODOO_HTTP_INTERFACE:-127.0.0.1}"
        echo "http_port = ${ODOO_HTTP_PORT:-8069}"
        echo "max_cron_threads = 1"
        echo "limit_time_real = 600"
    } > "$conf"
    sed "s|^addons_path = .*|addons_path = $addons,$REPO|" "$conf" > "$REPO/.odoo.conf"
    echo "$conf"
}

main() {
    install_system_packages
    ensure_postgresql
    local py src venv oca conf
    py=$(pick_python)
    src=$(resolve_odoo_src)
    venv=$(build_venv "$py" "$src")
    oca=$(install_oca_addons "$venv")
    conf=$(write_config "$src" "$oca")
    # Machine-readable result for the Makefile and the test runner.
    cat > "$HOME_DIR/env.sh" <<ENV
ODOO_SRC=$src
VENV=$venv
ODOO_RC=$conf
ODOO_BIN=$src/odoo-bin
ENV
    log "Odoo 18.0 from $src, Python environment $venv"
}
main "$@"
