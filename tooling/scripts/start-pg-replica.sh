#!/usr/bin/env bash
# Starts a PostgreSQL streaming replica (hot standby) of the primary on 127.0.0.1:5432, on
# 127.0.0.1:${STRATA_REPLICA_PORT:-5433}, for the read-replica tests of @strata/runtime (issue 20).
# Idempotent: a replica that already answers, is in recovery and streams is left alone; otherwise the data
# directory is made afresh with pg_basebackup (-R: standby.signal and primary_conninfo) and started.
#
# The primary needs a `replication` entry in pg_hba.conf (`host all all` does not match
# replication connections): when none covers 127.0.0.1, one trust line for 127.0.0.1/32 is
# appended and the configuration reloaded. wal_level=replica and max_wal_senders>0 are the
# defaults of PostgreSQL 15. No replication slot: a slot left behind by a deleted replica would
# keep WAL on the primary forever; a replica that fell too far behind is simply rebuilt here.
set -euo pipefail

PORT="${STRATA_REPLICA_PORT:-5433}"
PRIMARY_HOST=127.0.0.1
PRIMARY_PORT="${STRATA_PRIMARY_PORT:-5432}"
PRIMARY_USER="${STRATA_PRIMARY_USER:-root}"
BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
DIR="${STRATA_REPLICA_DIR:-/var/lib/postgresql/15/strata-replica-${PORT}}"
LOG="${DIR}/replica.log"

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
primary() { psql -X -q -At -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" -d postgres -c "$1"; }
replica_ready() {
  [ "$(psql -X -q -At -h 127.0.0.1 -p "$PORT" -U "$PRIMARY_USER" -d postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = "t" ]
}

# Streaming: its WAL receiver is connected to the primary. A standby that fell further behind than
# the primary keeps WAL (no slot, see above) stays in recovery but never catches up again
# ("requested WAL segment … has already been removed"): rebuilt like a missing one.
replica_streaming() {
  [ "$(psql -X -q -At -h 127.0.0.1 -p "$PORT" -U "$PRIMARY_USER" -d postgres -c 'SELECT status FROM pg_stat_wal_receiver' 2>/dev/null)" = "streaming" ]
}

if replica_ready; then
  # The receiver reconnects every few seconds after an error; give it that long.
  for _ in $(seq 1 10); do
    if replica_streaming; then
      echo "replica answers on ${PORT} (in recovery, streaming)"
      exit 0
    fi
    sleep 1
  done
  echo "replica on ${PORT} is in recovery but not streaming from the primary: made afresh" >&2
fi

# 1. Let 127.0.0.1 open replication connections on the primary.
if [ "$(primary "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND (address IS NULL OR address = '127.0.0.1')")" = "0" ]; then
  HBA="$(primary 'SHOW hba_file')"
  printf '\n# strata: streaming replica for the read-replica tests (tooling/scripts/start-pg-replica.sh)\nhost replication all 127.0.0.1/32 trust\n' >>"$HBA"
  primary 'SELECT pg_reload_conf()' >/dev/null
  sleep 1
fi

# 2. A fresh base backup, configured as a hot standby on its own port.
if [ -f "$DIR/postmaster.pid" ]; then as_postgres "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null 2>&1 || true; fi
rm -rf "$DIR"
mkdir -p "$DIR"
chown postgres:postgres "$DIR" 2>/dev/null || true
chmod 700 "$DIR"
as_postgres "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" -D "$DIR" -X stream -R --checkpoint=fast
setting() { primary "SHOW $1"; }
# A hot standby refuses to start with fewer of these than the primary has.
as_postgres tee "$DIR/postgresql.conf" >/dev/null <<CONF
port = ${PORT}
listen_addresses = '127.0.0.1'
unix_socket_directories = '${DIR}'
hba_file = '${DIR}/pg_hba.conf'
ident_file = '${DIR}/pg_ident.conf'
hot_standby = on
hot_standby_feedback = on
# Feedback every second (default 10 s): the primary's horizon, which its VACUUM and the erasure's
# key-table check wait for, then trails the standby's queries by at most a second.
wal_receiver_status_interval = 1s
shared_buffers = 32MB
max_connections = $(setting max_connections)
max_worker_processes = $(setting max_worker_processes)
max_wal_senders = $(setting max_wal_senders)
max_prepared_transactions = $(setting max_prepared_transactions)
max_locks_per_transaction = $(setting max_locks_per_transaction)
ssl = off
CONF
as_postgres tee "$DIR/pg_hba.conf" >/dev/null <<HBA
local all all trust
host all all 127.0.0.1/32 trust
HBA
as_postgres touch "$DIR/pg_ident.conf"

# 3. Start it and wait until it serves reads.
as_postgres "$BIN/pg_ctl" -D "$DIR" -l "$LOG" -w -t 60 start >/dev/null
for _ in $(seq 1 60); do replica_ready && replica_streaming && break; sleep 1; done
replica_ready && replica_streaming || { echo "replica on ${PORT} did not start streaming; see ${LOG}" >&2; exit 1; }
echo "replica answers on ${PORT} (streaming from ${PRIMARY_HOST}:${PRIMARY_PORT})"
