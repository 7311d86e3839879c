#!/usr/bin/env bash
# The production topology of docker-compose.yml as plain processes on one machine, no Docker needed:
#   artemis, artemis-backup   a replicated Artemis 2.40.0 pair from the standalone distribution (Maven Central),
#                             each an `artemis create` instance running deploy/artemis/broker.xml
#   postgres                  PostgreSQL from the machine's packages (Debian: apt-get install postgresql), with the
#                             databases hub and crm as the postgres image and deploy/postgres/*.sh make them
#   hub, hub-2                two hubs from target/messenger-hub.jar in native broker mode
# Each service gets exactly the variables of deploy/local/<service>.env (the same as its environment in
# docker-compose.yml, ComposeMatchesLocalClusterTest), nothing else of the caller's environment.
#
#   deploy/local/cluster.sh up             start what is not running, wait until each part is ready, say where
#   deploy/local/cluster.sh status         each process and whether it is ready
#   deploy/local/cluster.sh down           stop everything; the state (journals, database, hub data) stays
#   deploy/local/cluster.sh down --purge   stop everything and delete the state
#   deploy/local/cluster.sh start SERVICE  start one service if it is not running, without waiting for it or for
#                                          what it needs (a hub started before its broker and database waits)
#   deploy/local/cluster.sh stop SERVICE   stop one service (postgres, artemis, artemis-backup, hub, hub-2); `up`
#                                          starts it again (bench/chaos-test.sh takes PostgreSQL away this way)
#   deploy/local/cluster.sh pid SERVICE    the pid of a running service; exit status 1 when it does not run
#   deploy/local/cluster.sh var SERVICE NAME  one variable of a service's environment, secrets filled in (for tools
#                                          such as bench/run.sh --cluster that work with the harness)
#
# State: $CLUSTER_STATE (default target/cluster; stop the cluster before `mvn clean`): one directory per service
# with its log, and secrets.env, the secrets compose would take from its .env, made up at random on the first `up`
# (or taken from the caller's environment then). The Artemis distribution is cached in
# ${XDG_CACHE_HOME:-~/.cache}/messenger-hub. MVN (default mvn) is the Maven command, used to fetch the distribution
# and to build the hub's jar when either is missing.
set -euo pipefail

CLUSTER_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLUSTER_STATE=${CLUSTER_STATE:-$CLUSTER_REPO/target/cluster}
ARTEMIS_VERSION=2.40.0
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/messenger-hub
ARTEMIS_HOME=$CACHE/apache-artemis-$ARTEMIS_VERSION
MVN=${MVN:-mvn}
# Start order; `down` goes the other way (the backup before the primary, so that it does not take over).
SERVICES=(postgres artemis artemis-backup hub hub-2)
READY_TIMEOUT=${READY_TIMEOUT:-240}

log() { printf '%s %s\n' "$(date +%T)" "$*"; }
die() { printf 'cluster.sh: %s\n' "$*" >&2; exit 1; }

# --- the services' environments --------------------------------------------------------------------------------

# The variable names a service's env file sets, including those of a file it sources (". ${CLUSTER_REPO}/...").
env_keys() {
    local file=$1 line
    while IFS= read -r line; do
        if [[ $line =~ ^\.\ \$\{CLUSTER_REPO\}/(.+)$ ]]; then
            env_keys "$CLUSTER_REPO/${BASH_REMATCH[1]}"
        elif [[ $line =~ ^([A-Z_][A-Z0-9_]*)= ]]; then
            echo "${BASH_REMATCH[1]}"
        fi
    done < "$file"
}

# Prints NAME=value lines of a service's environment: its env file evaluated with the secrets.
service_env() {
    local service=$1 key
    (
        # shellcheck disable=SC1091
        source "$CLUSTER_STATE/secrets.env"
        # shellcheck disable=SC1090
        source "$CLUSTER_REPO/deploy/local/$service.env"
        for key in $(env_keys "$CLUSTER_REPO/deploy/local/$service.env" | sort -u); do
            printf '%s=%s\n' "$key" "${!key}"
        done
    )
}

# One variable of a service's environment.
service_var() { service_env "$1" | sed -n "s/^$2=//p"; }

# Becomes a command with the service's environment only (plus PATH, HOME, JAVA_HOME, LANG), as compose would run
# it. It replaces the shell it runs in: call it in a subshell.
exec_with_service_env() {
    local service=$1; shift
    local -a vars=()
    mapfile -t vars < <(service_env "$service")
    exec env -i PATH="$PATH" HOME="$HOME" LANG="${LANG:-C.UTF-8}" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} "${vars[@]}" "$@"
}

