#!/usr/bin/env bash
# The annual report computed from records at scale, beside bare SQL over the same rows, in the
# same run.
#
#   bench/report.sh
#
# For each backend (a SQLite file, then a fresh PostgreSQL database) it builds `gongkai` in
# release, generates one province with `gongkai demo-data` (timed once), and then times, ROUNDS
# times each after one untimed run, every command as a separate process:
#   - the consolidated report of the whole province: `gongkai report compute --organ ROOT
#     --year YEAR --subtree`;
#   - one organ's year, the busiest organ's (most applications received in the year):
#     `gongkai report compute --organ BUSY --year YEAR`;
#   - the references over the same rows, through the engine's own client (sqlite3 or psql):
#     the 本年新收 of 表三 by applicant kind as one bare `GROUP BY` (applications joined to
#     their `received` event in the year), over the province and over the busy organ, and a
#     `GROUP BY event` over every ledger row;
#   - the process start of `gongkai --version` (every figure above includes a process start).
# It prints a Markdown table of the median wall time of each, and its ratio to the reference
# of the same scope; each round's figures go to stderr. A command that fails is reported as
# such, with its message, and the run goes on.
#
# Needs: cargo, sqlite3, awk; psql for
# PostgreSQL (apt-get install -y sqlite3 postgresql-client).
# Environment: ORGANS (10000), APPLICATIONS (1000000), ITEMS (100000), YEAR (2025), SEED (1),
# ROUNDS (5), BACKENDS ("sqlite postgres"), PG_BASE (postgres://postgres@127.0.0.1:5432),
# SKIP_BUILD=1 to use the binary already built, KEEP=1 to keep the databases (the SQLite file
# stays in the work directory, printed at the end; the PostgreSQL database is not dropped).
set -euo pipefail

ORGANS=${ORGANS:-10000}
APPLICATIONS=${APPLICATIONS:-1000000}
ITEMS=${ITEMS:-100000}
YEAR=${YEAR:-2025}
SEED=${SEED:-1}
ROUNDS=${ROUNDS:-5}
BACKENDS=${BACKENDS:-sqlite postgres}
PG_BASE=${PG_BASE:-postgres://postgres@127.0.0.1:5432}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/gongkai-report-bench.XXXXXX)
pg_db=""
cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then
        echo "kept: $work${pg_db:+ and $PG_BASE/$pg_db}" >&2
        return
    fi
    if [ -n "$pg_db" ]; then psql "$PG_BASE/postgres" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    (cd "$root" && cargo build --release -p gongkai-cli >&2)
fi
gongkai="$root/target/release/gongkai"

now_ns() { date +%s%N; }

# Milliseconds (3 decimals) of one run of the command; its output goes to $work/out.txt and
# its errors to $work/err.txt. Prints `FAIL` if it exits non-zero.
once() {
    local start end
    start=$(now_ns)
    if ! "$@" >"$work/out.txt" 2>"$work/err.txt"; then
        echo FAIL
        return
    fi
    end=$(now_ns)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e6 }'
}

