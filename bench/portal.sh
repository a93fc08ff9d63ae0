#!/usr/bin/env bash
# The portal against nginx serving the same pages as static files, in the same run.
#
#   bench/portal.sh [PATH...]        (default: / /zwgk/xxgk/1 /zwgk/nianbao/2022 /zwgk/fdzdgknr/1)
#
# For each backend (SQLite, then PostgreSQL on a fresh database) it builds `gongkai` in release,
# starts `gongkai serve --demo`, fetches each page once into a directory (plain and gzip -9, as
# an exported static site would be), starts nginx on that directory (gzip_static for the
# compressed runs, as the portal's cache precompresses too), and runs wrk against both with the
# same threads, connections and duration, without and with `Accept-Encoding: gzip`, gongkai
# and nginx taking turns, ROUNDS times each. It prints a Markdown table of the median requests
# per second of each and the median of the rounds' ratios gongkai/nginx (each round compares
# two runs a few seconds apart, under the same load from anything else on the machine; each
# round's figures go to stderr). wrk, nginx and gongkai share the machine's cores, as they would share
# any small server; both servers are measured the same way.
#
# Needs: cargo, nginx, wrk, curl, gzip; psql for PostgreSQL
# (apt-get install -y nginx-light wrk curl postgresql-client).
# Environment: THREADS (2), CONNECTIONS (64), DURATION (10s), WARMUP (2s), ROUNDS (3), BACKENDS
# ("sqlite postgres"), PG_BASE (postgres://postgres@127.0.0.1:5432), GONGKAI_PORT (18080),
# NGINX_PORT (18081), SKIP_BUILD=1 to use the binary already built, PIN=1 to run the servers
# on CPU 0 and wrk on CPU 1.
set -euo pipefail

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-2s}
BACKENDS=${BACKENDS:-sqlite postgres}
PG_BASE=${PG_BASE:-postgres://postgres@127.0.0.1:5432}
GONGKAI_PORT=${GONGKAI_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
if [ $# -gt 0 ]; then PATHS=("$@"); else PATHS=(/ /zwgk/xxgk/1 /zwgk/nianbao/2022 /zwgk/fdzdgknr/1); fi

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/gongkai-bench.XXXXXX)
chmod 755 "$work" # nginx's workers read the site as their own user
server_pin=()
client_pin=()
if [ "${PIN:-0}" = 1 ]; then
    server_pin=(taskset -c 0)
    client_pin=(taskset -c 1)
fi

gongkai_pid=""
nginx_pid=""
pg_db=""
stop_servers() {
    if [ -n "$gongkai_pid" ]; then kill "$gongkai_pid" 2>/dev/null || true; wait "$gongkai_pid" 2>/dev/null || true; fi
    if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
    gongkai_pid=""
    nginx_pid=""
    if [ -n "$pg_db" ]; then psql "$PG_BASE/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true; fi
    pg_db=""
}
trap 'stop_servers; [ "${KEEP:-0}" = 1 ] || rm -rf "$work"' EXIT

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    (cd "$root" && cargo build --release -p gongkai-cli >&2)
fi
gongkai="$root/target/release/gongkai"

wait_for() { # URL: until it answers, at most 30 s
    for _ in $(seq 300); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "no answer from $1" >&2
    return 1
}

# Requests per second of one wrk run (after a warm-up): URL, then extra wrk arguments. A run
# with error answers or socket errors is marked with `!` and its wrk output goes to stderr.
rate() {
    local url=$1 out="$work/wrk.txt"
    shift
    "${client_pin[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$@" "$url" >/dev/null
    "${client_pin[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$@" "$url" >"$out"
    awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out"
    if grep -q "Non-2xx\|Socket errors" "$out"; then
        printf '!'
        cat "$out" >&2
    fi
}

median() { # NUMBERS...: the middle one (a `!` mark on any is kept)
    local mark=""
    case "$*" in *'!'*) mark='!' ;; esac
    printf '%s\n' "$@" | tr -d '!' | sort -n | awk '{ v[NR] = $1 } END { printf "%d", v[int((NR + 1) / 2)] }'
    printf '%s' "$mark"
}

start_nginx() { # DIR
    local site=$1 conf="$work/nginx"
    mkdir -p "$conf/logs"
    cat >"$conf/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $conf/nginx.pid;
error_log $conf/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log $conf/logs/access.log;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    default_type text/html;
    types { }
    charset utf-8;
    gzip_static on;
    gzip_vary on;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $site;
        location / { try_files \$uri/index.html =404; }
    }
}
EOF
    "${server_pin[@]}" nginx -p "$conf" -c "$conf/nginx.conf" &
    nginx_pid=$!
    wait_for "http://127.0.0.1:$NGINX_PORT${PATHS[0]}"
}

echo "# gongkai portal vs nginx: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, median of $ROUNDS ($(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| backend | page | bytes | encoding | gongkai req/s | nginx req/s | gongkai/nginx (median of rounds) |"
echo "|---|---|---|---|---|---|---|"
for backend in $BACKENDS; do
    case $backend in
        sqlite) db="$work/gongkai.db" ;;
        postgres)
            pg_db="gongkai_bench_$$"
            psql "$PG_BASE/postgres" -qc "CREATE DATABASE $pg_db" >/dev/null
            db="$PG_BASE/$pg_db"
            ;;
        *) echo "unknown backend $backend" >&2; exit 2 ;;
    esac
    (cd "$work" && GONGKAI_DATA_KEY_FILE="$work/$backend.key" \
        exec "${server_pin[@]}" "$gongkai" serve --demo --db "$db" --addr "127.0.0.1:$GONGKAI_PORT" \
        >"$work/$backend.out" 2>"$work/$backend.log") &
    gongkai_pid=$!
    wait_for "http://127.0.0.1:$GONGKAI_PORT/healthz"

    # The same bytes as files: plain, and gzip -9 beside them for gzip_static.
    site="$work/site-$backend"
    for path in "${PATHS[@]}"; do
        dir="$site${path%/}"
        mkdir -p "$dir"
        curl -fsS -o "$dir/index.html" "http://127.0.0.1:$GONGKAI_PORT$path"
        gzip -9 -k -f "$dir/index.html"
    done
    start_nginx "$site"

    for path in "${PATHS[@]}"; do
        bytes=$(wc -c <"$site${path%/}/index.html")
        if ! cmp -s <(curl -fsS "http://127.0.0.1:$NGINX_PORT$path") "$site${path%/}/index.html"; then
            echo "nginx does not serve the page of $path" >&2
            exit 1
        fi
        for encoding in identity gzip; do
            args=()
            [ "$encoding" = gzip ] && args=(-H "Accept-Encoding: gzip")
            ours=()
            theirs=()
            ratios=()
            for _ in $(seq "$ROUNDS"); do
                a=$(rate "http://127.0.0.1:$GONGKAI_PORT$path" "${args[@]}")
                b=$(rate "http://127.0.0.1:$NGINX_PORT$path" "${args[@]}")
                ours+=("$a")
                theirs+=("$b")
                ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%d", (b > 0 ? 100 * a / b : 0) }')")
            done
            echo "$backend $path $encoding: gongkai ${ours[*]}; nginx ${theirs[*]}; ratios ${ratios[*]}" >&2
            echo "| $backend | \`$path\` | $bytes | $encoding | $(median "${ours[@]}") | $(median "${theirs[@]}") | $(median "${ratios[@]}")% |"
        done
    done
    stop_servers
done
