// Chaos test of the production topology on one machine (deploy/local/cluster.sh); see bench/README.md, section
// "Chaos test on the cluster harness". Started by bench/chaos-test.sh, which compiles it together with CrashTest.java:
// the load (signed webhooks, Facebook-style re-sends, pacing over the faults), the drain, the broker consumption and
// the checks are the crash test's; this program spreads the webhooks over both hubs, brings the faults to the
// cluster (kill -9 of a hub, kill -9 of the active broker, PostgreSQL stopped and started under load), measures how
// long each part takes to come back and compares the throughput of one hub and two.
//
//   java -cp <bench classes>:<TEST classpath> ChaosTest --repo DIR --state DIR --out FILE.json [--mode chaos|throughput]

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** The crash test's load and checks against the cluster harness, with hub, broker and database faults. */
public class ChaosTest extends CrashTest {

    static final String HUBS_LOG = "hubs";

    /** What this program adds to the crash test's options. */
    static final class ChaosOptions {
        String mode = "chaos";
        Path repo;
        Path state;
        Path out;
        int events = 10_000;
        int customers = 1_000;
        int senders = 16;
        int hubKills = 5;
        int brokerKills = 1;
        int pgRestarts = 1;
        int pgDownSeconds = 10;
        int minUp = 5;
        int maxUp = 20;
        boolean failback = true;
        long seed = System.nanoTime();
        int timeout = 10;
        int drainSeconds = 600;
        int tpEvents = 6_000;
        int tpCustomers = 300;
        int tpWarmup = 600;
        int agents = ChaosAgents.DEMO.size();

