#!/usr/bin/env bash
# Makes sure a PostgreSQL server listens on 127.0.0.1:5432 with trust authentication for the
# test suite, then prints the URL to put in GONGKAI_TEST_DATABASE_URL (TestDb creates and
# drops one database per test beside the one named).
#
# Idempotent. Runs as root on Debian 12: if no server answers, it installs Debian's
# `postgresql`, makes sure the newest cluster exists, sets trust authentication on loopback
# and the local socket, and starts it with pg_ctlcluster (no systemd needed).
# Usage: eval "$(bash .ci/postgres.sh)"   (prints `export GONGKAI_TEST_DATABASE_URL=...`;
# everything else goes to standard error)
set -euo pipefail

URL="postgres://postgres@127.0.0.1:5432/postgres"

ready() {
    command -v psql >/dev/null 2>&1 &&
        psql "$URL" -Atqc 'SELECT 1' >/dev/null 2>&1
}

announce() {
    echo "export GONGKAI_TEST_DATABASE_URL='$URL'"
}

if ready; then
    announce
    exit 0
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "postgres.sh: installing PostgreSQL (Debian package)" >&2
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if [ ! -d "/etc/postgresql/$VERSION/main" ]; then
    pg_createcluster "$VERSION" main >&2
fi
CONF="/etc/postgresql/$VERSION/main"

# Trust on loopback and the socket: this server exists only for the tests of this machine.
cat > "$CONF/pg_hba.conf" <<'HBA'
local   all   all                 trust
host    all   all   127.0.0.1/32  trust
host    all   all   ::1/128       trust
HBA
mkdir -p "$CONF/conf.d"
cat > "$CONF/conf.d/gongkai-tests.conf" <<'PGCONF'
listen_addresses = '127.0.0.1'
port = 5432
PGCONF
chown -R postgres:postgres "$CONF"

if pg_ctlcluster "$VERSION" main status >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$VERSION" main restart >&2
else
    pg_ctlcluster --skip-systemctl-redirect "$VERSION" main start >&2
fi

for _ in $(seq 1 60); do
    if ready; then
        announce
        exit 0
    fi
    sleep 1
done
echo "postgres.sh: PostgreSQL did not answer on 127.0.0.1:5432" >&2
exit 1