median() { # NUMBERS...
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.1f", v[(NR + 1) / 2]; else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Median milliseconds of ROUNDS runs after one untimed run; `fails: …` if the first run fails.
timed() { # LABEL COMMAND...
    local label=$1 t
    shift
    t=$(once "$@")
    if [ "$t" = FAIL ]; then
        printf 'fails: %s' "$(head -c 160 "$work/err.txt" | tr '\n|' '  ')"
        return
    fi
    local runs=()
    for _ in $(seq "$ROUNDS"); do
        t=$(once "$@")
        [ "$t" = FAIL ] && { printf 'fails on a later run: %s' "$(head -c 160 "$work/err.txt" | tr '\n|' '  ')"; return; }
        runs+=("$t")
    done
    echo "$backend $label: ${runs[*]} ms" >&2
    median "${runs[@]}"
}

ratio() { # A B: A/B, or blank
    awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1f×", a / b }'
}

echo "# The annual report from records: $ORGANS organs, $APPLICATIONS applications, $ITEMS items, year $YEAR (seed $SEED); median of $ROUNDS runs ($(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| backend | what | median ms | against the reference of its scope |"
echo "|---|---|---|---|"
for backend in $BACKENDS; do
    case $backend in
        sqlite)
            db="$work/province.db"
            sql() { sqlite3 "$db" "$1"; }
            ;;
        postgres)
            pg_db="gongkai_report_bench_$$"
            psql "$PG_BASE/postgres" -qc "CREATE DATABASE $pg_db" >/dev/null
            db="$PG_BASE/$pg_db"
            sql() { psql "$db" -qAtc "$1"; }
            ;;
        *) echo "unknown backend $backend" >&2; exit 2 ;;
    esac
    start=$(now_ns)
    "$gongkai" demo-data --organs "$ORGANS" --applications "$APPLICATIONS" --items "$ITEMS" \
        --year "$YEAR" --seed "$SEED" --db "$db" >"$work/generated.txt"
    generation_ms=$(awk -v a="$start" -v b="$(now_ns)" 'BEGIN { printf "%.0f", (b - a) / 1e6 }')
    organ_root=$(sed -n 's/^root_organ=//p' "$work/generated.txt")
    organ_busy=$(sed -n 's/^busiest_organ=//p' "$work/generated.txt")
    busy_count=$(sed -n 's/^busiest_organ_applications=//p' "$work/generated.txt")
    events=$(sed -n 's/^case_events=//p' "$work/generated.txt")
    echo "$backend: generated in ${generation_ms} ms ($events ledger events); root organ $organ_root, busiest organ $organ_busy ($busy_count applications in $YEAR)" >&2
    [ "$backend" = postgres ] && sql "ANALYZE" >/dev/null

    # 本年新收 by applicant kind: the one GROUP BY the report's first row needs.
    received="SELECT a.applicant_kind, count(*) FROM applications a JOIN case_events e ON e.application_id = a.id WHERE e.event = 'received' AND e.date BETWEEN '$YEAR-01-01' AND '$YEAR-12-31'"
    ref_all=$(timed "reference, province" sql "$received GROUP BY a.applicant_kind")
    ref_events=$(timed "reference, every ledger row" sql "SELECT event, count(*) FROM case_events GROUP BY event")
    ref_busy=$(timed "reference, busy organ" sql "$received AND a.organ_id = $organ_busy GROUP BY a.applicant_kind")
    start_ms=$(timed "process start" "$gongkai" --version)
    province=$(timed "report compute --subtree" "$gongkai" report compute --organ "$organ_root" --year "$YEAR" --subtree --db "$db")
    organ=$(timed "report compute, busy organ" "$gongkai" report compute --organ "$organ_busy" --year "$YEAR" --db "$db")

    echo "| $backend | \`demo-data\` (once) | $generation_ms | $events ledger events |"
    echo "| $backend | \`report compute --subtree\`, the province | $province | $(ratio "$province" "$ref_all") |"
    echo "| $backend | \`report compute\`, busiest organ ($busy_count applications) | $organ | $(ratio "$organ" "$ref_busy") |"
    echo "| $backend | reference: 本年新收 \`GROUP BY\`, province | $ref_all | 1× |"
    echo "| $backend | reference: \`GROUP BY event\`, every ledger row | $ref_events | $(ratio "$ref_events" "$ref_all") |"
    echo "| $backend | reference: 本年新收 \`GROUP BY\`, busiest organ | $ref_busy | 1× |"
    echo "| $backend | process start, \`gongkai --version\` | $start_ms | |"
    if [ "$backend" = postgres ] && [ "${KEEP:-0}" != 1 ]; then
        psql "$PG_BASE/postgres" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null
        pg_db=""
    fi
done
