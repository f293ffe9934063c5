#!/usr/bin/env bash
# Prepay's build entry point.
#   ./build.sh test    install what is missing, start PostgreSQL on loopback, run every test on SQLite and
#                      PostgreSQL, stop the servers (also when a test fails); ends with "N passed, N failed, N skipped"
#   ./build.sh demo    run `prepay demo` (same as: dotnet run --project src/Prepay.Cli -- demo)
#   ./build.sh bench   end-to-end vend benchmark on SQLite and PostgreSQL beside pgbench, then the MQTT ingestion
#                      benchmark beside a raw COPY / prepared insert, 10,000 meters' MQTT connections beside plain
#                      TCP, top-up to relay closed on SQLite and PostgreSQL beside a bare MQTT publish, and DLMS
#                      GET.response encode/decode, plain and AES-GCM-128, beside raw AES-GCM, and the demo's steady
#                      CPU beside the same server with no meters, and vends/s and readings/s with 1, 2 and 3
#                      nodes on one PostgreSQL and one Mosquitto
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
WORK="$ROOT/.tmp"
PG_PORT=${PREPAY_PG_PORT:-55432}
mkdir -p "$WORK"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
need_packages() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing ${missing[*]}"
    if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# Runs a command as the postgres user when we are root (initdb refuses root), as ourselves otherwise.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  need_packages postgresql postgresql-contrib
  local bin; bin=$(pg_bin)
  # Per port, so that two runs in one tree on different ports (PREPAY_PG_PORT) keep their own servers.
  PG_DATA="$WORK/pg-$PG_PORT/data"
  PG_SOCK="$WORK/pg-$PG_PORT/sock"
  PG_LOG="$WORK/pg-$PG_PORT/log"
  stop_postgres
  rm -rf "$PG_DATA" "$PG_SOCK" "$PG_LOG"; mkdir -p "$PG_DATA" "$PG_SOCK" "$PG_LOG"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PG_DATA" "$PG_SOCK" "$PG_LOG"; chmod 755 "$WORK" "$WORK/pg-$PG_PORT"; fi
  echo "==> starting PostgreSQL on 127.0.0.1:$PG_PORT"
  as_pg "$bin/initdb" -D "$PG_DATA" --auth=trust -U postgres -E UTF8 >/dev/null
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG/postgres.log" -w -o "-k $PG_SOCK -p $PG_PORT -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
  export PREPAY_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
  export PREPAY_PG_BIN="$bin"
}

stop_postgres() {
  local bin; bin=$(pg_bin)
  if [ -n "$bin" ] && [ -f "${PG_DATA:-$WORK/pg-$PG_PORT/data}/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "${PG_DATA:-$WORK/pg-$PG_PORT/data}" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

# Mosquitto for the external-broker tests, which start their own on free loopback ports. Debian's package starts a
# broker of its own on port 1883 when installed; stop that one (only that one: its pid file and default config).
need_mosquitto() {
  dpkg -s mosquitto >/dev/null 2>&1 && return 0
  need_packages mosquitto
  local pidfile=/run/mosquitto/mosquitto.pid pid
  if [ -f "$pidfile" ]; then
    pid=$(cat "$pidfile")
    if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- '-c /etc/mosquitto/mosquitto.conf'; then
      echo "==> stopping the mosquitto service the package started (pid $pid); the tests run their own"
      as_root kill "$pid" || true
    fi
  fi
}

run_tests() {
  need_packages python3-aiosmtpd chromium
  export PREPAY_TEST_REQUIRE_BROWSER=1 # the browser tests (Playwright, Debian's Chromium) fail rather than skip
  start_postgres
  trap stop_postgres EXIT
  export PREPAY_TEST_REQUIRE_POSTGRES=1
  need_mosquitto
  export PREPAY_TEST_REQUIRE_MOSQUITTO=1
  need_packages prometheus # the tests start their own on a free loopback port
  export PREPAY_TEST_REQUIRE_PROMETHEUS=1
  need_packages patroni etcd-server # the failover test starts its own etcd and Patroni pair on free loopback ports
  export PREPAY_TEST_REQUIRE_PATRONI=1
  need_packages pgbouncer # the pgbouncer tests start their own on free loopback ports, in front of the test PostgreSQL
  export PREPAY_TEST_REQUIRE_PGBOUNCER=1
  echo "==> building"
  dotnet build Prepay.sln -c Debug --nologo -v q
  echo "==> testing (SQLite and PostgreSQL)"
  local log="$WORK/test.log" status=0
  dotnet test --solution Prepay.sln --no-build -c Debug 2>&1 | tee "$log" || status=$?
  local total failed passed skipped
  total=$(grep -E '^\s+total:' "$log" | tail -n 1 | awk '{print $2}')
  failed=$(grep -E '^\s+failed:' "$log" | tail -n 1 | awk '{print $2}')
  passed=$(grep -E '^\s+succeeded:' "$log" | tail -n 1 | awk '{print $2}')
  skipped=$(grep -E '^\s+skipped:' "$log" | tail -n 1 | awk '{print $2}')
  if [ "${failed:-0}" != 0 ]; then
    # Repeated at the end so that the names and messages of failed tests are in the last lines a reader sees.
    echo "==> failed tests (first 40 lines of each):"
    awk '/^[[:space:]]*failed [^:]/ && !/failed with [0-9]+ error/ { n = 40 } n > 0 { print; n-- }' "$log"
  fi
  echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
  if [ "${total:-0}" = 0 ]; then echo "no test ran"; exit 1; fi
  exit $status
}

case "${1:-test}" in
  test) run_tests ;;
  demo) shift; exec dotnet run --project src/Prepay.Cli -c Release -- demo "$@" ;;
  bench)
    shift
    start_postgres
    need_packages postgresql-contrib
    trap stop_postgres EXIT
    status=0
    dotnet run --project src/Prepay.Cli -c Release -- bench vend --postgres "$PREPAY_TEST_POSTGRES" --pgbench "$PREPAY_PG_BIN/pgbench" --pg-port "$PG_PORT" "$@" || status=$?
    dotnet run --project src/Prepay.Cli -c Release --no-build -- bench ingest --postgres "$PREPAY_TEST_POSTGRES" || status=$?
    dotnet run --project src/Prepay.Cli -c Release --no-build -- bench connections || status=$?
    dotnet run --project src/Prepay.Cli -c Release --no-build -- bench topup || status=$?
    dotnet run --project src/Prepay.Cli -c Release --no-build -- bench topup --postgres "$PREPAY_TEST_POSTGRES" || status=$?
    dotnet run --project src/Prepay.Cli -c Release --no-build -- bench import --postgres "$PREPAY_TEST_POSTGRES" || status=$?
    dotnet run --project src/Prepay.Cli -c Release --no-build -- bench dlms || status=$?
    dotnet run --project src/Prepay.Cli -c Release --no-build -- bench demo-idle || status=$?
    need_mosquitto
    dotnet run --project src/Prepay.Cli -c Release --no-build -- bench nodes --postgres "$PREPAY_TEST_POSTGRES" || status=$?
    exit $status
    ;;
  *) echo "usage: ./build.sh [test|demo|bench]" >&2; exit 2 ;;
esac