        static ChaosOptions parse(String[] args) {
            ChaosOptions c = new ChaosOptions();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--no-failback")) {
                    c.failback = false;
                    continue;
                }
                if (i + 1 >= args.length) {
                    usage("missing value for " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--mode" -> {
                        if (!v.equals("chaos") && !v.equals("throughput")) {
                            usage("--mode must be chaos or throughput");
                        }
                        c.mode = v;
                    }
                    case "--repo" -> c.repo = Path.of(v).toAbsolutePath();
                    case "--state" -> c.state = Path.of(v).toAbsolutePath();
                    case "--out" -> c.out = Path.of(v).toAbsolutePath();
                    case "--events" -> c.events = Options.intIn(a, v, 1, 10_000_000);
                    case "--customers" -> c.customers = Options.intIn(a, v, 1, 1_000_000);
                    case "--senders" -> c.senders = Options.intIn(a, v, 1, 512);
                    case "--hub-kills" -> c.hubKills = Options.intIn(a, v, 0, 100);
                    case "--broker-kills" -> c.brokerKills = Options.intIn(a, v, 0, 10);
                    case "--pg-restarts" -> c.pgRestarts = Options.intIn(a, v, 0, 10);
                    case "--pg-down" -> c.pgDownSeconds = Options.intIn(a, v, 0, 600);
                    case "--min-up" -> c.minUp = Options.intIn(a, v, 1, 3600);
                    case "--max-up" -> c.maxUp = Options.intIn(a, v, 1, 3600);
                    case "--seed" -> c.seed = Long.parseLong(v);
                    case "--timeout" -> c.timeout = Options.intIn(a, v, 1, 300);
                    case "--drain" -> c.drainSeconds = Options.intIn(a, v, 10, 7200);
                    case "--tp-events" -> c.tpEvents = Options.intIn(a, v, 1, 10_000_000);
                    case "--tp-customers" -> c.tpCustomers = Options.intIn(a, v, 1, 1_000_000);
                    case "--tp-warmup" -> c.tpWarmup = Options.intIn(a, v, 0, 10_000_000);
                    case "--agents" -> c.agents = Options.intIn(a, v, 0, ChaosAgents.DEMO.size());
                    default -> usage("unknown option " + a);
                }
            }
            if (c.repo == null || c.state == null || c.out == null) {
                usage("--repo, --state and --out are required");
            }
            if (c.maxUp < c.minUp) {
                usage("--max-up must not be below --min-up");
            }
            return c;
        }

        static void usage(String error) {
            System.err.println("ChaosTest: " + error);
            System.err.println("usage: java -cp <classes> ChaosTest --repo DIR --state DIR --out FILE.json [--mode chaos|throughput]"
                    + " [--events 10000] [--customers 1000] [--senders 16] [--hub-kills 5] [--broker-kills 1]"
                    + " [--pg-restarts 1] [--pg-down 10] [--min-up 5] [--max-up 20] [--no-failback] [--seed N]"
                    + " [--timeout 10] [--drain 600] [--agents 2] [--tp-events 6000] [--tp-customers 300] [--tp-warmup 600]");
            System.exit(2);
        }
    }

    /** The harness as its env files and secrets describe it. */
    static final class Cluster {
        final Path repo;
        final Path state;
        final Map<String, String> secrets;
        final Map<String, Integer> httpPorts = new LinkedHashMap<>();   // hub service -> port
        final Map<String, Integer> webhookPorts = new LinkedHashMap<>(); // hub service -> its webhook server's port
        final Map<String, Integer> brokerPorts = new LinkedHashMap<>(); // artemis service -> port
        final int pgPort;

        Cluster(Path repo, Path state) throws IOException {
            this.repo = repo;
            this.state = state;
            this.secrets = readEnv(state.resolve("secrets.env"));
            for (String hub : List.of("hub", "hub-2")) {
                httpPorts.put(hub, Integer.parseInt(envValue(hub, "SERVER_PORT")));
                webhookPorts.put(hub, Integer.parseInt(envValue(hub, "HUB_WEBHOOK_PORT")));
            }
            for (String broker : List.of("artemis", "artemis-backup")) {
                brokerPorts.put(broker, Integer.parseInt(envValue(broker, "BROKER_PORT")));
            }
            pgPort = Integer.parseInt(envValue("postgres", "PGPORT"));
        }

        /** NAME=value lines; values as cluster.sh writes them (%q of plain tokens, or quoted). */
        static Map<String, String> readEnv(Path file) throws IOException {
            Map<String, String> m = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file)) {
                Matcher e = Pattern.compile("^([A-Z_][A-Z0-9_]*)=(.*)$").matcher(line);
                if (e.matches()) {
                    m.put(e.group(1), e.group(2).replaceAll("^[\"']|[\"']$", ""));
                }
            }
            return m;
        }

        /** The last plain value a service's env file gives a variable (hub-2.env overrides hub.env's port). */
        String envValue(String service, String name) throws IOException {
            String value = null;
            for (String line : Files.readAllLines(repo.resolve("deploy/local/" + service + ".env"))) {
                if (line.startsWith(name + "=")) {
                    value = line.substring(name.length() + 1);
                }
            }
            if (value == null || !value.matches("\\d+")) {
                throw new IllegalStateException("no " + name + " in deploy/local/" + service + ".env");
            }
            return value;
        }

        String secret(String name) {
            String v = secrets.get(name);
            if (v == null || v.isEmpty()) {
                throw new IllegalStateException("no " + name + " in " + state.resolve("secrets.env"));
            }
            return v;
        }

        String hubUrl(String hub) {
            return "http://127.0.0.1:" + httpPorts.get(hub);
        }

        String webhookUrl(String hub) {
            return "http://127.0.0.1:" + webhookPorts.get(hub);
        }

        String haUrl() {
            StringBuilder b = new StringBuilder("(");
            for (int port : brokerPorts.values()) {
                b.append(b.length() > 1 ? "," : "").append("tcp://127.0.0.1:").append(port);
            }
            return b + ")?ha=true&reconnectAttempts=-1";
        }

        String apiToken() {
            return secret("HUB_API_TOKENS").split(",")[0].trim();
        }

        long pid(String service) {
            try {
                Path file = service.equals("postgres") ? state.resolve("postgres/data/postmaster.pid")
                        : state.resolve(service).resolve("pid");
                return Long.parseLong(Files.readAllLines(file).get(0).trim());
            } catch (Exception e) {
                return -1;
            }
        }

        /** Runs deploy/local/cluster.sh with this state; its output is appended to log. Returns its exit code. */
        int run(Path log, String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add("bash");
            cmd.add(repo.resolve("deploy/local/cluster.sh").toString());
            cmd.addAll(Arrays.asList(args));
            Files.writeString(log, "===== chaos-test: cluster.sh " + String.join(" ", args) + " at " + Instant.now() + " =====\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("CLUSTER_STATE", state.toString());
            return pb.start().waitFor();
        }

        boolean hubReady(HttpClient client, String hub) {
            try {
                return client.send(HttpRequest.newBuilder(URI.create(hubUrl(hub) + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        static boolean portOpen(int port) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        /** The broker serving clients: the one whose acceptor is open (the replica keeps its acceptors closed). */
        String activeBroker() {
            for (Map.Entry<String, Integer> e : brokerPorts.entrySet()) {
                if (portOpen(e.getValue())) {
                    return e.getKey();
                }
            }
            return null;
        }

        Connection database() throws SQLException {
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/hub?connectTimeout=3&socketTimeout=10",
                    "hub", secret("HUB_DATABASE_PASSWORD"));
        }

        ActiveMQConnectionFactory brokerFactory() {
            ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(haUrl(), secret("HUB_BROKER_USER"),
                    secret("HUB_BROKER_PASSWORD"));
            cf.setCallTimeout(10_000);
            return cf;
        }
    }

    /** One POST and its outcome: when it was sent and answered (nanos), post's code, the hub's index. */
    record Answer(long sent, long done, int code, int hub) {
    }

    /**
     * One sample of the monitor: seconds since the load began, 200s, transcript rows, hub.webhook.inbound depth, Open
     * conversations (waiting for an agent; -1 unknown).
     */
    record Sample(double t, long ok, long rows, long inbound, long open) {
    }

    enum Kind { HUB, BROKER, POSTGRES }

    final ChaosOptions co;
    final Cluster cluster;
    final List<String> hubs;                       // the hubs the webhooks go to
    final List<String> hubUrls = new ArrayList<>();        // the hubs' webhook servers, in the order of hubs
    final Path resultsPrefix;                      // bench/results/chaos-<ts>
    final Path clusterLog;
    final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    final Map<Integer, Integer> ackHub = new ConcurrentHashMap<>();   // webhook id -> hub that answered its first 200
    final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    final List<Map<String, Object>> faults = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Long> logOffsets = new HashMap<>();
    volatile boolean monitoring;
    ChaosAgents agents;                            // null without --agents

    ChaosTest(ChaosOptions co, Options o, Cluster cluster, List<String> hubs, Path resultsPrefix) {
        super(o);
        this.co = co;
        this.cluster = cluster;
        this.hubs = hubs;
        for (String h : hubs) {
            hubUrls.add(cluster.webhookUrl(h));
        }
        this.baseUrl = cluster.hubUrl(hubs.get(0));
        this.resultsPrefix = resultsPrefix;
        this.clusterLog = Path.of(resultsPrefix + "-cluster.log");
    }

    static Options crashOptions(ChaosOptions co, Cluster cluster, String runId, int events, int customers, int kills,
            Path hubLog) {
        Options o = new Options();
        o.name = "chaos";
        o.runId = runId;
        o.db = "postgres";
        o.events = events;
        o.customers = customers;
        o.senders = co.senders;
        o.kills = kills;
        o.minUp = co.minUp;
        o.maxUp = co.maxUp;
        o.seed = co.seed;
        o.requestTimeoutSeconds = co.timeout;
        o.drainTimeoutSeconds = co.drainSeconds;
        o.secret = cluster.secret("HUB_FACEBOOK_APP_SECRET");
        o.hubLog = hubLog;
        o.out = co.out;
        return o;
    }

    // ------------------------------------------------------------------------------------------------ the crash test's hooks

    /** Each attempt goes to a hub picked at random: one that is down refuses it, and it is re-sent (to either). */
    @Override
    String hubUrl(Webhook w) {
        return hubUrls.get(hubUrls.size() == 1 ? 0 : ThreadLocalRandom.current().nextInt(hubUrls.size()));
    }

    @Override
    void answered(Webhook w, String hub, int code, long sentNanos) {
        int index = hubUrls.indexOf(hub);
        answers.add(new Answer(sentNanos, System.nanoTime(), code, index));
        if (code == 200 && !w.acked) {
            ackHub.putIfAbsent(w.id, index);
        }
    }

    @Override
    Connection hubDatabase() throws SQLException {
        return cluster.database();
    }

    @Override
    ActiveMQConnectionFactory brokerConnectionFactory() {
        return cluster.brokerFactory();
    }

    /** Every queue's message count, from the active broker's management (the hubs' metrics have no broker meters). */
    @Override
    Map<String, Long> queueDepths() {
        Map<String, Long> m = new TreeMap<>();
        try (jakarta.jms.Connection c = cluster.brokerFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            c.start();
            Object names = manage(s, ResourceNames.BROKER, null, "getQueueNames");
            if (names instanceof Object[] list) {
                for (Object name : list) {
                    try {
                        Object count = manage(s, ResourceNames.QUEUE + name, "messageCount", null);
                        if (count instanceof Number n) {
                            m.put(String.valueOf(name), n.longValue());
                        }
                    } catch (Exception e) {
                        // e.g. ExpiryQueue does not answer; the others still count
                    }
                }
            }
        } catch (Exception e) {
            // not available (broker failing over)
        }
        return m;
    }

    /** One management request: an attribute (operation null) or an operation without parameters. */
    static Object manage(Session s, String resource, String attribute, String operation) throws Exception {
        TemporaryQueue reply = s.createTemporaryQueue();
        try (MessageProducer p = s.createProducer(s.createQueue("activemq.management"));
                MessageConsumer c = s.createConsumer(reply)) {
            Message m = s.createMessage();
            if (operation != null) {
                JMSManagementHelper.putOperationInvocation(m, resource, operation);
            } else {
                JMSManagementHelper.putAttribute(m, resource, attribute);
            }
            m.setJMSReplyTo(reply);
            p.send(m);
            Message r = c.receive(5000);
            if (r == null || !JMSManagementHelper.hasOperationSucceeded(r)) {
                throw new IOException("management " + resource + " " + (operation != null ? operation : attribute) + " failed");
            }
            return JMSManagementHelper.getResult(r);
        } finally {
            reply.delete();
        }
    }

    // ------------------------------------------------------------------------------------------------ logs

    Path serviceLog(String service) {
        return cluster.state.resolve(service).resolve(service + ".log");
    }

    Path resultLog(String service) {
        return Path.of(resultsPrefix + "-" + (service.startsWith("hub") ? HUBS_LOG : service) + ".log");
    }

    /** Marks where the run begins in each service's log: only what is written after it is collected. */
    void markLogs() {
        for (String s : List.of("postgres", "artemis", "artemis-backup", "hub", "hub-2")) {
            logOffsets.put(s, size(serviceLog(s)));
        }
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Appends what the service logged since the last collection to bench/results; cluster.sh moves a service's log
     * aside when it starts it again, so this runs after each kill, before the restart, and at the end.
     */
    void collectLog(String service, String why) {
        Path from = serviceLog(service);
        long offset = logOffsets.getOrDefault(service, 0L);
        Path to = resultLog(service);
        try {
            Files.writeString(to, "===== chaos-test: " + service + " log, " + why + ", at " + Instant.now() + " =====\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (Files.exists(from)) {
                byte[] all = Files.readAllBytes(from);
                if (offset <= all.length) {
                    Files.write(to, Arrays.copyOfRange(all, (int) offset, all.length), StandardOpenOption.APPEND);
                }
            }
        } catch (IOException e) {
            say("could not copy " + from + ": " + e);
        }
        // postgres appends to its log (pg_ctl -l); cluster.sh starts the others with a new one
        logOffsets.put(service, service.equals("postgres") ? size(from) : 0L);
    }

    // ------------------------------------------------------------------------------------------------ monitor

    /** Once a second: 200s so far, the run's transcript rows (JDBC) and hub.webhook.inbound (broker management). */
    void monitor() {
        Connection db = null;
        jakarta.jms.Connection jms = null;
        Session session = null;
        while (monitoring) {
            long rows = -1;
            long inbound = -1;
            long open = -1;
            try {
                if (db == null) {
                    db = cluster.database();
                }
                try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                        "select count(*) from message where mid like '" + midPrefix + "%'")) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                        "select count(*) from conversation where state = 'OPEN'")) {
                    rs.next();
                    open = rs.getLong(1);
                }
            } catch (SQLException e) {
                closeQuietly(db);
                db = null;
            }
            try {
                if (session == null) {
                    jms = cluster.brokerFactory().createConnection();
                    session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    jms.start();
                }
                Object n = manage(session, ResourceNames.QUEUE + INBOUND_QUEUE, "messageCount", null);
                inbound = n instanceof Number number ? number.longValue() : -1;
            } catch (Exception e) {
                closeQuietly(jms);
                jms = null;
                session = null;
            }
            samples.add(new Sample(round(secondsSince(loadStartNanos)), ok200.sum(), rows, inbound, open));
            sleepMs(1000);
        }
        closeQuietly(db);
        closeQuietly(jms);
    }

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // gone anyway
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ faults

    /** The faults in a random order (seeded): the hub kills on random hubs, the broker kills, the PostgreSQL restarts. */
    List<Kind> plan(Random rnd) {
        List<Kind> plan = new ArrayList<>();
        for (int i = 0; i < co.hubKills; i++) {
            plan.add(Kind.HUB);
        }
        for (int i = 0; i < co.brokerKills; i++) {
            plan.add(Kind.BROKER);
        }
        for (int i = 0; i < co.pgRestarts; i++) {
            plan.add(Kind.POSTGRES);
        }
        Collections.shuffle(plan, rnd);
        return plan;
    }

    /**
     * The crash test's killer for the cluster: after everything is back, waits a random time in [min-up, max-up], does
     * the next fault, brings the cluster back (cluster.sh up) and measures; the first sends are paced until the last.
     */
    void chaos() {
        Random rnd = new Random(co.seed * 17 + 3);
        List<Kind> plan = plan(rnd);
        double avgUp = (co.minUp + co.maxUp) / 2.0;
        double recovery = 40;
        incarnation.set(1);
        try {
            for (int k = 1; k <= plan.size() && abortReason == null; k++) {
                double up = co.minUp + rnd.nextDouble() * (co.maxUp - co.minUp);
                long faultAt = System.nanoTime() + (long) (up * 1e9);
                pacer.plannedEndNanos = faultAt + (long) ((plan.size() - k) * (avgUp + recovery) * 1e9);
                while (System.nanoTime() < faultAt && abortReason == null) {
                    Thread.sleep(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(faultAt - System.nanoTime()))));
                }
                if (abortReason != null) {
                    return;
                }
                Kind kind = plan.get(k - 1);
                Map<String, Object> f = switch (kind) {
                    case HUB -> killHub(k, rnd.nextBoolean() ? "hub" : "hub-2");
                    case BROKER -> killBroker(k);
                    case POSTGRES -> restartPostgres(k);
                };
                faults.add(f);
                killsDone.incrementAndGet();
                if (k == plan.size()) {
                    pacer.plannedEndNanos = 0;
                }
                Object back = f.get("everything_back_s");
                if (back instanceof Number n) {
                    recovery = Math.max(10, n.doubleValue());
                }
            }
        } catch (Exception e) {
            abortReason = "fault or recovery failed: " + e;
            say("ABORT: " + abortReason);
        } finally {
            pacer.plannedEndNanos = 0;
            killerDone = true;
        }
    }

    Map<String, Object> fault(int number, Kind kind, String target, long pid, long at) {
        killNanos.add(at);
        incarnation.incrementAndGet();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("number", number);
        f.put("kind", kind.name().toLowerCase(Locale.ROOT));
        f.put("target", target);
        f.put("pid", pid);
        f.put("at_s", round((at - loadStartNanos) / 1e9));
        f.put("at_nanos", at);
        f.put("at", Instant.now().minusNanos(System.nanoTime() - at).toString());
        f.put("events_acknowledged_before", acked.size());
        return f;
    }

    /** kill -9 of a process of the harness, after checking that the pid is still that service's. */
    static void sigkill(long pid, String mustContain) throws InterruptedException {
        ProcessHandle p = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        String cmd = p.info().commandLine().orElse("");
        if (!cmd.contains(mustContain)) {
            throw new IllegalStateException("pid " + pid + " is not " + mustContain + ": " + cmd);
        }
        p.destroyForcibly();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (p.isAlive()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pid " + pid + " still alive 30 s after SIGKILL");
            }
            Thread.sleep(10);
        }
    }

    /** cluster.sh up in the background (it restarts what is missing and waits for readiness); its exit code later. */
    Thread clusterUp(Map<String, Object> f, long since) {
        Thread t = new Thread(() -> {
            try {
                int rc = cluster.run(clusterLog, "up");
                f.put("cluster_up_exit", rc);
                f.put("cluster_up_done_s", round((System.nanoTime() - since) / 1e9));
            } catch (Exception e) {
                f.put("cluster_up_exit", e.toString());
            }
        }, "cluster-up");
        t.start();
        return t;
    }

    Map<String, Object> killHub(int number, String hub) throws Exception {
        long pid = cluster.pid(hub);
        say(String.format(Locale.ROOT, "fault #%d: kill -9 %s (pid %d), %d of %d events acknowledged", number, hub, pid,
                acked.size(), o.events));
        long at = System.nanoTime();
        sigkill(pid, "messenger-hub.jar");
        Map<String, Object> f = fault(number, Kind.HUB, hub, pid, at);
        collectLog(hub, "killed (fault #" + number + ")");
        Thread up = clusterUp(f, at);
        HttpClient client = newClient();
        while (!cluster.hubReady(client, hub) && up.isAlive()) {
            Thread.sleep(200);
        }
        up.join();
        requireUp(f);
        f.put("ready_after_s", round(secondsSince(at)));
        f.put("everything_back_s", round(secondsSince(at)));
        say(String.format(Locale.ROOT, "fault #%d: %s (new pid %d) ready %.1f s after the kill", number, hub,
                cluster.pid(hub), secondsSince(at)));
        return f;
    }

    void requireUp(Map<String, Object> f) {
        if (!Integer.valueOf(0).equals(f.get("cluster_up_exit"))) {
            throw new IllegalStateException("cluster.sh up failed (" + f.get("cluster_up_exit") + "); see " + clusterLog);
        }
    }

    Map<String, Object> killBroker(int number) throws Exception {
        String active = cluster.activeBroker();
        if (active == null) {
            throw new IllegalStateException("no broker is serving clients");
        }
        String other = active.equals("artemis") ? "artemis-backup" : "artemis";
        long pid = cluster.pid(active);
        say(String.format(Locale.ROOT, "fault #%d: kill -9 the active broker %s (pid %d), %d of %d events acknowledged",
                number, active, pid, acked.size(), o.events));
        long at = System.nanoTime();
        sigkill(pid, "artemis");
        Map<String, Object> f = fault(number, Kind.BROKER, active, pid, at);
        int otherPort = cluster.brokerPorts.get(other);
        long deadline = at + TimeUnit.SECONDS.toNanos(120);
        while (!Cluster.portOpen(otherPort)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(other + " did not take over within 120 s");
            }
            Thread.sleep(20);
        }
        f.put("ready_after_s", round(secondsSince(at)));
        f.put("took_over", other);
        say(String.format(Locale.ROOT, "fault #%d: %s serving clients %.2f s after the kill", number, other, secondsSince(at)));
        collectLog(active, "killed (fault #" + number + ")");
        if (co.failback) {
            // As a supervisor would: start the dead one again; it becomes the active broker's replica, and the primary
            // takes over again once in sync (failback).
            Thread.sleep(5_000);
            long restart = System.nanoTime();
            Thread up = clusterUp(f, at);
            up.join();
            requireUp(f);
            if (active.equals("artemis")) {
                int port = cluster.brokerPorts.get(active);
                long failbackDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!Cluster.portOpen(port) && System.nanoTime() < failbackDeadline) {
                    Thread.sleep(20);
                }
                f.put("failback_after_restart_s", Cluster.portOpen(port) ? round(secondsSince(restart)) : null);
                f.put("failback_at_nanos", System.nanoTime());
                say(String.format(Locale.ROOT, "fault #%d: %s restarted, active again %.1f s after its restart (failback)",
                        number, active, secondsSince(restart)));
            }
        }
        f.put("everything_back_s", round(secondsSince(at)));
        return f;
    }

    Map<String, Object> restartPostgres(int number) throws Exception {
        long pid = cluster.pid("postgres");
        say(String.format(Locale.ROOT, "fault #%d: PostgreSQL stopped (pid %d, pg_ctl stop -m fast) for %d s, %d of %d events"
                + " acknowledged", number, pid, co.pgDownSeconds, acked.size(), o.events));
        long at = System.nanoTime();
        Map<String, Object> f = fault(number, Kind.POSTGRES, "postgres", pid, at);
        int rc = cluster.run(clusterLog, "stop", "postgres");
        if (rc != 0) {
            throw new IllegalStateException("cluster.sh stop postgres failed (" + rc + "); see " + clusterLog);
        }
        f.put("stopped_after_s", round(secondsSince(at)));
        Thread.sleep(co.pgDownSeconds * 1000L);
        long start = System.nanoTime();
        f.put("start_at_nanos", start);
        Thread up = clusterUp(f, at);
        long deadline = start + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try (Connection c = cluster.database()) {
                break;
            } catch (SQLException e) {
                Thread.sleep(100);
            }
        }
        f.put("ready_after_s", round(secondsSince(at)));
        f.put("ready_at_nanos", System.nanoTime());
        // The run's transcript rows once it is back: the hubs cannot have stored any since the stop before this.
        try (Connection c = cluster.database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select count(*) from message where mid like '" + midPrefix + "%'")) {
            rs.next();
            f.put("rows_at_ready", rs.getLong(1));
        } catch (SQLException e) {
            f.put("rows_at_ready", null);
        }
        up.join();
        requireUp(f);
        f.put("everything_back_s", round(secondsSince(at)));
        say(String.format(Locale.ROOT, "fault #%d: PostgreSQL accepting connections again %.1f s after the stop", number,
                secondsSince(at)));
        return f;
    }

    // ------------------------------------------------------------------------------------------------ measuring

    /** Latency (ms) of the answers in [from, to) of done time with the given code (null: any), p50/p99/max. */
    Map<String, Object> latency(long from, long to, Integer code) {
        List<Double> ms = new ArrayList<>();
        for (Answer a : answers) {
            if (a.done() >= from && a.done() < to && (code == null || a.code() == code)) {
                ms.add((a.done() - a.sent()) / 1e6);
            }
        }
        Collections.sort(ms);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", ms.size());
        if (!ms.isEmpty()) {
            m.put("p50_ms", round(ms.get((int) Math.min(ms.size() - 1, Math.floor(ms.size() * 0.50)))));
            m.put("p99_ms", round(ms.get((int) Math.min(ms.size() - 1, Math.floor(ms.size() * 0.99)))));
            m.put("max_ms", round(ms.get(ms.size() - 1)));
        }
        return m;
    }

    /** Adds to each fault what the answers and the monitor say about it; windows end at the next fault (the last at end). */
    void measureFaults(long loadEnd) {
        List<Answer> sorted = new ArrayList<>(answers);
        sorted.sort((a, b) -> Long.compare(a.done(), b.done()));
        for (int i = 0; i < faults.size(); i++) {
            Map<String, Object> f = faults.get(i);
            long at = (Long) f.get("at_nanos");
            long end = i + 1 < faults.size() ? (Long) faults.get(i + 1).get("at_nanos") : loadEnd;
            String kind = (String) f.get("kind");
            int hubIndex = kind.equals("hub") ? hubs.indexOf((String) f.get("target")) : -1;
            // First 200 for a POST sent after the fault: from the killed hub, or from any hub for the broker and database.
            Long first = null;
            Long firstAny = null;
            long lastOk = at;
            long gap = 0;
            long non200 = 0;
            for (Answer a : sorted) {
                if (a.done() < at || a.done() >= end) {
                    continue;
                }
                if (a.code() != 200) {
                    non200++;
                    continue;
                }
                gap = Math.max(gap, a.done() - lastOk);
                lastOk = a.done();
                if (a.sent() >= at && firstAny == null) {
                    firstAny = a.done();
                }
                if (a.sent() >= at && first == null && (hubIndex < 0 || a.hub() == hubIndex)) {
                    first = a.done();
                }
            }
            f.put("first_200_after_s", first == null ? null : round((first - at) / 1e9));
            f.put("first_200_any_hub_after_s", firstAny == null ? null : round((firstAny - at) / 1e9));
            f.put("longest_gap_without_200_s", round(gap / 1e9));
            f.put("non_200_until_next_fault", non200);
            f.put("latency_200_until_next_fault", latency(at, end, 200));
            f.put("window_s", round((end - at) / 1e9));
            if (kind.equals("postgres")) {
                measurePostgres(f, at, end);
            }
        }
    }

    /** Webhooks answered while PostgreSQL was away, when processing went on, the backlog on the broker. */
    void measurePostgres(Map<String, Object> f, long at, long end) {
        long ready = (Long) f.get("ready_at_nanos");
        long ok = 0;
        long non = 0;
        for (Answer a : answers) {
            if (a.done() >= at && a.done() < ready) {
                if (a.code() == 200) {
                    ok++;
                } else {
                    non++;
                }
            }
        }
        f.put("answered_200_while_down", ok);
        f.put("non_200_while_down", non);
        double atS = (at - loadStartNanos) / 1e9;
        double readyS = (ready - loadStartNanos) / 1e9;
        double endS = (end - loadStartNanos) / 1e9;
        long rowsAtReady = f.get("rows_at_ready") instanceof Long n ? n : Long.MAX_VALUE;
        long inboundBefore = -1;
        long inboundPeak = -1;
        Double resumed = null;
        Double caughtUp = null;
        synchronized (samples) {
            for (Sample s : samples) {
                if (s.t() < atS) {
                    if (s.inbound() >= 0) {
                        inboundBefore = s.inbound();
                    }
                    continue;
                }
                if (s.t() < endS) {
                    inboundPeak = Math.max(inboundPeak, s.inbound());
                }
                // Processing resumed: the first sample after PostgreSQL is back with more rows than it had then.
                if (resumed == null && s.t() > readyS && s.rows() > rowsAtReady) {
                    resumed = s.t() - atS;
                }
                // Caught up, looked for beyond the next fault too (the report says when that came first).
                if (caughtUp == null && resumed != null && s.inbound() >= 0 && s.inbound() <= Math.max(inboundBefore, 10)) {
                    caughtUp = s.t() - atS;
                }
            }
        }
        f.put("inbound_before", inboundBefore);
        f.put("inbound_peak", inboundPeak);
        f.put("processing_resumed_after_s", resumed == null ? null : round(resumed));
        f.put("backlog_caught_up_after_s", caughtUp == null ? null : round(caughtUp));
        f.put("backlog_caught_up_after_the_next_fault", caughtUp != null && caughtUp + atS >= endS);
    }

    // ------------------------------------------------------------------------------------------------ read API and extra checks

    /**
     * Through the read API, alternating between the hubs: for a sample of customers, every acknowledged mid in the
     * customer's conversations exactly once.
     */
    Map<String, Object> apiCheck(int sampleSize) throws Exception {
        HttpClient client = newClient();
        Random rnd = new Random(co.seed * 5 + 11);
        List<Customer> sample = new ArrayList<>(customers);
        Collections.shuffle(sample, rnd);
        sample = sample.subList(0, Math.min(sampleSize, sample.size()));
        Map<String, List<String>> byCustomer = new HashMap<>();
        for (Webhook w : webhooks) {
            if (w.acked) {
                byCustomer.computeIfAbsent(w.customer.psid, k -> new ArrayList<>()).addAll(w.mids);
            }
        }
        long missing = 0;
        long twice = 0;
        long read = 0;
        List<String> problems = new ArrayList<>();
        Map<String, Long> perHub = new TreeMap<>();
        for (int i = 0; i < sample.size(); i++) {
            Customer c = sample.get(i);
            String hub = hubs.get(i % hubs.size());
            Map<String, Integer> seen = new HashMap<>();
            JsonNode convs = api(client, hub, "/api/conversations?psid=" + URLEncoder.encode(c.psid, StandardCharsets.UTF_8));
            for (JsonNode conv : convs) {
                for (JsonNode msg : api(client, hub, "/api/conversations/" + conv.path("id").asText() + "/messages")) {
                    String mid = msg.path("mid").asText("");
                    if (mid.startsWith(midPrefix)) {
                        seen.merge(mid, 1, Integer::sum);
                        read++;
                    }
                }
            }
            perHub.merge(hub, 1L, Long::sum);
            for (String mid : byCustomer.getOrDefault(c.psid, List.of())) {
                int n = seen.getOrDefault(mid, 0);
                if (n == 0) {
                    missing++;
                    problems.add("missing " + mid + " (" + hub + ")");
                } else if (n > 1) {
                    twice++;
                    problems.add(mid + " x" + n + " (" + hub + ")");
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customers_read", sample.size());
        m.put("customers_per_hub", perHub);
        m.put("run_messages_read", read);
        m.put("acknowledged_missing", missing);
        m.put("acknowledged_twice", twice);
        m.put("problems_sample", problems.subList(0, Math.min(20, problems.size())));
        return m;
    }

    JsonNode api(HttpClient client, String hub, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(cluster.hubUrl(hub) + path))
                .header("Authorization", "Bearer " + cluster.apiToken()).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + hub + " " + path + " answered " + r.statusCode());
        }
        return json.readTree(r.body());
    }

    /** Agents on the run's conversations: how many have one, and any with more than one accepted offer. */
    Map<String, Object> agentCheck() throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        try (Connection c = cluster.database(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select count(*) from conversation where agent_id is not null and customer_psid like '"
                    + psidPrefix + "%'")) {
                rs.next();
                m.put("conversations_with_an_agent", rs.getLong(1));
            }
            try (ResultSet rs = s.executeQuery("select count(*) from (select o.conversation_id from conversation_offer o join"
                    + " conversation c on c.id = o.conversation_id where c.customer_psid like '" + psidPrefix + "%' and"
                    + " o.state = 'ACCEPTED' group by o.conversation_id having count(distinct o.agent_id) > 1) x")) {
                rs.next();
                m.put("conversations_with_more_than_one_agent", rs.getLong(1));
            }
            try (ResultSet rs = s.executeQuery("select count(*) from conversation_offer o join conversation c on"
                    + " c.id = o.conversation_id where c.customer_psid like '" + psidPrefix + "%'")) {
                rs.next();
                m.put("offers_to_agents", rs.getLong(1));
            }
        }
        return m;
    }

    /** Offers and dead letters of earlier runs (or the harness's own checks) would blur this run's counts. */
    Map<String, Long> emptyQueuesBefore() throws Exception {
        Map<String, Long> taken = new TreeMap<>();
        Map<String, Long> depths = new TreeMap<>(queueDepths());
        for (String q : List.of(OFFER_PREFIX + "general", WEBHOOK_DLQ, "hub.send.dead-letter", "DLQ")) {
            depths.putIfAbsent(q, -1L);
        }
        try (jakarta.jms.Connection c = cluster.brokerFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            c.start();
            for (Map.Entry<String, Long> e : depths.entrySet()) {
                String q = e.getKey();
                boolean ours = q.startsWith(OFFER_PREFIX) || q.endsWith("dead-letter") || q.equals("DLQ");
                if (!ours || e.getValue() == 0) {
                    continue;
                }
                long n = 0;
                try (MessageConsumer consumer = s.createConsumer(s.createQueue(q))) {
                    while (consumer.receive(1000) != null) {
                        n++;
                    }
                }
                taken.put(q, n);
            }
        }
        return taken;
    }

    /** Messages on hub.send.dead-letter (the crash test's consumeBroker reads the webhook one and DLQ). */
    Map<String, Object> sendDeadLetters() throws Exception {
        List<String> reasons = new ArrayList<>();
        List<String> samples = new ArrayList<>();
        try (jakarta.jms.Connection c = cluster.brokerFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            c.start();
            try (MessageConsumer consumer = s.createConsumer(s.createQueue("hub.send.dead-letter"))) {
                Message m;
                while ((m = consumer.receive(1000)) != null) {
                    String reason = m.getStringProperty("hubDeadLetterReason");
                    reasons.add(String.valueOf(reason));
                    if (reason == null && samples.size() < 5) {
                        // Evidence for a dead letter without a reason: who put it there, after how many deliveries.
                        String body = m instanceof jakarta.jms.TextMessage t ? t.getText() : m.getClass().getSimpleName();
                        samples.add("from " + m.getStringProperty("_AMQ_ORIG_ADDRESS") + ", JMSXDeliveryCount "
                                + m.getIntProperty("JMSXDeliveryCount") + ", body " + (body == null ? "null"
                                : body.substring(0, Math.min(300, body.length()))));
                    }
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messages", reasons.size());
        m.put("without_reason", reasons.stream().filter(r -> r.equals("null")).count());
        m.put("reasons", reasonCounts(reasons));
        m.put("without_reason_samples", samples);
        return m;
    }

    // ------------------------------------------------------------------------------------------------ runs

    void awaitClusterReady() throws Exception {
        HttpClient client = newClient();
        for (String hub : hubs) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_S);
            while (!cluster.hubReady(client, hub)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(hub + " is not ready; run deploy/local/cluster.sh up");
                }
                Thread.sleep(500);
            }
        }
        if (cluster.activeBroker() == null) {
            throw new IllegalStateException("no broker is serving clients; run deploy/local/cluster.sh up");
        }
    }

    /** The senders of the crash test, over this instance's hubs; returns when every event is acknowledged. */
    void load(Runnable faultMaker) throws InterruptedException {
        loadStartNanos = System.nanoTime();
        Thread faulter = null;
        if (faultMaker != null) {
            faulter = new Thread(faultMaker, "faults");
            faulter.start();
            while (pacer.plannedEndNanos == 0 && !killerDone) {
                Thread.sleep(5);
            }
        } else {
            killerDone = true;
        }
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < Math.min(o.senders, customers.size()); i++) {
            int n = i;
            Thread s = new Thread(() -> sender(n), "sender-" + i);
            senders.add(s);
            s.start();
        }
        Thread progress = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sleepMs(10_000);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
                say(String.format(Locale.ROOT, "progress: %d of %d events acknowledged, %d POSTs, %d 200s, faults %d;"
                                + " transcript rows %s, %s %s", acked.size(), o.events, posts.sum(), ok200.sum(), killsDone.get(),
                        last == null ? "?" : last.rows(), INBOUND_QUEUE, last == null ? "?" : last.inbound()));
            }
        }, "progress");
        progress.setDaemon(true);
        progress.start();
        for (Thread s : senders) {
            s.join();
        }
        loadEndNanos = System.nanoTime();
        if (abortReason == null) {
            say(String.format(Locale.ROOT, "all %d events acknowledged after %.1f s (%d faults done)", acked.size(),
                    (loadEndNanos - loadStartNanos) / 1e9, killsDone.get()));
        }
        trickle();
        if (faulter != null) {
            faulter.join();
        }
        progress.interrupt();
    }

    Map<String, Object> loadFigures() {
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("posts", posts.sum());
        load.put("answered_200", ok200.sum());
        Map<String, Long> non = new TreeMap<>();
        non200.forEach((k, v) -> non.put(k, v.sum()));
        load.put("non_200", non);
        load.put("first_sends", firstAttemptPosts.sum());
        load.put("retries", retryPosts.sum());
        load.put("resends_scheduled", resendsScheduled.sum());
        load.put("resend_posts", resendPosts.sum());
        load.put("resend_200", resend200.sum());
        load.put("trickle_posts", tricklePosts.sum());
        load.put("webhooks", webhooks.size());
        load.put("webhooks_with_malformed_item", webhooks.stream().filter(w -> w.badMid != null).count());
        load.put("answered_200_with_malformed_item", malformed200.sum());
        load.put("events_acknowledged", acked.size());
        Map<String, Long> perHub = new TreeMap<>();
        for (Answer a : answers) {
            if (a.code() == 200 && a.hub() >= 0) {
                perHub.merge(hubs.get(a.hub()), 1L, Long::sum);
            }
        }
        load.put("answered_200_by_hub", perHub);
        load.put("load_seconds", round((loadEndNanos - loadStartNanos) / 1e9));
        load.put("latency_200", latency(Long.MIN_VALUE, Long.MAX_VALUE, 200));
        load.put("latency_all_answers", latency(Long.MIN_VALUE, Long.MAX_VALUE, null));
        return load;
    }

    int runChaos() throws Exception {
        awaitClusterReady();
        say(String.format(Locale.ROOT, "chaos test run %s: %d customers (PSIDs %s..), %d events in %d webhooks, %d senders over"
                        + " %s; faults: %d hub kills, %d broker kills, %d PostgreSQL restarts (%d s down), %d..%d s apart,"
                        + " seed %d", runId, customers.size(), psidPrefix, o.events, webhooks.size(), o.senders, hubs,
                co.hubKills, co.brokerKills, co.pgRestarts, co.pgDownSeconds, co.minUp, co.maxUp, co.seed));
        Map<String, Long> emptied = emptyQueuesBefore();
        if (!emptied.isEmpty()) {
            say("taken off the broker before the run (earlier runs): " + emptied);
        }
        markLogs();
        if (co.agents > 0) {
            agents = new ChaosAgents(co.agents, cluster.haUrl(), psidPrefix, co.seed, Path.of(resultsPrefix + "-agents.log"));
            agents.start();
        }
        loadStartNanos = System.nanoTime();
        monitoring = true;
        Thread monitor = new Thread(this::monitor, "monitor");
        monitor.setDaemon(true);
        monitor.start();
        load(this::chaos);
        String agentsStopError = stopAgents();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("meta", meta("chaos", emptied));
        result.put("load", loadFigures());
        result.put("faults", faults);
        Map<String, Object> checks = null;
        if (abortReason == null) {
            result.put("drain", drain());
            measureFaults(System.nanoTime());
            monitoring = false;
            result.put("broker", consumeBroker());
            result.put("send_dead_letters", sendDeadLetters());
            result.put("read_api", apiCheck(200));
            checks = check();
            checks.putAll(agentCheck());
            result.put("checks", checks);
        } else {
            result.put("aborted", abortReason);
            measureFaults(System.nanoTime());
        }
        if (agents != null) {
            Map<String, Object> a = agentsCheck();
            if (agentsStopError != null) {
                a.put("stop_error", agentsStopError);
            }
            result.put("agents", a);
        }
        monitoring = false;
        for (String s : List.of("hub", "hub-2", "artemis", "artemis-backup", "postgres")) {
            collectLog(s, "end of the run");
        }
        result.put("timeline", timeline());
        result.put("wall_seconds", round(secondsSince(startNanos)));
        result.put("hub_log", hubLog());
        result.put("hub_log_marks", hubLogMarks());
        List<String> failures = failures(checks, result);
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("pass", failures.isEmpty());
        verdict.put("failures", failures);
        result.put("verdict", verdict);
        result.put("finished_at", Instant.now().toString());
        faults.forEach(f -> {
            f.remove("at_nanos");
            f.remove("start_at_nanos");
            f.remove("ready_at_nanos");
            f.remove("failback_at_nanos");
        });
        printChaosReport(result);
        write(result, co.out);
        return failures.isEmpty() ? 0 : 1;
    }

    /** Ends the agents' work after the load; returns why that failed, or null. */
    String stopAgents() {
        if (agents == null) {
            return null;
        }
        try {
            agents.stop();
            return null;
        } catch (Exception e) {
            say("stopping the agents failed: " + e);
            return e.toString();
        }
    }

    /** The agents' figures and checks (ChaosAgents.check), with the monitor's Open conversations and the faults. */
    Map<String, Object> agentsCheck() {
        List<double[]> open = new ArrayList<>();
        synchronized (samples) {
            for (Sample s : samples) {
                open.add(new double[] {s.t(), s.open()});
            }
        }
        try (Connection db = cluster.database()) {
            return agents.check(db, faults, open, loadStartNanos);
        } catch (Exception e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", "the agents' check failed: " + e);
            return m;
        }
    }

    /**
     * Lines of the run's logs that tell how the hubs met the faults: the database breaker pausing and resuming the
     * broker consumers (per PostgreSQL stop: how long after it), the instance-id guard refusing a hub (which must not
     * happen to a hub restarted after kill -9), and PostgreSQL's deadlocks.
     */
    Map<String, Object> hubLogMarks() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Pattern> marks = new LinkedHashMap<>();
        marks.put("routes_paused", Pattern.compile("route \\S+ paused"));
        marks.put("routes_resumed", Pattern.compile("route \\S+ resumed"));
        marks.put("another_hub_with_instance_id", Pattern.compile("Another hub is running with instance id"));
        Map<String, List<String>> lines = grep(Path.of(resultsPrefix + "-" + HUBS_LOG + ".log"), marks, m);
        lines.forEach((k, v) -> {
            m.put(k, v.size());
            m.put(k + "_sample", v.subList(0, Math.min(k.equals("another_hub_with_instance_id") ? 20 : 8, v.size())));
        });
        // A route the breaker paused must be resumed again, unless its hub was killed meanwhile (the restarted one has
        // routes of its own): the last word per hub process and route, for the hubs running at the end.
        Pattern word = Pattern.compile("^\\S+\\s+\\w+\\s+(\\d+) --- .* route (\\S+) (paused|resumed)");
        Map<String, String> last = new TreeMap<>();
        for (String key : List.of("routes_paused", "routes_resumed")) {
            for (String l : lines.get(key)) {
                Matcher w = word.matcher(l);
                if (w.find()) {
                    last.merge("hub pid " + w.group(1) + " route " + w.group(2), l.substring(0, l.indexOf(' ')) + " " + w.group(3),
                            (a, b) -> a.compareTo(b) >= 0 ? a : b);
                }
            }
        }
        List<String> stuck = new ArrayList<>();
        Set<String> running = new HashSet<>();
        for (String hub : hubs) {
            running.add("hub pid " + cluster.pid(hub) + " ");
        }
        last.forEach((k, v) -> {
            if (v.endsWith("paused") && running.stream().anyMatch(k::startsWith)) {
                stuck.add(k + " (paused at " + v.substring(0, v.indexOf(' ')) + ")");
            }
        });
        m.put("routes_still_paused_at_the_end", stuck);
        for (Map<String, Object> f : faults) {
            if (f.get("kind").equals("postgres")) {
                Instant at = Instant.parse((String) f.get("at"));
                f.put("routes_paused_after_s", secondsAfter(at, lines.get("routes_paused")));
                f.put("routes_resumed_after_s", secondsAfter(at, lines.get("routes_resumed")));
            }
        }
        // PostgreSQL writes a deadlock as ERROR, DETAIL (who waited for whom), CONTEXT and STATEMENT lines.
        Map<String, Pattern> pg = new LinkedHashMap<>();
        pg.put("deadlocks", Pattern.compile("ERROR:\\s+deadlock detected"));
        pg.put("statements", Pattern.compile("STATEMENT:"));
        Map<String, List<String>> pgLines = grep(resultLog("postgres"), pg, m);
        m.put("postgres_deadlocks", pgLines.get("deadlocks").size());
        Map<String, Long> statements = new TreeMap<>();
        pgLines.get("statements").forEach(l -> statements.merge(l.substring(l.indexOf("STATEMENT:") + 10).trim(), 1L, Long::sum));
        m.put("postgres_error_statements", statements);
        m.put("postgres_deadlocks_first_last", pgLines.get("deadlocks").isEmpty() ? List.of()
                : List.of(pgLines.get("deadlocks").get(0), pgLines.get("deadlocks").get(pgLines.get("deadlocks").size() - 1)));
        return m;
    }

    /** The lines of a log matching each pattern (at most 300 characters each). */
    static Map<String, List<String>> grep(Path log, Map<String, Pattern> patterns, Map<String, Object> errors) {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        patterns.keySet().forEach(k -> lines.put(k, new ArrayList<>()));
        try (var reader = Files.newBufferedReader(log, StandardCharsets.ISO_8859_1)) {
            String l;
            while ((l = reader.readLine()) != null) {
                for (Map.Entry<String, Pattern> e : patterns.entrySet()) {
                    if (e.getValue().matcher(l).find()) {
                        lines.get(e.getKey()).add(l.length() > 300 ? l.substring(0, 300) : l);
                    }
                }
            }
        } catch (IOException e) {
            errors.put("error_" + log.getFileName(), e.toString());
        }
        return lines;
    }

    /** Seconds from at to the first and the last of the (ISO-stamped) lines within 120 s after it, or null. */
    static List<Double> secondsAfter(Instant at, List<String> lines) {
        List<Double> s = new ArrayList<>();
        for (String l : lines) {
            try {
                double d = Duration.between(at, Instant.parse(l.substring(0, l.indexOf(' ')))).toMillis() / 1000.0;
                if (d >= 0 && d <= 120) {
                    s.add(d);
                }
            } catch (RuntimeException e) {
                // not a hub log line with a time stamp
            }
        }
        Collections.sort(s);
        return s.isEmpty() ? null : List.of(s.get(0), s.get(s.size() - 1));
    }

    @SuppressWarnings("unchecked")
    List<String> failures(Map<String, Object> checks, Map<String, Object> result) {
        List<String> failures = new ArrayList<>();
        if (abortReason != null) {
            failures.add("aborted: " + abortReason);
        }
        int planned = co.hubKills + co.brokerKills + co.pgRestarts;
        if (killsDone.get() != planned) {
            failures.add("faults done " + killsDone.get() + " of " + planned);
        }
        if (checks == null) {
            return failures;
        }
        for (String k : List.of("lost", "duplicated", "not_offered", "offered_twice", "ghost_offers", "malformed_in_transcript",
                "conversations_with_more_than_one_agent")) {
            long v = ((Number) checks.get(k)).longValue();
            if (v != 0) {
                failures.add(k.replace('_', ' ') + " " + v);
            }
        }
        if (acked.size() != o.events) {
            failures.add("events acknowledged " + acked.size() + " of " + o.events);
        }
        Map<String, Object> broker = (Map<String, Object>) result.get("broker");
        long noReason = ((List<String>) broker.get("webhook_dead_letter_reasons")).stream().filter(r -> r.equals("null")).count();
        if (noReason > 0) {
            failures.add("webhook dead letters without a reason " + noReason);
        }
        if (((Number) broker.get("dlq_messages")).longValue() > 0) {
            failures.add("messages on DLQ (no reason) " + broker.get("dlq_messages"));
        }
        Map<String, Object> send = (Map<String, Object>) result.get("send_dead_letters");
        if (((Number) send.get("without_reason")).longValue() > 0) {
            failures.add("hub.send.dead-letter messages without a reason " + send.get("without_reason"));
        }
        Map<String, Object> api = (Map<String, Object>) result.get("read_api");
        if (((Number) api.get("acknowledged_missing")).longValue() + ((Number) api.get("acknowledged_twice")).longValue() > 0) {
            failures.add("read API: missing " + api.get("acknowledged_missing") + ", twice " + api.get("acknowledged_twice"));
        }
        if (!(Boolean) ((Map<String, Object>) result.get("drain")).get("done")) {
            failures.add("drain not done");
        }
        List<String> stuck = (List<String>) ((Map<String, Object>) result.get("hub_log_marks")).get("routes_still_paused_at_the_end");
        if (!stuck.isEmpty()) {
            failures.add("broker consumers paused by the database breaker and never resumed: " + stuck);
        }
        Object refused = ((Map<String, Object>) result.get("hub_log_marks")).get("another_hub_with_instance_id");
        if (refused instanceof Number n && n.longValue() > 0) {
            failures.add("a hub refused to run as a duplicate instance id (\"Another hub is running with instance id\") " + n);
        }
        Map<String, Object> a = (Map<String, Object>) result.get("agents");
        if (a != null) {
            if (a.containsKey("error") || a.containsKey("stop_error")) {
                failures.add("agents: " + a.getOrDefault("error", a.get("stop_error")));
            }
            for (String k : List.of("conversations_with_two_agents", "conversations_assigned_twice", "conversations_not_closed")) {
                Object v = a.get(k);
                if (v instanceof Number n && n.longValue() != 0) {
                    failures.add("agents: " + k.replace('_', ' ') + " " + v);
                }
            }
        }
        return failures;
    }

    /** Per 10 s: 200s answered and transcript rows stored (the processing), and the inbound backlog. */
    List<Map<String, Object>> timeline() {
        List<Map<String, Object>> t = new ArrayList<>();
        List<Sample> copy;
        synchronized (samples) {
            copy = new ArrayList<>(samples);
        }
        Sample prev = null;
        for (Sample s : copy) {
            if (prev == null || s.t() - prev.t() >= 10 || s == copy.get(copy.size() - 1)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("t_s", s.t());
                m.put("answered_200", s.ok());
                m.put("transcript_rows", s.rows());
                m.put("inbound", s.inbound());
                m.put("open_conversations", s.open());
                t.add(m);
                prev = s;
            }
        }
        return t;
    }

    Map<String, Object> meta(String mode, Map<String, Long> emptied) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("mode", mode);
        meta.put("started_at", startedAt.toString());
        meta.put("run_id", runId);
        meta.put("hubs", hubs);
        meta.put("customers", customers.size());
        meta.put("events", o.events);
        meta.put("webhooks", webhooks.size());
        meta.put("senders", o.senders);
        meta.put("hub_kills", co.hubKills);
        meta.put("broker_kills", co.brokerKills);
        meta.put("pg_restarts", co.pgRestarts);
        meta.put("pg_down_s", co.pgDownSeconds);
        meta.put("failback", co.failback);
        meta.put("min_up_s", co.minUp);
        meta.put("max_up_s", co.maxUp);
        meta.put("seed", co.seed);
        meta.put("request_timeout_s", co.timeout);
        meta.put("psid_prefix", psidPrefix);
        meta.put("mid_prefix", midPrefix);
        meta.put("broker_url", cluster.haUrl());
        meta.put("agents", agents == null ? List.of() : agents.ids());
        meta.put("state", cluster.state.toString());
        meta.put("taken_off_the_broker_before", emptied);
        meta.put("java_version", System.getProperty("java.runtime.version"));
        meta.put("nproc", Runtime.getRuntime().availableProcessors());
        return meta;
    }

    void write(Map<String, Object> result, Path out) throws IOException {
        Files.createDirectories(out.getParent());
        json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
        System.out.println("results: " + out);
    }

    @SuppressWarnings("unchecked")
    void printChaosReport(Map<String, Object> r) {
        Map<String, Object> load = (Map<String, Object>) r.get("load");
        Map<String, Object> drain = (Map<String, Object>) r.get("drain");
        Map<String, Object> broker = (Map<String, Object>) r.get("broker");
        Map<String, Object> c = (Map<String, Object>) r.get("checks");
        Map<String, Object> api = (Map<String, Object>) r.get("read_api");
        Map<String, Object> log = (Map<String, Object>) r.get("hub_log");
        Map<String, Object> verdict = (Map<String, Object>) r.get("verdict");
        StringBuilder b = new StringBuilder();
        String rule = "-".repeat(110) + "\n";
        String row = "%-34s %s%n";
        b.append('\n').append(rule);
        b.append("messenger-hub chaos test on the cluster harness   ").append(startedAt).append("   run ").append(runId).append('\n');
        b.append(String.format(Locale.ROOT, "setup: %d customers, %d events in %d webhooks, %d senders over %s, faults %d..%d s"
                + " apart, seed %d%n", customers.size(), o.events, webhooks.size(), o.senders, hubs, co.minUp, co.maxUp, co.seed));
        b.append(rule);
        Map<String, Long> kinds = new TreeMap<>();
        faults.forEach(f -> kinds.merge(f.get("kind") + (f.get("kind").equals("hub") ? " " + f.get("target") : ""), 1L, Long::sum));
        b.append(String.format(Locale.ROOT, row, "faults done", killsDone.get() + "   " + kinds));
        b.append(String.format(Locale.ROOT, row, "webhooks sent (POSTs)", load.get("posts") + "   (first sends "
                + load.get("first_sends") + ", retries " + load.get("retries") + ", re-sends " + load.get("resend_posts")
                + ", trickle " + load.get("trickle_posts") + ")"));
        b.append(String.format(Locale.ROOT, row, "answered 200", load.get("answered_200") + "   by hub " + load.get("answered_200_by_hub")));
        Map<String, Long> non = (Map<String, Long>) load.get("non_200");
        b.append(String.format(Locale.ROOT, row, "non-200 by status", non.isEmpty() ? "0" : non.toString()));
        b.append(String.format(Locale.ROOT, row, "re-sent 200s (Facebook-style)", load.get("resend_200") + " of "
                + load.get("resends_scheduled") + " scheduled"));
        b.append(String.format(Locale.ROOT, row, "events acknowledged", load.get("events_acknowledged") + " of " + o.events
                + "   (load " + load.get("load_seconds") + " s)"));
        b.append(String.format(Locale.ROOT, row, "answer latency, 200s", load.get("latency_200")));
        b.append(String.format(Locale.ROOT, row, "answer latency, every answer", load.get("latency_all_answers")));
        b.append(rule);
        b.append("fault  at (s)  kind      target          back (s)  first 200 (s)  longest gap without 200 (s)  non-200  200 latency max/p99 (ms)\n");
        for (Map<String, Object> f : faults) {
            Map<String, Object> lat = (Map<String, Object>) f.get("latency_200_until_next_fault");
            b.append(String.format(Locale.ROOT, "#%-5s %7s  %-8s  %-14s  %8s  %13s  %27s  %7s  %s / %s%n", f.get("number"),
                    f.get("at_s"), f.get("kind"), f.get("target"), f.get("ready_after_s"), f.get("first_200_after_s"),
                    f.get("longest_gap_without_200_s"), f.get("non_200_until_next_fault"), lat.get("max_ms"), lat.get("p99_ms")));
            if (f.get("kind").equals("broker")) {
                b.append(String.format(Locale.ROOT, "        %s took over after %s s; the old one restarted, failback %s s after"
                        + " its restart; all back after %s s%n", f.get("took_over"), f.get("ready_after_s"),
                        f.get("failback_after_restart_s"), f.get("everything_back_s")));
            } else if (f.get("kind").equals("postgres")) {
                b.append(String.format(Locale.ROOT, "        down %s s: %s webhooks answered 200 and %s not while it was away;"
                        + " processing resumed after %s s, backlog %s -> peak %s, caught up after %s s%s%n",
                        co.pgDownSeconds, f.get("answered_200_while_down"), f.get("non_200_while_down"),
                        f.get("processing_resumed_after_s"), f.get("inbound_before"), f.get("inbound_peak"),
                        f.get("backlog_caught_up_after_s"), Boolean.TRUE.equals(f.get("backlog_caught_up_after_the_next_fault"))
                                ? " (after the next fault)" : ""));
                b.append(String.format(Locale.ROOT, "        hubs' broker consumers paused %s s and resumed %s s after the stop"
                        + " (first, last; hub logs)%n", f.get("routes_paused_after_s"), f.get("routes_resumed_after_s")));
            } else {
                b.append(String.format(Locale.ROOT, "        %s ready %s s after the kill, its first 200 after %s s (any hub: %s s)%n",
                        f.get("target"), f.get("ready_after_s"), f.get("first_200_after_s"), f.get("first_200_any_hub_after_s")));
            }
        }
        b.append(rule);
        if (c != null) {
            b.append(String.format(Locale.ROOT, row, "drain", ((Boolean) drain.get("done") ? "done" : "NOT done (timeout)")
                    + " after " + drain.get("seconds") + " s"));
            b.append(String.format(Locale.ROOT, row, "transcript rows", c.get("transcript_rows_run_mids")
                    + " with the run's mids   (" + c.get("transcript_rows_run_conversations") + " rows in its conversations)"));
            appendCheckRows(b, c, broker);
            b.append(String.format(Locale.ROOT, row, "read API (both hubs)", api.get("customers_read") + " customers, "
                    + api.get("run_messages_read") + " messages; acknowledged missing " + api.get("acknowledged_missing")
                    + ", twice " + api.get("acknowledged_twice")));
            b.append(String.format(Locale.ROOT, row, "agents (database)", c.get("conversations_with_an_agent") + " conversations with an"
                    + " agent, " + c.get("conversations_with_more_than_one_agent") + " with more than one"));
            appendAgentRows(b, (Map<String, Object>) r.get("agents"));
            b.append(String.format(Locale.ROOT, row, "dead letters", WEBHOOK_DLQ + " " + broker.get("webhook_dead_letters")
                    + " " + reasonCounts((List<String>) broker.get("webhook_dead_letter_reasons")) + ", DLQ "
                    + broker.get("dlq_messages") + ", hub.send.dead-letter " + ((Map<String, Object>) r.get("send_dead_letters"))
                    .get("messages") + " " + ((Map<String, Object>) r.get("send_dead_letters")).get("reasons")));
            ((List<String>) ((Map<String, Object>) r.get("send_dead_letters")).get("without_reason_samples"))
                    .forEach(sample -> b.append("   hub.send.dead-letter without a reason: ").append(sample).append('\n'));
            b.append(String.format(Locale.ROOT, row, "outbox rows left", c.get("outbox_rows_left")));
        } else {
            b.append(String.format(Locale.ROOT, row, "ABORTED", r.get("aborted")));
        }
        b.append(String.format(Locale.ROOT, row, "wall time", r.get("wall_seconds") + " s"));
        b.append(rule);
        b.append(String.format(Locale.ROOT, "hub logs (%s): %s WARN, %s ERROR lines (\"Webhook NOT stored\" %s, dead-lettered %s)%n",
                log.get("path"), log.get("warn_lines"), log.get("error_lines"), log.get("webhook_not_stored_lines"),
                log.get("dead_lettered_lines")));
        Map<String, Object> marks = (Map<String, Object>) r.get("hub_log_marks");
        b.append(String.format(Locale.ROOT, "hub logs: routes paused %s, resumed %s (database breaker); \"Another hub is running"
                + " with instance id\" %s; PostgreSQL: %s deadlocks, errors by statement %s%n", marks.get("routes_paused"), marks.get("routes_resumed"),
                marks.get("another_hub_with_instance_id"), marks.get("postgres_deadlocks"), marks.get("postgres_error_statements")));
        if (!((List<?>) marks.get("routes_still_paused_at_the_end")).isEmpty()) {
            b.append("   STILL PAUSED AT THE END (never resumed): ").append(marks.get("routes_still_paused_at_the_end"))
                    .append("   <-- FAIL\n");
        }
        Object distinct = log.get("distinct_messages");
        if (distinct instanceof Map<?, ?> map) {
            map.forEach((k, n) -> b.append(String.format(Locale.ROOT, "   %6d x %s%n", (Long) n, k)));
        }
        b.append(rule);
        List<String> failures = (List<String>) verdict.get("failures");
        b.append((Boolean) verdict.get("pass") ? "PASS: nothing lost, nothing twice, every conversation offered once"
                + (r.get("agents") == null ? "" : ", none with two agents or assigned twice, every assigned one closed") + "\n"
                : "FAIL: " + String.join("; ", failures) + "\n");
        b.append(rule);
        System.out.print(b);
    }

    /** The report's rows of the agents: the checks, then per agent what it received and did. */
    @SuppressWarnings("unchecked")
    static void appendAgentRows(StringBuilder b, Map<String, Object> a) {
        if (a == null) {
            return;
        }
        String row = "%-34s %s%n";
        if (a.containsKey("error")) {
            b.append(String.format(Locale.ROOT, row, "AGENTS", a.get("error") + "   <-- FAIL"));
            return;
        }
        b.append(String.format(Locale.ROOT, row, "agents (clients)", a.get("agents") + " over " + a.get("broker_url") + ", "
                + a.get("seconds_logged_in") + " s logged in; " + a.get("conversations_assigned") + " conversations assigned ("
                + a.get("conversations_accepted_in_database") + " accepted offers in the database); run's conversations by"
                + " state " + a.get("run_conversations_by_state")));
        b.append(String.format(Locale.ROOT, row, "CONVERSATIONS WITH TWO AGENTS", a.get("conversations_with_two_agents")
                + mark(a.get("conversations_with_two_agents"))));
        b.append(String.format(Locale.ROOT, row, "ASSIGNED TWICE", a.get("conversations_assigned_twice")
                + mark(a.get("conversations_assigned_twice"))));
        b.append(String.format(Locale.ROOT, row, "NOT CLOSED BY ITS AGENT", a.get("conversations_not_closed")
                + mark(a.get("conversations_not_closed"))));
        b.append(String.format(Locale.ROOT, row, "offered after it was assigned", a.get("conversations_offered_after_assignment")
                + (((Number) a.get("conversations_offered_after_assignment")).longValue() == 0 ? ""
                : "   <-- hub bug (an offer of a conversation an agent holds; its accept is refused), not in the verdict")));
        ((Map<String, Object>) a.get("evidence")).forEach((k, v) -> {
            if (!((List<?>) v).isEmpty()) {
                b.append("   ").append(k).append(": ").append(v).append('\n');
            }
        });
        ((Map<String, Object>) a.get("per_agent")).forEach((id, value) -> {
            Map<String, Object> m = (Map<String, Object>) value;
            Map<String, Object> gap = (Map<String, Object>) m.get("longest_gap_while_work_waited");
            b.append(String.format(Locale.ROOT, row, "  " + id + " (capacity " + m.get("capacity") + ")", "offers "
                    + m.get("offers_received") + ", accepted " + m.get("offers_accepted") + ", assigned "
                    + m.get("conversations_assigned") + ", closed " + m.get("conversations_closed") + ", command failures "
                    + m.get("command_failures") + ", timeouts " + m.get("command_timeouts") + ", offers rejected at the end "
                    + m.get("offers_rejected_at_the_end") + ", leftovers closed " + m.get("leftovers_from_earlier_runs_closed")));
            b.append(String.format(Locale.ROOT, row, "", "longest gap without a message while work waited: "
                    + gap.get("seconds") + " s from " + gap.get("from_s") + " s (last fault before its end: "
                    + gap.get("last_fault_before_its_end") + ")"));
            b.append(String.format(Locale.ROOT, row, "", "held across faults: " + m.get("held_across_faults")));
            Map<String, Object> refusals = (Map<String, Object>) m.get("refusals");
            if (!refusals.isEmpty()) {
                b.append(String.format(Locale.ROOT, row, "", "refusals: " + refusals));
            }
            b.append(String.format(Locale.ROOT, row, "", "commands answered again (carried out again) "
                    + m.get("answered_again_by_command") + ", assigned delivered twice " + m.get("assigned_delivered_twice")
                    + ", offers withdrawn " + m.get("offers_withdrawn")));
            Map<String, Object> again = (Map<String, Object>) m.get("answered_again_after_fault");
            if (!again.isEmpty()) {
                b.append(String.format(Locale.ROOT, row, "", "answered again after: " + again));
            }
        });
    }

    static Map<String, Long> reasonCounts(List<String> reasons) {
        return reasons.stream().collect(java.util.stream.Collectors.groupingBy(r -> r, TreeMap::new,
                java.util.stream.Collectors.counting()));
    }

    // ------------------------------------------------------------------------------------------------ throughput

    /** One run without faults: webhooks answered per second, and events processed end to end (stored) per second. */
    Map<String, Object> runThroughput(String label) throws Exception {
        awaitClusterReady();
        say(String.format(Locale.ROOT, "throughput %s: %d events in %d webhooks over %d customers, %d senders, to %s",
                label, o.events, webhooks.size(), customers.size(), o.senders, hubs));
        // Stored events are counted during the load: the senders end only after the last Facebook-style re-send.
        long[] stored = {0};
        long[] allStoredAt = {0};
        Thread counter = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(co.drainSeconds);
            while (System.nanoTime() < deadline && allStoredAt[0] == 0) {
                try (Connection c = cluster.database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "select count(distinct mid) from message where mid like '" + midPrefix + "%'")) {
                    rs.next();
                    stored[0] = rs.getLong(1);
                    if (stored[0] >= o.events) {
                        allStoredAt[0] = System.nanoTime();
                    }
                } catch (SQLException e) {
                    // counted again next time
                }
                sleepMs(250);
            }
        }, "stored-counter");
        loadStartNanos = System.nanoTime();
        counter.start();
        load(null);
        // Until the last event was acknowledged: the senders also wait for the Facebook-style re-sends (1-8 s later).
        long lastAck = acked.values().stream().mapToLong(Ack::atNanos).max().orElse(loadEndNanos);
        double answerSeconds = (lastAck - loadStartNanos) / 1e9;
        long answered = answers.stream().filter(a -> a.code() == 200 && a.done() <= lastAck).count();
        counter.join();
        double processedSeconds = ((allStoredAt[0] == 0 ? System.nanoTime() : allStoredAt[0]) - loadStartNanos) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("hubs", hubs);
        m.put("run_id", runId);
        m.put("events", o.events);
        m.put("webhooks", webhooks.size());
        m.put("answered_200", answered);
        m.put("posts", posts.sum());
        m.put("answer_seconds", round(answerSeconds));
        m.put("webhooks_answered_per_s", round(answered / answerSeconds));
        m.put("events_acknowledged_per_s", round(acked.size() / answerSeconds));
        m.put("events_stored", stored[0]);
        m.put("processed_seconds", round(processedSeconds));
        m.put("events_processed_per_s", round(stored[0] / processedSeconds));
        m.put("latency_200", latency(Long.MIN_VALUE, Long.MAX_VALUE, 200));
        say(String.format(Locale.ROOT, "throughput %s: %.1f webhooks answered/s (%d in %.1f s), %.1f events processed/s"
                        + " (%d of %d stored after %.1f s), answer p99 %s ms", label, answered / answerSeconds, answered,
                answerSeconds, stored[0] / processedSeconds, stored[0], o.events, processedSeconds,
                ((Map<?, ?>) m.get("latency_200")).get("p99_ms")));
        return m;
    }

    static int throughput(ChaosOptions co, Cluster cluster, Path prefix) throws Exception {
        int base = (int) ((System.currentTimeMillis() / 1000) % 100_000);
        Path hubLog = Path.of(prefix + "-" + HUBS_LOG + ".log");
        Path clusterLog = Path.of(prefix + "-cluster.log");
        List<Map<String, Object>> runs = new ArrayList<>();
        int n = 0;
        if (co.tpWarmup > 0) {
            ChaosTest warm = new ChaosTest(co, crashOptions(co, cluster, String.format(Locale.ROOT, "%05d", base),
                    co.tpWarmup, Math.min(co.tpCustomers, co.tpWarmup), 0, hubLog), cluster, List.of("hub", "hub-2"), prefix);
            warm.runThroughput("warm-up (not counted)");
        }
        // Both, then one (hub-2 stopped, so that one hub also does all the processing), then both again.
        for (List<String> hubs : List.of(List.of("hub", "hub-2"), List.of("hub"), List.of("hub", "hub-2"))) {
            if (hubs.size() == 1) {
                say("stopping hub-2 for the one-hub run");
                cluster.run(clusterLog, "stop", "hub-2");
            } else if (cluster.pid("hub-2") < 0 || !ProcessHandle.of(cluster.pid("hub-2")).map(ProcessHandle::isAlive).orElse(false)) {
                say("starting hub-2 again (cluster.sh up)");
                if (cluster.run(clusterLog, "up") != 0) {
                    throw new IllegalStateException("cluster.sh up failed; see " + clusterLog);
                }
            }
            String runId = String.format(Locale.ROOT, "%05d", (base + ++n) % 100_000);
            ChaosTest t = new ChaosTest(co, crashOptions(co, cluster, runId, co.tpEvents, co.tpCustomers, 0, hubLog), cluster,
                    hubs, prefix);
            runs.add(t.runThroughput(String.join("+", hubs)));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("started_at", Instant.now().toString());
        result.put("events", co.tpEvents);
        result.put("customers", co.tpCustomers);
        result.put("senders", co.senders);
        result.put("seed", co.seed);
        result.put("nproc", Runtime.getRuntime().availableProcessors());
        result.put("runs", runs);
        StringBuilder b = new StringBuilder("\n" + "-".repeat(100) + "\nthroughput, one hub against two (no faults)\n");
        b.append(String.format(Locale.ROOT, "%-12s %12s %22s %24s %14s%n", "hubs", "events", "webhooks answered/s",
                "events processed/s", "answer p99 ms"));
        for (Map<String, Object> r : runs) {
            b.append(String.format(Locale.ROOT, "%-12s %12s %22s %24s %14s%n", r.get("label"), r.get("events"),
                    r.get("webhooks_answered_per_s"), r.get("events_processed_per_s"),
                    ((Map<?, ?>) r.get("latency_200")).get("p99_ms")));
        }
        System.out.print(b + "-".repeat(100) + "\n");
        Files.createDirectories(co.out.getParent());
        new com.fasterxml.jackson.databind.ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(co.out.toFile(), result);
        System.out.println("results: " + co.out);
        return 0;
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        ChaosOptions co = ChaosOptions.parse(args);
        Cluster cluster = new Cluster(co.repo, co.state);
        String out = co.out.toString();
        Path prefix = Path.of(out.substring(0, out.length() - ".json".length()));
        int rc;
        try {
            if (co.mode.equals("throughput")) {
                rc = throughput(co, cluster, prefix);
            } else {
                String runId = String.format(Locale.ROOT, "%05d", (System.currentTimeMillis() / 1000) % 100_000);
                Options o = crashOptions(co, cluster, runId, co.events, co.customers,
                        co.hubKills + co.brokerKills + co.pgRestarts, Path.of(prefix + "-" + HUBS_LOG + ".log"));
                rc = new ChaosTest(co, o, cluster, List.of("hub", "hub-2"), prefix).runChaos();
            }
        } catch (Exception e) {
            System.err.println("ChaosTest: " + e);
            e.printStackTrace();
            rc = 1;
        }
        System.exit(rc);
    }
}