# The secrets every env file requires (${NAME:?}), made up once; a value in the caller's environment wins.
ensure_secrets() {
    local file=$CLUSTER_STATE/secrets.env name
    [[ -f $file ]] && return
    mkdir -p "$CLUSTER_STATE"
    (
        umask 077
        echo "# Made up by deploy/local/cluster.sh on $(date -Is); what compose would read from its .env."
        for name in $(grep -ohE '\$\{[A-Z_][A-Z0-9_]*:\?' "$CLUSTER_REPO"/deploy/local/*.env | tr -d '${:?' | sort -u); do
            if [[ -n ${!name:-} ]]; then
                printf '%s=%q\n' "$name" "${!name}"
            elif [[ $name == *_USER ]]; then
                printf '%s=hub\n' "$name"
            else
                printf '%s=local-%s\n' "$name" "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
            fi
        done
    ) > "$file"
}

# --- processes -------------------------------------------------------------------------------------------------

pid_of() {
    local service=$1 file
    if [[ $service == postgres ]]; then
        file=$CLUSTER_STATE/postgres/data/postmaster.pid
    else
        file=$CLUSTER_STATE/$service/pid
    fi
    [[ -f $file ]] && head -n 1 "$file"
}

running() {
    local pid
    pid=$(pid_of "$1" 2>/dev/null) || return 1
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Runs a command with the service's environment in the background, its output in the service's log (the previous
# one kept as .log.1), its pid (the command's own: exec all the way down) in the service's pid file.
# Closes every file descriptor but 0-2 that the caller left open: a service outlives this script, and must not keep
# what the script was given, such as the lock of `flock /tmp/mvn.lock bench/chaos-test.sh`.
close_inherited_fds() {
    local fd
    for fd in /proc/$BASHPID/fd/*; do
        fd=${fd##*/}
        if (( fd > 2 )); then
            eval "exec $fd>&-" 2> /dev/null || true
        fi
    done
}

spawn() {
    local service=$1 log=$CLUSTER_STATE/$1/$1.log; shift
    mkdir -p "$CLUSTER_STATE/$service"
    [[ -f $log ]] && mv "$log" "$log.1"
    ( trap '' HUP; close_inherited_fds; exec_with_service_env "$service" "$@" ) > "$log" 2>&1 < /dev/null &
    echo $! > "$CLUSTER_STATE/$service/pid"
}

# PostgreSQL refuses to run as root: then its files and processes belong to the system user postgres.
as_postgres() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_bin() {
    if [[ -n ${PG_BIN:-} ]]; then
        echo "$PG_BIN"
    elif compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null; then
        dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
    elif command -v pg_config > /dev/null; then
        pg_config --bindir
    else
        die "no PostgreSQL server found: apt-get install -y postgresql (or set PG_BIN to its bin directory)"
    fi
}

# --- starting --------------------------------------------------------------------------------------------------

start_postgres() {
    local dir=$CLUSTER_STATE/postgres bin port
    bin=$(pg_bin)
    port=$(service_var postgres PGPORT)
    mkdir -p "$dir"
    if [[ ! -f $dir/data/PG_VERSION ]]; then
        log "postgres: initdb ($("$bin/postgres" --version))"
        [[ $EUID -eq 0 ]] && chown postgres "$dir"
        # What the postgres image does on an empty volume: a cluster owned by POSTGRES_USER with its password,
        # password logins over TCP, the database POSTGRES_DB, then the init scripts.
        service_var postgres POSTGRES_PASSWORD > "$dir/pwfile"
        [[ $EUID -eq 0 ]] && chown postgres "$dir/pwfile"
        as_postgres "$bin/initdb" -D "$dir/data" -U "$(service_var postgres POSTGRES_USER)" --pwfile="$dir/pwfile" \
            -E UTF8 --auth-local=trust --auth-host=scram-sha-256 > "$dir/initdb.log"
        rm -f "$dir/pwfile"
    fi
    log "postgres: starting on 127.0.0.1:$port"
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir" start > /dev/null
    if [[ ! -f $dir/initialized ]]; then
        local db user script
        db=$(service_var postgres POSTGRES_DB)
        user=$(service_var postgres POSTGRES_USER)
        as_postgres "$bin/psql" -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U "$user" -d postgres \
            -c "CREATE DATABASE \"$db\""
        for script in "$CLUSTER_REPO"/deploy/postgres/*.sh; do
            log "postgres: $(basename "$script")"
            (exec_with_service_env postgres PGHOST="$dir" PGPORT="$port" PATH="$bin:$PATH" bash "$script") > /dev/null
        done
        touch "$dir/initialized"
    fi
}

ensure_artemis_distribution() {
    [[ -x $ARTEMIS_HOME/bin/artemis ]] && return
    local archive=$CACHE/apache-artemis-$ARTEMIS_VERSION-bin.tar.gz
    if [[ ! -f $archive ]]; then
        log "artemis: fetching apache-artemis-$ARTEMIS_VERSION-bin.tar.gz from Maven Central"
        (cd "$CLUSTER_REPO" && $MVN -q -B dependency:copy \
            -Dartifact=org.apache.activemq:apache-artemis:$ARTEMIS_VERSION:tar.gz:bin -DoutputDirectory="$CACHE")
    fi
    tar -xzf "$archive" -C "$CACHE"
}

start_artemis() {
    local service=$1 instance=$CLUSTER_STATE/$1/instance
    ensure_artemis_distribution
    # ARTEMIS_EXTRA_LIBS: the hub's login module for the broker (deploy/artemis/login.config), built with the hub.
    if [[ ! -f $CLUSTER_REPO/target/broker-lib/messenger-hub-broker-login.jar ]]; then
        log "building target/broker-lib/messenger-hub-broker-login.jar"
        (cd "$CLUSTER_REPO" && $MVN -q -B -DskipTests package)
    fi
    mkdir -p "$CLUSTER_STATE/$service"
    if [[ ! -f $instance/etc/broker.xml ]]; then
        log "$service: artemis create"
        # What the image's docker-run.sh does on an empty volume, from the same variables.
        (exec_with_service_env "$service" bash -c '
            login=--require-login
            [[ ${ANONYMOUS_LOGIN,,} == true ]] && login=--allow-anonymous
            exec "$0" create --user "$ARTEMIS_USER" --password "$ARTEMIS_PASSWORD" --silent $login $EXTRA_ARGS "$1"' \
            "$ARTEMIS_HOME/bin/artemis" "$instance") > "$CLUSTER_STATE/$service/create.log"
    fi
    log "$service: starting on 127.0.0.1:$(service_var "$service" BROKER_PORT)"
    # docker-compose.yml: command ["run", "--broker", "/var/lib/artemis-hub/broker.xml"], the mount being deploy/artemis.
    spawn "$service" "$instance/bin/artemis" run --broker "$CLUSTER_REPO/deploy/artemis/broker.xml"
}

start_hub() {
    local service=$1 jar=$CLUSTER_REPO/target/messenger-hub.jar
    if [[ ! -f $jar ]]; then
        log "building target/messenger-hub.jar"
        (cd "$CLUSTER_REPO" && $MVN -q -B -DskipTests package)
    fi
    mkdir -p "$(service_var "$service" HUB_DATA_DIR)"
    log "$service: starting on 127.0.0.1:$(service_var "$service" SERVER_PORT)"
    # deploy/hub/Dockerfile: java -jar messenger-hub.jar in a directory with config/ and routes/.
    cd "$CLUSTER_REPO"
    spawn "$service" java -jar "$jar"
}

start() {
    case $1 in
        postgres) start_postgres ;;
        artemis | artemis-backup) start_artemis "$1" ;;
        hub | hub-2) start_hub "$1" ;;
    esac
}

# --- readiness -------------------------------------------------------------------------------------------------

# Prints how the service is doing; succeeds when it is ready.
readiness() {
    local service=$1
    running "$service" || { echo "not running"; return 1; }
    case $service in
        postgres)
            local port
            port=$(service_var postgres PGPORT)
            if "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$port" -U hub -d hub; then
                echo "ready (pg_isready 127.0.0.1:$port)"
            else
                echo "not ready"; return 1
            fi ;;
        artemis | artemis-backup)
            local port log=$CLUSTER_STATE/$service/$service.log
            port=$(service_var "$service" BROKER_PORT)
            if port_open "$port"; then
                echo "active: serving clients on 127.0.0.1:$port"
            elif grep -q 'AMQ221024' "$log" 2>/dev/null; then
                # AMQ221024: "Backup server ... is synchronized with primary server": a replica that can take over.
                echo "replica: in sync with the active broker, acceptors closed until it takes over"
            else
                echo "not ready"; return 1
            fi ;;
        hub | hub-2)
            local port
            port=$(service_var "$service" SERVER_PORT)
            if curl -fs -o /dev/null -m 5 "http://127.0.0.1:$port/actuator/health/readiness"; then
                echo "ready (http://127.0.0.1:$port/actuator/health/readiness)"
            else
                echo "not ready (http://127.0.0.1:$port/actuator/health/readiness)"; return 1
            fi ;;
    esac
}

await_ready() {
    local service=$1 started=$SECONDS
    until readiness "$service" > /dev/null; do
        running "$service" || die "$service stopped; see $CLUSTER_STATE/$service/$service.log"
        (( SECONDS - started < READY_TIMEOUT )) || die "$service not ready after ${READY_TIMEOUT}s; see $CLUSTER_STATE/$service/"
        sleep 1
    done
    log "$service: $(readiness "$service")"
}

# --- commands --------------------------------------------------------------------------------------------------

up() {
    local begin=$SECONDS service
    ensure_secrets
    for service in postgres artemis artemis-backup; do
        running "$service" || start "$service"
        await_ready "$service"
    done
    # The hubs start side by side; each waits for nothing but the broker and the database, which are ready.
    for service in hub hub-2; do
        running "$service" || start "$service"
    done
    for service in hub hub-2; do
        await_ready "$service"
    done
    log "up in $(( SECONDS - begin ))s"
    where
}

where() {
    cat <<EOF

  brokers   $(service_var hub SPRING_ARTEMIS_BROKER_URL)
            (CORE and STOMP; STOMP over WebSocket on 127.0.0.1:$(service_var artemis BROKER_WEBSOCKET_PORT) and :$(service_var artemis-backup BROKER_WEBSOCKET_PORT))
            consoles http://127.0.0.1:8261/console and http://127.0.0.1:8262/console (login: the hub's, secrets.env)
  database  jdbc:postgresql://127.0.0.1:$(service_var postgres PGPORT)/hub and /crm
  hubs      http://127.0.0.1:$(service_var hub SERVER_PORT) and http://127.0.0.1:$(service_var hub-2 SERVER_PORT) (read API /api, workspace, actuator)
  webhooks  http://127.0.0.1:$(service_var hub HUB_WEBHOOK_PORT)/webhooks/facebook and http://127.0.0.1:$(service_var hub-2 HUB_WEBHOOK_PORT)/webhooks/facebook
  secrets   $CLUSTER_STATE/secrets.env (HUB_FACEBOOK_APP_SECRET signs webhooks, HUB_API_TOKENS reads the API)
  logs      $CLUSTER_STATE/<service>/<service>.log
  stop      deploy/local/cluster.sh down [--purge]
EOF
}

status() {
    local service state
    [[ -f $CLUSTER_STATE/secrets.env ]] || { echo "no cluster state in $CLUSTER_STATE"; return 0; }
    for service in "${SERVICES[@]}"; do
        state=$(readiness "$service" || true)
        if running "$service"; then
            printf '%-15s pid %-8s %s\n' "$service" "$(pid_of "$service")" "$state"
        else
            printf '%-15s %-12s %s\n' "$service" "-" "$state"
        fi
    done
}

stop() {
    local service=$1 pid waited=0
    running "$service" || return 0
    pid=$(pid_of "$service")
    log "$service: stopping (pid $pid)"
    if [[ $service == postgres ]]; then
        as_postgres "$(pg_bin)/pg_ctl" -D "$CLUSTER_STATE/postgres/data" -m fast -w stop > /dev/null
        return
    fi
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do
        if (( waited >= 30 )); then
            log "$service: still running after 30s, killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        sleep 1
        waited=$(( waited + 1 ))
    done
    rm -f "$CLUSTER_STATE/$service/pid"
}

down() {
    local i
    for (( i = ${#SERVICES[@]} - 1; i >= 0; i-- )); do
        stop "${SERVICES[i]}"
    done
    if [[ ${1:-} == --purge ]]; then
        log "deleting $CLUSTER_STATE"
        rm -rf "$CLUSTER_STATE"
    fi
}

case ${1:-} in
    up) up ;;
    status) status ;;
    down) shift; down "${1:-}" ;;
    start)
        [[ " ${SERVICES[*]} " == *" ${2:-none} "* ]] || die "start needs one of: ${SERVICES[*]}"
        ensure_secrets
        running "$2" || start "$2" ;;
    stop)
        [[ " ${SERVICES[*]} " == *" ${2:-none} "* ]] || die "stop needs one of: ${SERVICES[*]}"
        stop "$2" ;;
    pid)
        [[ " ${SERVICES[*]} " == *" ${2:-none} "* ]] || die "pid needs one of: ${SERVICES[*]}"
        running "$2" || exit 1
        pid_of "$2" ;;
    var)
        [[ " ${SERVICES[*]} " == *" ${2:-none} "* && -n ${3:-} ]] || die "var needs one of: ${SERVICES[*]}, and a variable name"
        [[ -f $CLUSTER_STATE/secrets.env ]] || die "$CLUSTER_STATE/secrets.env does not exist yet: run up first"
        service_var "$2" "$3" ;;
    *) echo "usage: deploy/local/cluster.sh up | status | down [--purge] | start SERVICE | stop SERVICE | pid SERVICE | var SERVICE NAME" >&2; exit 2 ;;
esac
