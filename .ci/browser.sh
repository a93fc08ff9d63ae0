#!/usr/bin/env bash
# Browser tests of the portal and console (tests/browser): installs Debian's chromium and
# fonts-noto-cjk if missing, installs playwright-core with `npm ci` (no browser download),
# builds gongkai, starts `gongkai serve --demo` on a free port with a temporary database,
# runs the tests with node's test runner, stops the server. Exits non-zero on failure;
# screenshots of failed tests are left in tests/browser/screenshots/.
# Idempotent; runs as root on Debian 12.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

if ! command -v chromium >/dev/null 2>&1 || ! command -v fc-list >/dev/null 2>&1 ||
    ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then
    echo "browser.sh: installing chromium and fonts-noto-cjk (Debian packages)" >&2
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-noto-cjk
fi

(cd tests/browser && npm ci --no-audit --no-fund)

cargo build -p gongkai-cli
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/gongkai"

WORK="$(mktemp -d)"
# The demo server must not pick up a developer's database or configuration. The tests log in
# more often than one person would (a dozen times a minute, all from 127.0.0.1), so the
# per-address log-in limit is raised; the lock-out after wrong passwords stays as configured.
env -u GONGKAI_DB -u GONGKAI_CONFIG -u GONGKAI_ADDR -u GONGKAI_PORTAL_ORGAN \
    GONGKAI_LOGIN_ATTEMPTS_PER_MINUTE=100 \
    "$BIN" serve --demo --addr 127.0.0.1:0 --db "$WORK/demo.db" >"$WORK/stdout" 2>"$WORK/server.log" &
SERVER=$!
cleanup() {
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

URL=""
for _ in $(seq 1 120); do
    URL="$(sed -n 's|^gongkai 已启动：\(http://[^ ]*\)$|\1|p' "$WORK/stdout" | head -n 1)"
    [ -n "$URL" ] && break
    if ! kill -0 "$SERVER" 2>/dev/null; then
        echo "browser.sh: the server exited:" >&2
        cat "$WORK/stdout" "$WORK/server.log" >&2
        exit 1
    fi
    sleep 1
done
if [ -z "$URL" ]; then
    echo "browser.sh: the server did not start within 120 s" >&2
    cat "$WORK/stdout" "$WORK/server.log" >&2
    exit 1
fi
echo "browser.sh: demo server at $URL"

status=0
(cd tests/browser && GONGKAI_URL="$URL" node --test --test-concurrency=1 applications.test.mjs items.test.mjs portal.test.mjs reports.test.mjs) || status=$?
if [ "$status" -ne 0 ]; then
    echo "browser.sh: browser tests failed; server log:" >&2
    tail -n 50 "$WORK/server.log" >&2
fi
exit "$status"
