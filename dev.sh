#!/usr/bin/env bash
# Set-up and everyday commands. Each one creates ./.venv and installs the project
# into it first when needed, so a fresh machine needs only Python 3.11.
#
#   ./dev.sh serve [--host H] [--port P]   serve on the embedded defaults
#   ./dev.sh test [pytest arguments]       lint and type-check, then the whole test suite
#   ./dev.sh cli ARGS...                   any forum-server command
#   ./dev.sh messages                      extract strings, update and compile the catalogues
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv
# Pango and HarfBuzz for WeasyPrint (PDF reports), a font it can always find, and
# pdftotext (poppler-utils) for the tests that read the PDFs back. Reports in Arabic
# and Chinese (and their charts) need fonts with those glyphs: fonts-noto-ui-core
# (Noto Sans/Naskh Arabic UI, 5 MB, a fraction of fonts-noto-core's 42 MB) and
# fonts-wqy-microhei (WenQuanYi Micro Hei, 5 MB, against 16 MB for fonts-wqy-zenhei and
# 91 MB for fonts-noto-cjk); the report's CSS and charts name them.
PDF_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils"
PDF_PACKAGES="$PDF_PACKAGES fonts-noto-ui-core fonts-wqy-microhei"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "dev.sh: need root to run: $*" >&2; return 1; fi
}

apt_install() {
    # Debian packages some steps need (python3-venv, chromium for browser tests).
    command -v apt-get >/dev/null || { echo "dev.sh: please install: $*" >&2; return 1; }
    if [ ! -f /tmp/.forum-apt-updated ]; then
        as_root apt-get update -qq && touch /tmp/.forum-apt-updated
    fi
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
            rm -rf "$VENV"
            apt_install python3-venv
            "$PYTHON" -m venv "$VENV"
        fi
    fi
    # Reinstall whenever pyproject.toml changed since the last install.
    if [ ! -f "$VENV/.installed" ] || [ pyproject.toml -nt "$VENV/.installed" ]; then
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -e '.[test]'
        touch "$VENV/.installed"
    fi
}

command=${1:-help}
shift || true
case "$command" in
    serve)
        ensure_venv
        exec "$VENV/bin/forum-server" serve "$@"
        ;;
    test)
        ensure_venv
        "$VENV/bin/ruff" check .
        "$VENV/bin/ruff" format --check .
        "$VENV/bin/mypy" forum_server
        # WeasyPrint's system libraries, so that PDF reports are tested for real.
        missing=""
        for package in $PDF_PACKAGES; do
            dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
                || missing="$missing $package"
        done
        if [ -n "$missing" ]; then
            # shellcheck disable=SC2086
            apt_install $missing \
                || echo "dev.sh: could not install$missing; PDF tests check the error instead" >&2
        fi
        # The OpenID provider the sign-in tests start (tests/oidc/provider), from its lock file.
        if command -v node >/dev/null && command -v npm >/dev/null \
            && [ ! -d tests/oidc/provider/node_modules ]; then
            (cd tests/oidc/provider && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
                || echo "dev.sh: npm ci in tests/oidc/provider failed" >&2
        fi
        # Chromium for the browser tests (tests/e2e), and axe-core from their lock file.
        if [ ! -x /usr/bin/chromium ]; then
            apt_install chromium 2>/dev/null \
                || echo "dev.sh: could not install chromium; browser tests skip" >&2
        fi
        if command -v npm >/dev/null && [ ! -d tests/e2e/node_modules ]; then
            (cd tests/e2e && npm ci --silent --no-audit --no-fund >/dev/null 2>&1) \
                || echo "dev.sh: npm ci in tests/e2e failed" >&2
        fi
        # The whole suite runs on every core (each test has its own database; tests that
        # share a browser or identity provider stay on one worker); a run of chosen
        # tests, or one given -n, runs as asked.
        if [ $# -eq 0 ]; then
            set -- -n auto --dist loadgroup
        fi
        exec "$VENV/bin/pytest" "$@"
        ;;
    messages)
        ensure_venv
        # Errors are catalogue entries where they are raised: their classes are keywords.
        keywords="-k N_ -k lazy_gettext -k t -k tn:1,2 -k Invalid -k BadRequest -k Unauthorized \
            -k Forbidden -k NotFound -k Conflict -k TooLarge -k RateLimited -k Unavailable"
        # shellcheck disable=SC2086
        "$VENV/bin/pybabel" -q extract -F babel.cfg $keywords --no-location --sort-output \
            --omit-header -o forum_server/locales/messages.pot .
        for lang in ar es fr ru zh; do
            if [ -f "forum_server/locales/$lang/LC_MESSAGES/messages.po" ]; then
                "$VENV/bin/pybabel" -q update -i forum_server/locales/messages.pot \
                    -d forum_server/locales -l "$lang" --no-fuzzy-matching --ignore-obsolete
            else
                "$VENV/bin/pybabel" -q init -i forum_server/locales/messages.pot \
                    -d forum_server/locales -l "$lang"
            fi
        done
        "$VENV/bin/pybabel" -q compile -d forum_server/locales --statistics
        ;;
    cli)
        ensure_venv
        exec "$VENV/bin/forum-server" "$@"
        ;;
    *)
        sed -n '2,8p' "$0"
        ;;
esac
