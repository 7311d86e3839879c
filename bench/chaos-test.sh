#!/usr/bin/env bash
# The messenger-hub chaos test on the cluster harness (deploy/local/cluster.sh: the replicated Artemis pair, PostgreSQL,
# hub and hub-2): builds the hub (unless --no-build), brings the harness up if it is not, then runs bench/ChaosTest.java
# (compiled together with bench/CrashTest.java, whose load and checks it reuses, bench/ChaosAgents.java and the hub's
# AgentClient): signed webhooks spread over both hubs, Facebook-style re-sends, two agents taking, ending and closing
# conversations, kill -9 of a hub five times, of the active broker once, PostgreSQL stopped and started once, then the
# checks in the database, through the read API, on the broker and in what the agents received. Prints the report and
# writes bench/results/chaos-<ts>.json (and the services' and agents' logs of the run next to it). Exit code 0 only
# when nothing was lost or doubled. With --throughput instead: webhooks answered and events processed per second, one
# hub against two.
# See bench/README.md, section "Chaos test on the cluster harness".
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: bench/chaos-test.sh [--no-build] [--throughput] [--down] [more options]

  --events N            distinct customer message events, 1 to 3 per webhook (default 10000)
  --customers N         distinct customer PSIDs (default 1000)
  --senders N           concurrent HTTP senders; each owns a share of the customers (default 16)
  --hub-kills N         kill -9 of a hub (hub or hub-2, at random), each restarted by cluster.sh up (default 5)
  --broker-kills N      kill -9 of the active broker; the other takes over; the killed one restarted (default 1)
  --pg-restarts N       PostgreSQL stopped (pg_ctl stop -m fast) and started again by cluster.sh up (default 1)
  --pg-down S           how long PostgreSQL stays down (default 10)
  --no-failback         leave the killed broker down (default: restart it after 5 s; the primary takes over again)
  --min-up S            at least S seconds between a fault's recovery and the next fault (default 5)
  --max-up S            ... and at most S seconds (default 20)
  --seed N              seed for the random choices (default: from the clock; printed in the report)
  --timeout S           per-request HTTP timeout; a timeout is re-sent like a non-200 (default 10)
  --drain S             longest wait for the processing to catch up after the load (default 600)
  --agents N            agents logged in during the load (0, 1 or 2; default 2: anna, capacity 3, and ben, capacity 2,
                        the demo logins of deploy/artemis). Over the brokers' HA URL each sets itself AVAILABLE,
                        accepts every offer, holds the conversation 0.5-2 s, ends it and closes it; after the load it
                        goes OFFLINE and closes what it holds. Checked: no conversation with two agents, none assigned
                        twice, every one assigned closed by its agent (clients' messages and database). 0: no agents
  --throughput          instead of the chaos run: no faults; a warm-up, then --tp-events to both hubs, to hub only
                        (hub-2 stopped), to both again
  --tp-events N         events of each throughput run (default 6000), --tp-customers N (300), --tp-warmup N (600)
  --no-build            use target/messenger-hub.jar as it is (default: mvn -q -B -DskipTests package first)
  --cp-file FILE        take the TEST classpath from FILE instead of running mvn dependency:build-classpath
  --down                deploy/local/cluster.sh down at the end (default: leave the harness running)
  -h, --help            this text

environment: CLUSTER_STATE (the harness's state, default target/cluster), MVN (default mvn), CHAOS_JAVA_OPTS, JAVA_HOME
exit code:   0 when every fault was done and lost = duplicated = not offered = offered twice = ghost offers = 0, every
             event acknowledged, nothing dead-lettered without a reason, no hub refused as a duplicate instance id,
             and with agents: no conversation with two agents, none assigned twice, none its agent could not close;
             1 otherwise; 2 for a usage error
USAGE
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CLUSTER_STATE="${CLUSTER_STATE:-$ROOT/target/cluster}"
MVN="${MVN:-mvn}"

BUILD=1
CP_FILE=""
MODE=chaos
DOWN=0
ARGS=()
is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) BUILD=0 ;;
        --throughput) MODE=throughput ;;
        --down) DOWN=1 ;;
        --no-failback) ARGS+=("$1") ;;
        --cp-file)
            [[ $# -ge 2 ]] || { echo "chaos-test.sh: --cp-file needs a file" >&2; exit 2; }
            CP_FILE="$2"; shift ;;
        --events|--customers|--senders|--hub-kills|--broker-kills|--pg-restarts|--pg-down|--min-up|--max-up|--seed|\
        --timeout|--drain|--agents|--tp-events|--tp-customers|--tp-warmup)
            [[ $# -ge 2 ]] && is_uint "$2" || { echo "chaos-test.sh: $1 needs a whole number" >&2; exit 2; }
            ARGS+=("$1" "$2"); shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "chaos-test.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

JAVA="java"
JAVAC="javac"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA="$JAVA_HOME/bin/java"
    JAVAC="$JAVA_HOME/bin/javac"
fi
CLUSTER="$ROOT/deploy/local/cluster.sh"
TS="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
if [[ "$MODE" == throughput ]]; then
    OUT_JSON="$RESULTS/chaos-$TS-throughput.json"
else
    OUT_JSON="$RESULTS/chaos-$TS.json"
fi

# --- build and classpath -------------------------------------------------------------------------------------------
if [[ "$BUILD" == 1 ]]; then
    # A running hub reads its classes from target/messenger-hub.jar: stop the hubs before the jar is replaced.
    "$CLUSTER" stop hub-2
    "$CLUSTER" stop hub
    echo "building the hub: $MVN -q -B -DskipTests package"
    $MVN -q -B -DskipTests package
fi
[[ -f target/messenger-hub.jar ]] || { echo "chaos-test.sh: target/messenger-hub.jar not found; run without --no-build" >&2; exit 1; }
if [[ -z "$CP_FILE" ]]; then
    # The TEST classpath: the PostgreSQL driver, the Artemis JMS client and Jackson, as for bench/crash-test.sh.
    CP_FILE="$ROOT/target/bench/classpath-test.txt"
    mkdir -p "$(dirname "$CP_FILE")"
    if [[ ! -s "$CP_FILE" || pom.xml -nt "$CP_FILE" ]]; then
        echo "resolving the test classpath: $MVN dependency:build-classpath -Dmdep.includeScope=test"
        $MVN -q -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
    fi
fi
[[ -s "$CP_FILE" ]] || { echo "chaos-test.sh: classpath file $CP_FILE is missing or empty" >&2; exit 1; }
# commons-logging is dropped: spring-jcl provides the same API and complains on stderr when both are present.
CLASSPATH_VALUE="$(tr ':' '\n' <"$CP_FILE" | grep -v '/commons-logging-[^/]*\.jar$' | paste -sd: -)"
for need in artemis-jakarta-client postgresql-; do
    [[ "$CLASSPATH_VALUE" == *"/$need"* ]] \
        || { echo "chaos-test.sh: $CP_FILE has no $need jar; is it the hub's TEST classpath?" >&2; exit 1; }
done
CLASSES="$ROOT/target/bench/classes"
rm -rf "$CLASSES"
mkdir -p "$CLASSES"
# The agents use the hub's own client, compiled from its source (it needs only the JMS client and Jackson).
"$JAVAC" -nowarn -d "$CLASSES" -cp "$CLASSPATH_VALUE" bench/CrashTest.java bench/ChaosTest.java bench/ChaosAgents.java \
    src/main/java/io/messengerhub/client/AgentClient.java

# --- the harness ---------------------------------------------------------------------------------------------------
echo "the harness: $CLUSTER up (CLUSTER_STATE=$CLUSTER_STATE)"
"$CLUSTER" up > "$RESULTS/chaos-$TS-cluster.log" 2>&1 \
    || { cat "$RESULTS/chaos-$TS-cluster.log"; echo "chaos-test.sh: cluster.sh up failed" >&2; exit 1; }
"$CLUSTER" status

JAVA_VERSION="$("$JAVA" -version 2>&1 | head -n 1)"
echo "================================================================================================"
echo "messenger-hub chaos test $TS   mode: $MODE"
echo "nproc: $(nproc)   loadavg: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java:  $JAVA_VERSION"
echo "state: $CLUSTER_STATE   logs: $RESULTS/chaos-$TS-*.log"
echo "================================================================================================"

RC=0
# shellcheck disable=SC2086  # CHAOS_JAVA_OPTS is a list of options
"$JAVA" ${CHAOS_JAVA_OPTS:-} -cp "$CLASSES:$CLASSPATH_VALUE" ChaosTest --mode "$MODE" --repo "$ROOT" \
    --state "$CLUSTER_STATE" --out "$OUT_JSON" ${ARGS[@]+"${ARGS[@]}"} || RC=$?

if [[ "$DOWN" == 1 ]]; then
    "$CLUSTER" down
else
    echo "the harness is still running: deploy/local/cluster.sh status | down"
fi
exit "$RC"
