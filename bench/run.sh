#!/usr/bin/env bash
# The messenger-hub webhook benchmark: builds the hub (unless --no-build), starts it on free ports with a fresh data
# directory, runs bench/WebhookLoad.java against it, prints the report and writes it to bench/results/<ts>.json.
# The hub is always stopped at exit. See bench/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/run.sh [--no-build] [--threads N] [--seconds D] [--rate R] [more options]

  --no-build            use target/messenger-hub.jar as it is (default: mvn -q -B -DskipTests package first)
  --threads N           webhook and ceiling threads (default 8)
  --seconds D           length of the ceiling and webhook throughput phases (default 20)
  --rate R              requests per second of the fixed-rate phase (default 500)
  --warmup W            uncounted warm-up with webhook load before everything else (default 30; 20 with --mix, --soak;
                        --mix warms up W s with new customers, then W s with the mix)
  --rate-seconds D2     length of the fixed-rate phase (default 15)
  --rate-workers K      sender threads of the fixed-rate phase (default max(64, 4*N))
  --drain-seconds S     how long to wait for the offers after each load phase (default 30; 180 with --mix, --soak)
  --timeout S           per-request HTTP timeout (default 10)
  --cp-file FILE        take the runtime classpath from FILE instead of running mvn dependency:build-classpath
  --keep-data           keep the hub's temporary data directory (journal, H2 database) for inspection
  --broker URL          a standalone broker (tcp://127.0.0.1:<port>, e.g. deploy/local/cluster.sh's primary, its hubs
                        stopped) instead of the hub's embedded one; HUB_BROKER_USER / HUB_BROKER_PASSWORD are its hub login
  --side-pid NAME=PID   also count the CPU of this process and its children per webhook (the standalone broker,
                        PostgreSQL's postmaster); may be given more than once
  --cluster DIR         the production topology of deploy/local/cluster.sh, state directory DIR (its two hubs
                        stopped): the hub on the harness's primary broker and its PostgreSQL database "hub", with the
                        broker login and database of the harness's hubs (deploy/local/cluster.sh var), and the CPU
                        of both brokers and PostgreSQL counted as with --side-pid (cluster.sh pid)
  --async-ceiling       after the ceiling, the same sends asynchronous (JMS 2.0 completion listener), --async-window
                        (default 32) in flight per thread: what grouping the durable sends could reach

  --mix                 instead of the phases above: a pool of customers with open conversations (not counted),
                        then new conversations only, the mix, and follow-ups only, --seconds each (closed loop)
  --soak MINUTES        instead: the pool, then the mix at --rate for MINUTES (open loop), with the hub's heap
                        after a full GC (jcmd) before and after
  --pool N              customers with an open conversation for the follow-ups (default 500)
  --new-percent P       share of the mix that are new customers (default 20; the rest are follow-ups)
  --receipt-percent P   follow-ups that also carry a delivery and a read receipt (default 30)
  --attachment-percent P  follow-ups that are an image from a local stand-in CDN (default 5)
  --seed N              seed of the mix's draws (default 42)

environment: HUB_JAVA_OPTS (JVM options of the hub), BENCH_JAVA_OPTS (of the load generator), JAVA_HOME;
SPRING_DATASOURCE_URL / _USERNAME / _PASSWORD (a PostgreSQL database instead of the embedded H2), HUB_BROKER_USER /
HUB_BROKER_PASSWORD (with --broker). The hub never gets Page tokens (HUB_PAGE_TOKEN_*, removed from its environment)
and its Graph API address is a closed local port: the benchmark sends nothing to Facebook.
EOF
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BUILD=1
CP_FILE=""
BROKER_URL=""
CLUSTER_DIR=""
KEEP_DATA=0
GEN_ARGS=()
is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) BUILD=0 ;;
        --keep-data) KEEP_DATA=1 ;;
        --cp-file)
            [[ $# -ge 2 ]] || { echo "run.sh: --cp-file needs a file" >&2; exit 2; }
            CP_FILE="$2"; shift ;;
        --mix|--async-ceiling) GEN_ARGS+=("$1") ;;
        --broker)
            [[ $# -ge 2 && "$2" =~ ^tcp://127\.0\.0\.1:[0-9]+$ ]] || { echo "run.sh: --broker needs tcp://127.0.0.1:<port>" >&2; exit 2; }
            BROKER_URL="$2"; shift ;;
        --cluster)
            [[ $# -ge 2 && -f "$2/secrets.env" ]] \
                || { echo "run.sh: --cluster needs the state directory of deploy/local/cluster.sh (it holds secrets.env)" >&2; exit 2; }
            CLUSTER_DIR="$2"; shift ;;
        --side-pid)
            [[ $# -ge 2 && "$2" =~ ^[a-z][a-z0-9-]*=[0-9]+$ ]] || { echo "run.sh: --side-pid needs NAME=PID" >&2; exit 2; }
            GEN_ARGS+=("$1" "$2"); shift ;;
        --threads|--seconds|--rate|--warmup|--rate-seconds|--rate-workers|--drain-seconds|--timeout|--soak|--pool\
        |--new-percent|--receipt-percent|--attachment-percent|--seed|--async-window)
            [[ $# -ge 2 ]] && is_uint "$2" || { echo "run.sh: $1 needs a whole number" >&2; exit 2; }
            GEN_ARGS+=("$1" "$2"); shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

# --- the production topology (--cluster) ---------------------------------------------------------------------------
if [[ -n "$CLUSTER_DIR" ]]; then
    [[ -z "$BROKER_URL" ]] || { echo "run.sh: --cluster and --broker exclude each other" >&2; exit 2; }
    cluster() { CLUSTER_STATE="$CLUSTER_DIR" deploy/local/cluster.sh "$@"; }
    for service in hub hub-2; do
        if cluster pid "$service" >/dev/null; then
            echo "run.sh: the harness's $service is running and would take the benchmark's webhooks;" \
                "stop it first: CLUSTER_STATE=$CLUSTER_DIR deploy/local/cluster.sh stop $service" >&2
            exit 2
        fi
    done
    for service in artemis artemis-backup postgres; do
        cluster pid "$service" >/dev/null \
            || { echo "run.sh: the harness's $service is not running; start it: CLUSTER_STATE=$CLUSTER_DIR deploy/local/cluster.sh up" >&2; exit 2; }
    done
    # The harness hub's own environment, its secrets filled in: the same broker login and database as its hubs.
    BROKER_URL="tcp://127.0.0.1:$(cluster var artemis BROKER_PORT)"
    HUB_BROKER_USER="$(cluster var hub SPRING_ARTEMIS_USER)"
    HUB_BROKER_PASSWORD="$(cluster var hub SPRING_ARTEMIS_PASSWORD)"
    SPRING_DATASOURCE_URL="$(cluster var hub SPRING_DATASOURCE_URL)"
    SPRING_DATASOURCE_USERNAME="$(cluster var hub SPRING_DATASOURCE_USERNAME)"
    SPRING_DATASOURCE_PASSWORD="$(cluster var hub SPRING_DATASOURCE_PASSWORD)"
    export SPRING_DATASOURCE_URL SPRING_DATASOURCE_USERNAME SPRING_DATASOURCE_PASSWORD
    GEN_ARGS+=(--side-pid "broker=$(cluster pid artemis)" --side-pid "backup=$(cluster pid artemis-backup)"
        --side-pid "postgres=$(cluster pid postgres)")
fi
# Whatever the caller's environment holds (a sourced secrets.env, say), the benchmark's hub sends nothing to Facebook.
while read -r token_var; do
    unset "$token_var"
done < <(compgen -e | grep '^HUB_PAGE_TOKEN_' || true)

JAVA="java"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA="$JAVA_HOME/bin/java"
fi
TS="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
HUB_LOG="$RESULTS/hub-$TS.log"
OUT_JSON="$RESULTS/$TS.json"

# --- build and classpath -------------------------------------------------------------------------------------------
if [[ "$BUILD" == 1 ]]; then
    echo "building the hub: mvn -q -B -DskipTests package"
    mvn -q -B -DskipTests package
fi
if [[ -z "$CP_FILE" ]]; then
    CP_FILE="$RESULTS/classpath.txt"
    echo "resolving the runtime classpath: mvn dependency:build-classpath"
    mvn -q -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime
fi
[[ -s "$CP_FILE" ]] || { echo "run.sh: classpath file $CP_FILE is missing or empty" >&2; exit 1; }
# commons-logging is dropped: spring-jcl provides the same API and complains on stderr when both are present.
CLASSPATH_VALUE="$(tr ':' '\n' <"$CP_FILE" | grep -v '/commons-logging-[^/]*\.jar$' | paste -sd: -)"
[[ "$CLASSPATH_VALUE" == *artemis-jakarta-client* ]] \
    || { echo "run.sh: $CP_FILE has no artemis-jakarta-client; is it the hub's runtime classpath?" >&2; exit 1; }
[[ -f target/messenger-hub.jar ]] || { echo "run.sh: target/messenger-hub.jar not found; run without --no-build" >&2; exit 1; }

# --- free ports ----------------------------------------------------------------------------------------------------
free_ports() {   # prints three free TCP ports on 127.0.0.1
    if command -v python3 >/dev/null 2>&1; then
        python3 - <<'EOF' && return 0
import socket
socks = []
for _ in range(3):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
    fi
    local found=() port tries=0
    while [[ ${#found[@]} -lt 3 && $tries -lt 200 ]]; do
        tries=$((tries + 1))
        port=$((20000 + RANDOM % 30000))
        [[ " ${found[*]:-} " == *" $port "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            found+=("$port")
        fi
    done
    [[ ${#found[@]} -eq 3 ]] || return 1
    echo "${found[0]} ${found[1]} ${found[2]}"
}
read -r HTTP_PORT BROKER_PORT WEBHOOK_PORT < <(free_ports) || { echo "run.sh: found no free ports" >&2; exit 1; }

# --- start the hub -------------------------------------------------------------------------------------------------
WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hub-bench.XXXXXX")"
HUB_PID=""
GEN_PID=""
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$GEN_PID" ]] && kill -0 "$GEN_PID" 2>/dev/null; then
        kill -TERM "$GEN_PID" 2>/dev/null || true
        wait "$GEN_PID" 2>/dev/null || true
    fi
    if [[ -n "$HUB_PID" ]] && kill -0 "$HUB_PID" 2>/dev/null; then
        echo "stopping the hub (pid $HUB_PID)"
        kill -TERM "$HUB_PID" 2>/dev/null || true
        for _ in $(seq 1 40); do
            kill -0 "$HUB_PID" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$HUB_PID" 2>/dev/null; then
            echo "the hub did not stop within 20 s; killing it"
            kill -KILL "$HUB_PID" 2>/dev/null || true
        fi
        wait "$HUB_PID" 2>/dev/null || true
    fi
    if [[ "$KEEP_DATA" == 1 ]]; then
        echo "hub data kept in $WORK_DIR"
    else
        rm -rf "$WORK_DIR"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A private copy of the jar: a rebuild of target/ during the run must not change the running hub underneath.
cp target/messenger-hub.jar "$WORK_DIR/messenger-hub.jar"
mkdir -p "$WORK_DIR/data"
# The file policy of config/attachment-policy.yaml, except that files are fetched from 127.0.0.1 only: the load
# generator's stand-in for Facebook's CDN (--mix, --soak). The other loads send no files.
# In a directory of its own: the hub watches the policy's directory for changes, and the data directory beside it
# (database, journal) changes all the time.
mkdir -p "$WORK_DIR/config"
POLICY_FILE="$WORK_DIR/config/attachment-policy.yaml"
sed -e 's/^  allowed-hosts: .*/  allowed-hosts: [127.0.0.1]/' -e 's/^  private-address-hosts: .*/  private-address-hosts: [127.0.0.1]/' \
    config/attachment-policy.yaml >"$POLICY_FILE"
grep -q '^  private-address-hosts: \[127.0.0.1\]$' "$POLICY_FILE" \
    || { echo "run.sh: could not make the attachment policy from config/attachment-policy.yaml" >&2; exit 1; }

JAVA_VERSION="$("$JAVA" -version 2>&1 | head -n 1)"
NPROC="$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "================================================================================================"
echo "messenger-hub webhook benchmark $TS"
echo "nproc: $NPROC   loadavg: $LOADAVG"
echo "java:  $JAVA_VERSION"
if awk -v l="${LOADAVG%% *}" -v n="$NPROC" 'BEGIN { exit !(l > 0.5 * n) }' 2>/dev/null; then
    echo "WARNING: the 1-minute load average is above half the cores: the machine is not quiet, numbers will be low"
fi
if [[ -n "$BROKER_URL" ]]; then
    : "${HUB_BROKER_USER:?run.sh: --broker needs HUB_BROKER_USER, the hub login of the broker}"
    : "${HUB_BROKER_PASSWORD:?run.sh: --broker needs HUB_BROKER_PASSWORD}"
    # The hub in native broker mode on the standalone broker; no acceptor of its own.
    BROKER_ARGS=(--spring.artemis.mode=native --spring.artemis.broker-url="$BROKER_URL"
        --spring.artemis.user="$HUB_BROKER_USER" --spring.artemis.password="$HUB_BROKER_PASSWORD" --hub.broker.tcp-acceptor=)
else
    BROKER_URL="tcp://127.0.0.1:$BROKER_PORT"
    BROKER_ARGS=(--hub.broker.tcp-acceptor="$BROKER_URL")
    export HUB_BROKER_USER=hub HUB_BROKER_PASSWORD=bench-broker-password   # the generator logs in to the broker as the hub
fi
export HUB_BROKER_USER HUB_BROKER_PASSWORD
echo "hub:   http://127.0.0.1:$HTTP_PORT  webhook http://127.0.0.1:$WEBHOOK_PORT  broker $BROKER_URL  log $HUB_LOG"
echo "================================================================================================"

# shellcheck disable=SC2086  # HUB_JAVA_OPTS is a list of options
export HUB_OPERATOR_TOKENS=bench-operator-token   # the generator reads queue depths from /actuator/prometheus
HUB_DATA_DIR="$WORK_DIR/data" HUB_FACEBOOK_APP_SECRET=bench-secret HUB_API_TOKENS=bench-token \
    "$JAVA" ${HUB_JAVA_OPTS:-} -jar "$WORK_DIR/messenger-hub.jar" \
    --server.port="$HTTP_PORT" --hub.webhook.port="$WEBHOOK_PORT" "${BROKER_ARGS[@]}" \
    --hub.attachments.policy-file="$POLICY_FILE" --hub.facebook.graph-url=http://127.0.0.1:9/v21.0 \
    >"$HUB_LOG" 2>&1 &
HUB_PID=$!

echo -n "waiting for the hub to be UP "
deadline=$((SECONDS + 90))
until curl -fsS --max-time 2 "http://127.0.0.1:$HTTP_PORT/actuator/health/readiness" 2>/dev/null | grep -q '"status":"UP"'; do
    if ! kill -0 "$HUB_PID" 2>/dev/null; then
        echo; echo "run.sh: the hub exited during start-up; last lines of $HUB_LOG:" >&2
        tail -n 40 "$HUB_LOG" >&2
        exit 1
    fi
    if [[ $SECONDS -ge $deadline ]]; then
        echo; echo "run.sh: the hub was not UP within 90 s; last lines of $HUB_LOG:" >&2
        tail -n 40 "$HUB_LOG" >&2
        exit 1
    fi
    echo -n "."
    sleep 1
done
echo " UP (pid $HUB_PID)"

# --- load ----------------------------------------------------------------------------------------------------------
# shellcheck disable=SC2086  # BENCH_JAVA_OPTS is a list of options
"$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$CLASSPATH_VALUE" "$ROOT/bench/WebhookLoad.java" \
    --base-url "http://127.0.0.1:$HTTP_PORT" --webhook-url "http://127.0.0.1:$WEBHOOK_PORT" --broker-url "$BROKER_URL" \
    --secret bench-secret --page-id 100000000000001 \
    --hub-log "$HUB_LOG" --out "$OUT_JSON" \
    --nproc "$NPROC" --java-version "$JAVA_VERSION" --loadavg "$LOADAVG" \
    --hub-pid "$HUB_PID" --clk-tck "$(getconf CLK_TCK 2>/dev/null || echo 100)" \
    ${GEN_ARGS[@]+"${GEN_ARGS[@]}"} &
GEN_PID=$!
GEN_RC=0
wait "$GEN_PID" || GEN_RC=$?
GEN_PID=""
echo "hub log: $HUB_LOG"
exit "$GEN_RC"
