// Load generator for the messenger-hub webhook benchmark; see bench/README.md. Normally started by bench/run.sh:
//
//   java -cp <runtime classpath of the hub> bench/WebhookLoad.java --base-url http://127.0.0.1:8080 \
//        --broker-url tcp://127.0.0.1:61616 --secret bench-secret [--threads 8] [--seconds 20] [--rate 500] ...
//
// Phases, in this order: warm-up (webhook load, not counted), ceiling (bare persistent JMS sends to bench.ceiling),
// webhook throughput (closed loop), fixed rate (open loop). A JMS consumer on contact-center.offers.<queue> runs for
// the whole run and matches every offer to its POST by customerPsid.
//
// --mix instead: a pool of customers with open conversations (uncounted set-up), then closed-loop phases of new
// conversations only, of the mix (follow-ups in open conversations with receipts and images, and new conversations),
// and of follow-ups only. --soak MINUTES: the set-up, then the mix at --rate for that long, with the hub's heap after
// a full GC (jcmd) before and after.
//
// Single file, Java 17, no dependencies beyond the hub's own runtime classpath (Artemis JMS client, Jackson;
// HdrHistogram is used when it is on the classpath, otherwise sorted arrays of longs).

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpServer;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

public class WebhookLoad {

    // ------------------------------------------------------------------------------------------------ options

    static final class Options {
        String baseUrl;
        String webhookUrl;     // the hub's webhook server (hub.webhook.port); default: --base-url
        String brokerUrl;
        String secret = "bench-secret";
        String pageId = "100000000000001";
        String offerQueue = "contact-center.offers.general";
        String ceilingQueue = "bench.ceiling";
        String text = "Hello, I have a question about my order";
        int threads = 8;
        int warmupSeconds = -1;       // -1: 30, or 20 with --mix and --soak
        int seconds = 20;
        int rate = 500;
        int rateSeconds = 15;
        int rateWorkers = 0;          // 0: max(64, 4 * threads)
        int drainSeconds = -1;        // -1: 30, or 180 with --mix and --soak
        boolean mix;
        int asyncCeilingWindow;   // > 0: also the async ceiling, with this many sends in flight per thread
        int soakMinutes;
        int pool = 500;
        int newPercent = 20;
        int receiptPercent = 30;
        int attachmentPercent = 5;
        long seed = 42;
        int idleSeconds = 5;
        String inboundQueue = "hub.webhook.inbound";
        String fetchQueue = "hub.attachments.fetch";
        int ceilingWarmupSeconds = 1;
        int ceilingDrainSeconds = 120;
        int requestTimeoutSeconds = 10;
        double targetRatioPercent = 80;
        double targetP99Ms = 50;
        String out;
        String hubLog;
        String nproc;
        String javaVersion;
        String loadAvg;
        long hubPid;
        /** Other processes of the deployment whose CPU counts too (a standalone broker, PostgreSQL), by name. */
        final Map<String, Long> sidePids = new LinkedHashMap<>();
        int clockTicks = 100;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    usage(null);
                }
                if (a.equals("--mix")) {
                    o.mix = true;
                    continue;
                }
                if (a.equals("--async-ceiling")) {
                    o.asyncCeilingWindow = 32;
                    continue;
                }
                if (i + 1 >= args.length) {
                    usage("missing value for " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--base-url": o.baseUrl = v; break;
                    case "--webhook-url": o.webhookUrl = v; break;
                    case "--broker-url": o.brokerUrl = v; break;
                    case "--secret": o.secret = v; break;
                    case "--page-id": o.pageId = v; break;
                    case "--offer-queue": o.offerQueue = v; break;
                    case "--text": o.text = v; break;
                    case "--threads": o.threads = intIn(a, v, 1, 256); break;
                    case "--warmup": o.warmupSeconds = intIn(a, v, 0, 600); break;
                    case "--seconds": o.seconds = intIn(a, v, 1, 3600); break;
                    case "--rate": o.rate = intIn(a, v, 1, 50_000); break;
                    case "--rate-seconds": o.rateSeconds = intIn(a, v, 1, 3600); break;
                    case "--rate-workers": o.rateWorkers = intIn(a, v, 1, 1024); break;
                    case "--drain-seconds": o.drainSeconds = intIn(a, v, 0, 3600); break;
                    case "--soak": o.soakMinutes = intIn(a, v, 1, 600); break;
                    case "--pool": o.pool = intIn(a, v, 1, 1_000_000); break;
                    case "--new-percent": o.newPercent = intIn(a, v, 0, 100); break;
                    case "--receipt-percent": o.receiptPercent = intIn(a, v, 0, 100); break;
                    case "--attachment-percent": o.attachmentPercent = intIn(a, v, 0, 100); break;
                    case "--seed": o.seed = Long.parseLong(v); break;
                    case "--idle-seconds": o.idleSeconds = intIn(a, v, 0, 600); break;
                    case "--ceiling-warmup": o.ceilingWarmupSeconds = intIn(a, v, 0, 600); break;
                    case "--async-window": o.asyncCeilingWindow = intIn(a, v, 1, 10_000); break;
                    case "--ceiling-drain-seconds": o.ceilingDrainSeconds = intIn(a, v, 1, 3600); break;
                    case "--timeout": o.requestTimeoutSeconds = intIn(a, v, 1, 300); break;
                    case "--out": o.out = v; break;
                    case "--hub-log": o.hubLog = v; break;
                    case "--nproc": o.nproc = v; break;
                    case "--java-version": o.javaVersion = v; break;
                    case "--loadavg": o.loadAvg = v; break;
                    case "--hub-pid": o.hubPid = Long.parseLong(v); break;
                    case "--side-pid": {
                        int eq = v.indexOf('=');
                        if (eq < 1) {
                            usage("--side-pid takes NAME=PID (got " + v + ")");
                        }
                        o.sidePids.put(v.substring(0, eq), Long.parseLong(v.substring(eq + 1)));
                        break;
                    }
                    case "--clk-tck": o.clockTicks = intIn(a, v, 1, 100_000); break;
                    default: usage("unknown option " + a);
                }
            }
            if (o.baseUrl == null || o.brokerUrl == null) {
                usage("--base-url and --broker-url are required");
            }
            URI base = URI.create(o.baseUrl);
            if (!isLoopback(base.getHost())) {
                usage("--base-url must point at 127.0.0.1 (got " + base.getHost() + ")");
            }
            if (o.webhookUrl == null) {
                o.webhookUrl = o.baseUrl;
            }
            if (!isLoopback(URI.create(o.webhookUrl).getHost())) {
                usage("--webhook-url must point at 127.0.0.1 (got " + URI.create(o.webhookUrl).getHost() + ")");
            }
            Matcher broker = Pattern.compile("^tcp://([^:/?]+):(\\d+)([/?].*)?$").matcher(o.brokerUrl);
            if (!broker.matches() || !isLoopback(broker.group(1))) {
                usage("--broker-url must be tcp://127.0.0.1:<port> (got " + o.brokerUrl + ")");
            }
            if (o.rateWorkers == 0) {
                o.rateWorkers = Math.max(64, 4 * o.threads);
            }
            if (o.mix && o.soakMinutes > 0) {
                usage("--mix and --soak are separate runs (the soak sends the mix)");
            }
            // The hub's CPU per webhook is the headline figure, so the JIT must have compiled the paths first: after 5 s
            // of warm-up, its compiler threads took half of the hub's CPU in the measured phases (session 18).
            if (o.warmupSeconds < 0) {
                o.warmupSeconds = o.mix || o.soakMinutes > 0 ? 20 : 30;
            }
            if (o.drainSeconds < 0) {
                o.drainSeconds = o.mix || o.soakMinutes > 0 ? 180 : 30;
            }
            return o;
        }

        static boolean isLoopback(String host) {
            return "127.0.0.1".equals(host) || "localhost".equals(host);
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
                System.err.println("WebhookLoad: " + error);
            }
            System.err.println("usage: java -cp <classpath> bench/WebhookLoad.java --base-url http://127.0.0.1:<port>"
                    + " [--webhook-url http://127.0.0.1:<port>] --broker-url tcp://127.0.0.1:<port> [--secret S] [--threads 8] [--warmup 5] [--seconds 20]"
                    + " [--rate 500] [--rate-seconds 15] [--rate-workers N] [--drain-seconds 30] [--ceiling-warmup 1]"
                    + " [--async-ceiling] [--async-window 32]"
                    + " [--timeout 10] [--out results.json] [--hub-log hub.log] [--hub-pid PID] [--side-pid NAME=PID ...]"
                    + " [--mix | --soak MINUTES] [--pool 500] [--new-percent 20] [--receipt-percent 30]"
                    + " [--attachment-percent 5] [--seed 42] [--idle-seconds 5]");
            System.exit(error == null ? 0 : 2);
        }
    }

    // ------------------------------------------------------------------------------------------------ latencies

    /** HdrHistogram through method handles, so the file still compiles and runs when it is not on the classpath. */
    static final class Hdr {
        static final boolean AVAILABLE;
        static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
        static MethodHandle create, record, add, percentile, mean;

        static {
            boolean ok;
            try {
                Class<?> h = Class.forName("org.HdrHistogram.Histogram");
                Class<?> abstractH = Class.forName("org.HdrHistogram.AbstractHistogram");
                MethodHandles.Lookup l = MethodHandles.publicLookup();
                create = l.findConstructor(h, MethodType.methodType(void.class, long.class, int.class));
                record = l.findVirtual(h, "recordValue", MethodType.methodType(void.class, long.class));
                add = l.findVirtual(h, "add", MethodType.methodType(void.class, abstractH));
                percentile = l.findVirtual(h, "getValueAtPercentile", MethodType.methodType(long.class, double.class));
                mean = l.findVirtual(h, "getMean", MethodType.methodType(double.class));
                create.invoke(HIGHEST_MICROS, 3);
                ok = true;
            } catch (Throwable notThere) {
                ok = false;
            }
            AVAILABLE = ok;
        }

        static Object newHistogram() {
            try {
                return create.invoke(HIGHEST_MICROS, 3);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    /** One thread's latencies; merged into a {@link Summary} after the threads are done. */
    static final class Shard {
        final Object histogram;           // HdrHistogram in microseconds, or null
        long[] values = new long[0];      // nanoseconds, when there is no HdrHistogram
        int size;
        long count;
        long max;
        double sum;

        Shard() {
            this.histogram = Hdr.AVAILABLE ? Hdr.newHistogram() : null;
            if (histogram == null) {
                values = new long[1024];
            }
        }

        void record(long nanos) {
            if (nanos < 0) {
                nanos = 0;
            }
            count++;
            sum += nanos;
            if (nanos > max) {
                max = nanos;
            }
            if (histogram != null) {
                try {
                    Hdr.record.invoke(histogram, Math.min(nanos / 1_000, Hdr.HIGHEST_MICROS));
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            } else {
                if (size == values.length) {
                    values = Arrays.copyOf(values, size * 2);
                }
                values[size++] = nanos;
            }
        }
    }

    /** The latencies of one measurement: a shard per recording thread. */
    static final class Latencies {
        private final List<Shard> shards = Collections.synchronizedList(new ArrayList<>());

        Shard shard() {
            Shard s = new Shard();
            shards.add(s);
            return s;
        }

        Summary summary() {
            List<Shard> all;
            synchronized (shards) {
                all = new ArrayList<>(shards);
            }
            long count = 0;
            long max = 0;
            double sum = 0;
            for (Shard s : all) {
                count += s.count;
                sum += s.sum;
                max = Math.max(max, s.max);
            }
            if (count == 0) {
                return new Summary(0, 0, 0, 0, 0, 0, 0);
            }
            double[] ps = {50, 90, 99, 99.9};
            double[] ms = new double[ps.length];
            if (Hdr.AVAILABLE) {
                try {
                    Object merged = Hdr.newHistogram();
                    for (Shard s : all) {
                        Hdr.add.invoke(merged, s.histogram);
                    }
                    for (int i = 0; i < ps.length; i++) {
                        ms[i] = ((long) Hdr.percentile.invoke(merged, ps[i])) / 1_000.0;
                    }
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            } else {
                long[] merged = new long[(int) count];
                int at = 0;
                for (Shard s : all) {
                    System.arraycopy(s.values, 0, merged, at, s.size);
                    at += s.size;
                }
                Arrays.sort(merged);
                for (int i = 0; i < ps.length; i++) {
                    int rank = (int) Math.ceil(ps[i] / 100.0 * merged.length);
                    ms[i] = merged[Math.max(0, Math.min(merged.length - 1, rank - 1))] / 1e6;
                }
            }
            return new Summary(count, sum / count / 1e6, ms[0], ms[1], ms[2], ms[3], max / 1e6);
        }
    }

    record Summary(long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", count);
            m.put("mean_ms", round(meanMs));
            m.put("p50_ms", round(p50Ms));
            m.put("p90_ms", round(p90Ms));
            m.put("p99_ms", round(p99Ms));
            m.put("p99_9_ms", round(p999Ms));
            m.put("max_ms", round(maxMs));
            return m;
        }

        String line() {
            return count == 0 ? "no samples"
                    : String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  max %s  (mean %s, n=%d)",
                    ms(p50Ms), ms(p90Ms), ms(p99Ms), ms(maxMs), ms(meanMs), count);
        }
    }

    // ------------------------------------------------------------------------------------------------ bookkeeping

    static final int WARMUP = 0;
    static final int THROUGHPUT = 1;
    static final int FIXED_RATE = 2;
    static final int POOL_SETUP = 3;
    static final int NEW_ONLY = 4;
    static final int MIX = 5;
    static final int FOLLOW_UP_ONLY = 6;
    static final int SOAK = 7;
    static final String[] PHASE_NAMES = {"warmup", "webhook_throughput", "fixed_rate", "pool_setup", "new_only", "mix",
            "follow_up_only", "soak"};

    /** One POST: registered before it is sent, since the offer may overtake the HTTP answer. */
    static final class Sent {
        final int phase;
        final long sentNanos;
        volatile boolean ok;
        volatile boolean offered;

        Sent(int phase, long sentNanos) {
            this.phase = phase;
            this.sentNanos = sentNanos;
        }
    }

    /** Counters of one webhook phase. */
    static final class PhaseStats {
        final String name;
        final LongAdder sent = new LongAdder();
        final LongAdder ok = new LongAdder();
        final Map<String, LongAdder> non200 = new ConcurrentHashMap<>();
        final Latencies answer = new Latencies();       // 200s only
        final Latencies service = new Latencies();      // fixed rate: from the actual send, for comparison
        final Latencies sendLag = new Latencies();      // fixed rate: actual send - scheduled send
        final Latencies offer = new Latencies();        // POST sent -> offer received
        final Shard offerShard;                         // recorded by the offer consumer thread only
        final AtomicLong offers = new AtomicLong();
        final AtomicLong lastOfferNanos = new AtomicLong();
        // What the 200s carried (the mix): new customers (an offer expected each), follow-ups, and their extras.
        final LongAdder okNew = new LongAdder();
        final LongAdder okFollowUps = new LongAdder();
        final LongAdder okEvents = new LongAdder();
        final LongAdder okReceipts = new LongAdder();
        final LongAdder okAttachments = new LongAdder();
        final LongAdder okBytes = new LongAdder();
        final AtomicLong index = new AtomicLong();       // closed loop: the next request's index, for its draw
        volatile long startNanos;
        volatile long loadEndNanos;

        PhaseStats(String name) {
            this.name = name;
            this.offerShard = offer.shard();
        }

        void fail(String reason) {
            non200.computeIfAbsent(reason, k -> new LongAdder()).increment();
        }

        long non200Total() {
            return non200.values().stream().mapToLong(LongAdder::sum).sum();
        }

        Map<String, Long> non200Map() {
            Map<String, Long> m = new TreeMap<>();
            non200.forEach((k, v) -> m.put(k, v.sum()));
            return m;
        }
    }

    // ------------------------------------------------------------------------------------------------ state

    final Options o;
    final URI webhook;
    final String psidPrefix;
    final AtomicLong seq = new AtomicLong();
    final Map<Long, Sent> sends = new ConcurrentHashMap<>(1 << 16);
    final PhaseStats[] phases = Arrays.stream(PHASE_NAMES).map(PhaseStats::new).toArray(PhaseStats[]::new);
    final LongAdder unknownOffers = new LongAdder();
    final LongAdder duplicateOffers = new LongAdder();
    final LongAdder otherMessages = new LongAdder();
    final int payloadBytes;
    volatile boolean stopConsumer;
    volatile Throwable consumerFailure;
    final ActiveMQConnectionFactory connectionFactory;

    static final Pattern PSID = Pattern.compile("\"customerPsid\"\\s*:\\s*\"([^\"]*)\"");
    static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]*)\"");

    WebhookLoad(Options o) {
        this.o = o;
        this.webhook = URI.create(o.webhookUrl.replaceAll("/+$", "") + "/webhooks/facebook");
        // 16-digit PSIDs: 9 + 5 digits of this run + 10 digits of sequence. Distinct across runs on the same hub too.
        this.psidPrefix = String.format(Locale.ROOT, "9%05d", (System.currentTimeMillis() / 1000) % 100_000);
        this.payloadBytes = payload(0).length;
        this.connectionFactory = new ActiveMQConnectionFactory(o.brokerUrl,
                System.getenv().getOrDefault("HUB_BROKER_USER", "hub"),
                System.getenv().getOrDefault("HUB_BROKER_PASSWORD", "bench-broker-password"));
    }

    String psidOf(long n) {
        return psidPrefix + String.format(Locale.ROOT, "%010d", n);
    }

    long seqOf(String psid) {
        if (psid == null || psid.length() != 16 || !psid.startsWith(psidPrefix)) {
            return -1;
        }
        try {
            return Long.parseLong(psid.substring(6));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Every payload has the same length: fixed-width PSID, mid and 13-digit millisecond timestamps. */
    byte[] payload(long n) {
        String psid = psidOf(n);
        long now = System.currentTimeMillis();
        return ("{\"object\":\"page\",\"entry\":[{\"id\":\"" + o.pageId + "\",\"time\":" + now
                + ",\"messaging\":[{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"" + o.pageId
                + "\"},\"timestamp\":" + now + ",\"message\":{\"mid\":\"m_bench_" + psid + "\",\"text\":\""
                + o.text + "\"}}]}]}").getBytes(StandardCharsets.UTF_8);
    }

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
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * One webhook to send: a new customer's first message (newCustomer is its sequence number, an offer is expected)
     * or a follow-up of a pool customer (newCustomer -1, customer held until the answer), with its messaging items.
     */
    record Webhook(byte[] body, long newCustomer, PoolCustomer customer, int events, boolean receipts,
                   boolean attachment) {
    }

    /** Where a load phase takes its webhooks from; index is the request's number in its phase (for its draw). */
    interface WebhookSource {
        Webhook next(long index) throws InterruptedException;

        default void done(Webhook w) {
        }
    }

    /** The benchmark's original load: every webhook is a new customer's first message. */
    final WebhookSource allNew = index -> newCustomer();

    Webhook newCustomer() {
        long n = seq.getAndIncrement();
        return new Webhook(payload(n), n, null, 1, false, false);
    }

    /** Sends one new customer's webhook (the original load); see {@link #post(HttpClient, Mac, int, Webhook, long)}. */
    int post(HttpClient client, Mac mac, int phase, long sentNanosOverride) throws InterruptedException {
        return post(client, mac, phase, newCustomer(), sentNanosOverride);
    }

    /**
     * Sends one signed webhook. Returns the status, or -1 for an I/O error, -2 for a timeout; 200 only with the body
     * EVENT_RECEIVED. A new customer's Sent is registered before the request leaves.
     */
    int post(HttpClient client, Mac mac, int phase, Webhook w, long sentNanosOverride) throws InterruptedException {
        byte[] body = w.body();
        HttpRequest request = HttpRequest.newBuilder(webhook)
                .timeout(Duration.ofSeconds(o.requestTimeoutSeconds))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", signature(mac, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        Sent sent = null;
        if (w.newCustomer() >= 0) {
            sent = new Sent(phase, sentNanosOverride != 0 ? sentNanosOverride : System.nanoTime());
            sends.put(w.newCustomer(), sent);
        }
        PhaseStats p = phases[phase];
        p.sent.increment();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 200 && "EVENT_RECEIVED".equals(response.body())) {
                p.ok.increment();
                if (sent != null) {
                    sent.ok = true;
                    p.okNew.increment();
                } else {
                    p.okFollowUps.increment();
                }
                p.okEvents.add(w.events());
                p.okBytes.add(body.length);
                if (w.receipts()) {
                    p.okReceipts.increment();
                }
                if (w.attachment()) {
                    p.okAttachments.increment();
                }
                return 200;
            }
            p.fail(status == 200 ? "200 with unexpected body" : String.valueOf(status));
            return status == 200 ? -3 : status;
        } catch (HttpTimeoutException e) {
            p.fail("timeout");
            return -2;
        } catch (IOException e) {
            p.fail("io error: " + e.getClass().getSimpleName());
            return -1;
        }
    }

    // ------------------------------------------------------------------------------------------------ offers

    Thread startOfferConsumer() throws Exception {
        Connection connection = connectionFactory.createConnection();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(o.offerQueue));
        connection.start();
        Thread t = new Thread(() -> {
            try {
                while (!stopConsumer) {
                    Message m = consumer.receive(200);
                    if (m == null) {
                        continue;
                    }
                    long now = System.nanoTime();
                    onOffer(m, now);
                }
            } catch (Throwable e) {
                consumerFailure = e;
            } finally {
                try {
                    connection.close();
                } catch (JMSException ignored) {
                    // closing anyway
                }
            }
        }, "offer-consumer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    void onOffer(Message m, long receivedNanos) throws JMSException {
        if (!(m instanceof TextMessage)) {
            otherMessages.increment();
            return;
        }
        String text = ((TextMessage) m).getText();
        Matcher type = TYPE.matcher(text == null ? "" : text);
        Matcher psid = PSID.matcher(text == null ? "" : text);
        if (!type.find() || !"conversation.offered".equals(type.group(1)) || !psid.find()) {
            otherMessages.increment();
            return;
        }
        long n = seqOf(psid.group(1));
        Sent sent = n < 0 ? null : sends.get(n);
        if (sent == null) {
            unknownOffers.increment();
            return;
        }
        if (sent.offered) {
            duplicateOffers.increment();
            return;
        }
        sent.offered = true;
        PhaseStats p = phases[sent.phase];
        p.offerShard.record(receivedNanos - sent.sentNanos);
        p.lastOfferNanos.accumulateAndGet(receivedNanos, Math::max);
        p.offers.incrementAndGet();
    }

    /** Waits (bounded) until the phase has as many offers as 200s; the drain time counts from the end of the load. */
    Map<String, Object> waitForOffers(PhaseStats p, int timeoutSeconds) throws InterruptedException {
        long target = p.okNew.sum();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (p.offers.get() < target && System.nanoTime() < deadline && consumerFailure == null) {
            Thread.sleep(20);
        }
        long offers = p.offers.get();
        boolean complete = offers >= target;
        long reference = complete ? p.lastOfferNanos.get() : System.nanoTime();
        double drainMs = Math.max(0, reference - p.loadEndNanos) / 1e6;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("answered_200", target);
        m.put("offers_received", offers);
        m.put("backlog_drained", complete);
        m.put(complete ? "drain_ms" : "waited_ms", round(drainMs));
        m.put("drain_timeout_s", timeoutSeconds);
        return m;
    }

    static String drainLine(Map<String, Object> d) {
        boolean complete = (Boolean) d.get("backlog_drained");
        return String.format(Locale.ROOT, "offers %d of %d 200s; %s", (Long) d.get("offers_received"),
                (Long) d.get("answered_200"), complete
                        ? "backlog drained " + secs((Double) d.get("drain_ms")) + " after the load ended"
                        : "NOT drained after waiting " + secs((Double) d.get("waited_ms")) + " (timeout "
                        + d.get("drain_timeout_s") + " s)");
    }

    /** The offers of a load phase: how the backlog drained, whether every 200 got its offer, POST to offer. */
    @SuppressWarnings("unchecked")
    static void offerLines(StringBuilder b, String label, Map<String, Object> offers, PhaseStats phase) {
        b.append(label).append(drainLine((Map<String, Object>) offers.get("drain"))).append('\n');
        b.append(String.format(Locale.ROOT, "                   final: %d offers for %d 200s (200s without offer %d,"
                        + " offers for non-200 %d)%n", (Long) offers.get("offers_received"),
                (Long) offers.get("answered_200"), (Long) offers.get("answered_200_without_offer"),
                (Long) offers.get("offers_for_non_200")));
        b.append("                   POST->offer ").append(phase.offer.summary().line()).append('\n');
    }

    // ------------------------------------------------------------------------------------------------ phases

    /** Closed loop: every thread sends, waits for the answer, sends the next. */
    double closedLoop(int phase, int seconds, boolean record) throws InterruptedException {
        return closedLoop(phase, seconds, record, allNew);
    }

    double closedLoop(int phase, int seconds, boolean record, WebhookSource source) throws InterruptedException {
        PhaseStats p = phases[phase];
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long maxRequestsPerThread = 200_000L * Math.max(1, seconds);   // a bound far above anything reachable
        p.startNanos = start;
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < o.threads; i++) {
            Shard shard = record ? p.answer.shard() : null;
            Thread t = new Thread(() -> {
                HttpClient client = newClient();
                Mac mac = newMac();
                try {
                    for (long k = 0; k < maxRequestsPerThread && System.nanoTime() < end; k++) {
                        Webhook w = source.next(p.index.getAndIncrement());
                        long t0 = System.nanoTime();
                        int status;
                        try {
                            status = post(client, mac, phase, w, t0);
                        } finally {
                            source.done(w);
                        }
                        if (status == 200 && shard != null) {
                            shard.record(System.nanoTime() - t0);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, PHASE_NAMES[phase] + "-" + i);
            workers.add(t);
            t.start();
        }
        joinAll(workers, end + TimeUnit.SECONDS.toNanos(o.requestTimeoutSeconds + 5L));
        long stop = System.nanoTime();
        p.loadEndNanos = stop;
        return (stop - start) / 1e9;
    }

    /** The open-loop phase of the original benchmark: new customers at --rate for --rate-seconds. */
    Map<String, Object> fixedRate() throws InterruptedException {
        return openLoop(FIXED_RATE, o.rate, o.rateSeconds, allNew, null);
    }

    /** Per-minute counts and latencies of an open-loop phase (the soak), by the minute each request was due in. */
    static final class Minutes {
        final Latencies[] answer;
        final LongAdder[] ok;
        final LongAdder[] failed;

        Minutes(int minutes) {
            answer = new Latencies[minutes];
            ok = new LongAdder[minutes];
            failed = new LongAdder[minutes];
            for (int m = 0; m < minutes; m++) {
                answer[m] = new Latencies();
                ok[m] = new LongAdder();
                failed[m] = new LongAdder();
            }
        }
    }

    /**
     * Open loop: request i is due at start + i/R. A pool of workers claims the next index, waits for its due time,
     * sends, and records the latency from the due time, so a slow answer that delays later sends is not hidden.
     */
    Map<String, Object> openLoop(int phase, int rate, int seconds, WebhookSource source, Minutes minutes)
            throws InterruptedException {
        PhaseStats p = phases[phase];
        long total = (long) rate * seconds;
        double interval = 1e9 / rate;
        AtomicLong next = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        HttpClient client = newClient();                       // one client, its connection pool grows as needed
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        long hardEnd = start + TimeUnit.SECONDS.toNanos(seconds + o.requestTimeoutSeconds + 10L);
        p.startNanos = start;
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < o.rateWorkers; i++) {
            Shard answer = p.answer.shard();
            Shard service = p.service.shard();
            Shard lag = p.sendLag.shard();
            Shard[] perMinute = minutes == null ? null : new Shard[minutes.answer.length];
            Thread t = new Thread(() -> {
                Mac mac = newMac();
                try {
                    long k;
                    while ((k = next.getAndIncrement()) < total && System.nanoTime() < hardEnd) {
                        long due = start + (long) (k * interval);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        Webhook w = source.next(k);
                        long sentAt = System.nanoTime();
                        lag.record(sentAt - due);
                        int status;
                        try {
                            status = post(client, mac, phase, w, sentAt);
                        } finally {
                            source.done(w);
                        }
                        long done = System.nanoTime();
                        lastAnswer.accumulateAndGet(done, Math::max);
                        if (status == 200) {
                            answer.record(done - due);
                            service.record(done - sentAt);
                        }
                        if (perMinute != null) {
                            int m = (int) Math.min(perMinute.length - 1, (due - start) / 60_000_000_000L);
                            if (status == 200) {
                                if (perMinute[m] == null) {
                                    perMinute[m] = minutes.answer[m].shard();
                                }
                                perMinute[m].record(done - due);
                                minutes.ok[m].increment();
                            } else {
                                minutes.failed[m].increment();
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, PHASE_NAMES[phase] + "-" + i);
            workers.add(t);
            t.start();
        }
        joinAll(workers, hardEnd + TimeUnit.SECONDS.toNanos(5));
        p.loadEndNanos = System.nanoTime();
        double elapsed = Math.max(seconds, (lastAnswer.get() - start) / 1e9);
        long ok = p.ok.sum();
        double achieved = ok / elapsed;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target_rps", rate);
        m.put("seconds", seconds);
        m.put("workers", o.rateWorkers);
        m.put("scheduled", total);
        m.put("sent", p.sent.sum());
        m.put("answered_200", ok);
        m.put("non_200", p.non200Map());
        m.put("elapsed_s_until_last_answer", round(elapsed));
        m.put("achieved_rps", round(achieved));
        m.put("rate_achieved", achieved >= 0.99 * rate && p.sent.sum() == total);
        return m;
    }

    /** Bare persistent JMS sends over TCP, one connection/session/producer per thread, non-transacted. */
    Map<String, Object> ceiling() throws Exception {
        int seconds = o.seconds;
        byte[] body = payload(0);
        LongAdder counted = new LongAdder();
        LongAdder total = new LongAdder();
        LongAdder errors = new LongAdder();
        Latencies latencies = new Latencies();
        CpuMeter meter = new CpuMeter();
        long start = System.nanoTime();
        long countFrom = start + TimeUnit.SECONDS.toNanos(o.ceilingWarmupSeconds);
        long end = countFrom + TimeUnit.SECONDS.toNanos(seconds);
        List<Connection> connections = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        try {
            for (int i = 0; i < o.threads; i++) {
                Connection c = connectionFactory.createConnection();
                connections.add(c);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = s.createProducer(s.createQueue(o.ceilingQueue));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                Shard shard = latencies.shard();
                Thread t = new Thread(() -> {
                    long maxSends = 2_000_000L * Math.max(1, seconds);
                    try {
                        for (long k = 0; k < maxSends; k++) {
                            long t0 = System.nanoTime();
                            if (t0 >= end) {
                                break;
                            }
                            BytesMessage m = s.createBytesMessage();
                            m.writeBytes(body);
                            producer.send(m);
                            long t1 = System.nanoTime();
                            total.increment();
                            if (t0 >= countFrom) {
                                counted.increment();
                                shard.record(t1 - t0);
                            }
                        }
                    } catch (JMSException e) {
                        errors.increment();
                        System.err.println("ceiling sender failed: " + e);
                    }
                }, "ceiling-" + i);
                workers.add(t);
            }
            workers.forEach(Thread::start);
            joinAll(workers, end + TimeUnit.SECONDS.toNanos(30));
        } finally {
            closeQuietly(connections);
        }
        double measured = (Math.max(System.nanoTime(), end) - countFrom) / 1e9;
        measured = Math.max(measured, seconds);
        Map<String, Object> cpu = meter.stop();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("message_bytes", body.length);
        settings.put("uncounted_warmup_s", o.ceilingWarmupSeconds);
        return ceilingResult(settings, measured, counted, total, errors, "send_latency", latencies.summary(), cpu);
    }

    /**
     * What a ceiling phase reports, after draining bench.ceiling: also {@code _rate} and {@code _latency} for the
     * report, which the caller removes before the JSON is written.
     */
    Map<String, Object> ceilingResult(Map<String, Object> settings, double measured, LongAdder counted, LongAdder total,
            LongAdder errors, String latencyName, Summary lat, Map<String, Object> cpu) throws Exception {
        double rate = counted.sum() / measured;
        Map<String, Object> drain = drainCeiling(total.sum());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queue", o.ceilingQueue);
        m.put("threads", o.threads);
        m.putAll(settings);
        m.put("seconds", round(measured));
        m.put("sends_counted", counted.sum());
        m.put("sends_total", total.sum());
        m.put("send_errors", errors.sum());
        m.put("sends_per_s", round(rate));
        m.put(latencyName, lat.json());
        m.put("cpu", cpu);
        m.put("drain", drain);
        m.put("_rate", rate);
        m.put("_latency", lat);
        return m;
    }

    /**
     * The same persistent sends, asynchronous (JMS 2.0 {@code JMSProducer.setAsync}): each thread keeps up to
     * {@code --async-window} sends in flight on its own connection and counts one when the broker confirms it. Artemis
     * confirms a durable send only once it is journaled, and calls the listener then only when the connection has a
     * confirmation window ({@code confirmationWindowSize}, ARTEMIS-3610), so this factory sets one.
     */
    Map<String, Object> asyncCeiling() throws Exception {
        int seconds = o.seconds;
        byte[] body = payload(0);
        String url = o.brokerUrl + (o.brokerUrl.contains("?") ? "&" : "?") + "confirmationWindowSize=1048576";
        var factory = new ActiveMQConnectionFactory(url,
                System.getenv().getOrDefault("HUB_BROKER_USER", "hub"),
                System.getenv().getOrDefault("HUB_BROKER_PASSWORD", "bench-broker-password"));
        LongAdder counted = new LongAdder();
        LongAdder total = new LongAdder();
        LongAdder errors = new LongAdder();
        Latencies latencies = new Latencies();
        CpuMeter meter = new CpuMeter();
        long start = System.nanoTime();
        long countFrom = start + TimeUnit.SECONDS.toNanos(o.ceilingWarmupSeconds);
        long end = countFrom + TimeUnit.SECONDS.toNanos(seconds);
        List<jakarta.jms.JMSContext> contexts = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        try {
            for (int i = 0; i < o.threads; i++) {
                jakarta.jms.JMSContext context = factory.createContext(jakarta.jms.JMSContext.AUTO_ACKNOWLEDGE);
                contexts.add(context);
                jakarta.jms.Queue queue = context.createQueue(o.ceilingQueue);
                java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(o.asyncCeilingWindow);
                Shard shard = latencies.shard();
                Thread t = new Thread(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                                continue;
                            }
                            long t0 = System.nanoTime();
                            BytesMessage m = context.createBytesMessage();
                            m.writeBytes(body);
                            context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT)
                                    .setAsync(new jakarta.jms.CompletionListener() {
                                        @Override
                                        public void onCompletion(Message message) {
                                            long t1 = System.nanoTime();
                                            total.increment();
                                            if (t0 >= countFrom && t1 <= end) {
                                                counted.increment();
                                                synchronized (shard) {
                                                    shard.record(t1 - t0);
                                                }
                                            }
                                            window.release();
                                        }

                                        @Override
                                        public void onException(Message message, Exception e) {
                                            errors.increment();
                                            window.release();
                                        }
                                    }).send(queue, m);
                        }
                        // Wait for the last confirmations.
                        window.tryAcquire(o.asyncCeilingWindow, 30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        errors.increment();
                        System.err.println("async ceiling sender failed: " + e);
                    }
                }, "ceiling-async-" + i);
                workers.add(t);
            }
            workers.forEach(Thread::start);
            joinAll(workers, end + TimeUnit.SECONDS.toNanos(40));
        } finally {
            closeQuietly(contexts);
            factory.close();
        }
        Map<String, Object> cpu = meter.stop();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("in_flight_per_thread", o.asyncCeilingWindow);
        settings.put("message_bytes", body.length);
        return ceilingResult(settings, seconds, counted, total, errors, "send_to_confirmation_latency",
                latencies.summary(), cpu);
    }

    /** Consumes bench.ceiling until it is empty (bounded by count and time), in transacted batches. */
    Map<String, Object> drainCeiling(long expected) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(o.ceilingDrainSeconds);
        AtomicLong drained = new AtomicLong();
        int consumers = 2;
        List<Thread> threads = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < consumers; i++) {
                Connection c = connectionFactory.createConnection();
                connections.add(c);
                Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = s.createConsumer(s.createQueue(o.ceilingQueue));
                c.start();
                Thread t = new Thread(() -> {
                    int inBatch = 0;
                    int emptyPolls = 0;
                    try {
                        while (System.nanoTime() < deadline && drained.get() < expected + 1_000_000L) {
                            Message m = consumer.receive(500);
                            if (m == null) {
                                if (inBatch > 0) {
                                    s.commit();
                                    inBatch = 0;
                                }
                                if (drained.get() >= expected || ++emptyPolls >= 4) {
                                    break;
                                }
                                continue;
                            }
                            emptyPolls = 0;
                            drained.incrementAndGet();
                            if (++inBatch >= 500) {
                                s.commit();
                                inBatch = 0;
                            }
                        }
                        if (inBatch > 0) {
                            s.commit();
                        }
                    } catch (JMSException e) {
                        System.err.println("ceiling drain failed: " + e);
                    }
                }, "ceiling-drain-" + i);
                threads.add(t);
                t.start();
            }
            joinAll(threads, deadline + TimeUnit.SECONDS.toNanos(10));
        } finally {
            closeQuietly(connections);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sent", expected);
        m.put("drained", drained.get());
        m.put("complete", drained.get() >= expected);
        m.put("drain_ms", round((System.nanoTime() - start) / 1e6));
        return m;
    }

    /** Closes each connection or context, best effort: the phase is over either way. */
    static void closeQuietly(List<? extends AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    static void joinAll(List<Thread> threads, long deadlineNanos) throws InterruptedException {
        for (Thread t : threads) {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        for (Thread t : threads) {
            t.join(2_000);
        }
    }

    // ------------------------------------------------------------------------------------------------ the mix

    /** A customer of the pool: has an open conversation and sends follow-ups, never two at once. */
    static final class PoolCustomer {
        final String psid;
        final AtomicBoolean busy = new AtomicBoolean();
        long lastWatermark;                             // read and written only by the holder of busy

        PoolCustomer(String psid) {
            this.psid = psid;
        }
    }

    /** The follow-up texts: no routing keywords (config/routing.yaml), nothing the sentiment alert would flag. */
    static final String[] FOLLOW_UP_TEXTS = {
            "The order number is 4711-0815-2342",
            "It still says in transit since Monday",
            "Could you check the delivery address please",
            "Thanks, that helps a lot",
            "Is there any update on this",
            "I will send a photo of the package label"};

    final List<PoolCustomer> pool = new ArrayList<>();  // filled by the set-up, read-only afterwards
    final AtomicLong followUps = new AtomicLong();
    final LongAdder imagesServed = new LongAdder();
    volatile int imagePort;
    byte[] image = new byte[0];
    BrokerManagement management;

    /** SplitMix64's finaliser: a well-spread hash, so each request's draw depends only on the seed and its index. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static boolean percent(long draw, int percent) {
        return Long.remainderUnsigned(draw, 100) < percent;
    }

    /**
     * The mix: request i of a phase is, by a draw from (seed, phase, i), a new customer's first message (newPercent)
     * or a follow-up of a pool customer; a follow-up carries a delivery and a read receipt (receiptPercent) and is an
     * image instead of a text (attachmentPercent).
     */
    final class MixSource implements WebhookSource {
        final int newPercent;
        final long salt;

        MixSource(int phase, int newPercent) {
            this.newPercent = newPercent;
            this.salt = mix64(o.seed) + phase;
        }

        @Override
        public Webhook next(long index) throws InterruptedException {
            long draw = mix64(salt + index * 0x9E3779B97F4A7C15L);
            if (percent(draw, newPercent) || pool.isEmpty()) {
                return newCustomer();
            }
            long receiptDraw = mix64(draw);
            long imageDraw = mix64(receiptDraw);
            long customerDraw = mix64(imageDraw);
            boolean receipts = percent(receiptDraw, o.receiptPercent);
            boolean attachment = imagePort > 0 && percent(imageDraw, o.attachmentPercent);
            PoolCustomer c = take((int) Long.remainderUnsigned(customerDraw, pool.size()));
            String text = FOLLOW_UP_TEXTS[(int) Long.remainderUnsigned(customerDraw >>> 32, FOLLOW_UP_TEXTS.length)];
            return new Webhook(followUp(c, text, receipts, attachment), -1, c, receipts ? 3 : 1, receipts, attachment);
        }

        @Override
        public void done(Webhook w) {
            if (w.customer() != null) {
                w.customer().busy.set(false);
            }
        }

        /** The drawn customer, or the next one not waiting for an answer: a customer never has two webhooks in flight. */
        PoolCustomer take(int from) throws InterruptedException {
            int n = pool.size();
            while (true) {
                for (int i = 0; i < n; i++) {
                    PoolCustomer c = pool.get((from + i) % n);
                    if (c.busy.compareAndSet(false, true)) {
                        return c;
                    }
                }
                Thread.sleep(1);
            }
        }
    }

    /**
     * A pool customer's follow-up: [delivery, read,] message, as Messenger sends them. The receipts' watermark rises
     * per customer (the hub drops a receipt whose watermark does not rise, as a re-send); every mid is new.
     */
    byte[] followUp(PoolCustomer c, String text, boolean receipts, boolean attachment) {
        long now = System.currentTimeMillis();
        long n = followUps.incrementAndGet();
        String mid = "m_bench_" + c.psid + "_" + n;
        StringBuilder b = new StringBuilder(640);
        b.append("{\"object\":\"page\",\"entry\":[{\"id\":\"").append(o.pageId).append("\",\"time\":").append(now)
                .append(",\"messaging\":[");
        if (receipts) {
            long watermark = Math.max(now - 1, c.lastWatermark + 1);    // the Page's last message, a moment ago
            c.lastWatermark = watermark;
            item(b, c, now).append("\"delivery\":{\"mids\":[\"m_page_").append(c.psid).append('_').append(n)
                    .append("\"],\"watermark\":").append(watermark).append("}},");
            item(b, c, now).append("\"read\":{\"watermark\":").append(watermark).append("}},");
        }
        item(b, c, now).append("\"message\":{\"mid\":\"").append(mid).append("\",");
        if (attachment) {
            b.append("\"attachments\":[{\"type\":\"image\",\"payload\":{\"url\":\"http://127.0.0.1:").append(imagePort)
                    .append("/cdn/").append(mid).append(".jpg\"}}]");
        } else {
            b.append("\"text\":\"").append(text).append('"');
        }
        b.append("}}]}]}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    StringBuilder item(StringBuilder b, PoolCustomer c, long timestamp) {
        return b.append("{\"sender\":{\"id\":\"").append(c.psid).append("\"},\"recipient\":{\"id\":\"").append(o.pageId)
                .append("\"},\"timestamp\":").append(timestamp).append(',');
    }

    /**
     * A stand-in for Facebook's CDN on 127.0.0.1 (run.sh gives the hub an attachment policy that allows this host):
     * every /cdn/ path answers the same JPEG.
     */
    HttpServer startImageServer() throws IOException {
        image = photo();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/cdn/", exchange -> {
            try {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
                exchange.sendResponseHeaders(200, image.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(image);
                }
                imagesServed.increment();
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "image-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        imagePort = server.getAddress().getPort();
        return server;
    }

    /** A 640x480 photo-like JPEG (gradients and a fixed-seed noise), the size of a photo Messenger has scaled down. */
    static byte[] photo() throws IOException {
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        java.util.Random noise = new java.util.Random(7);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                int r = Math.min(255, x * 255 / 640 + noise.nextInt(24));
                int g = Math.min(255, y * 255 / 480 + noise.nextInt(24));
                int bl = Math.min(255, 128 + (int) (60 * Math.sin((x + y) / 40.0)) + noise.nextInt(24));
                img.setRGB(x, y, (r << 16) | (g << 8) | bl);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    /** Queue depths from the broker's management address, as the hub's own login; one session, one request at a time. */
    final class BrokerManagement implements AutoCloseable {
        final Connection connection;
        final Session session;
        final MessageProducer producer;
        final MessageConsumer replies;
        final TemporaryQueue replyQueue;

        BrokerManagement() throws JMSException {
            connection = connectionFactory.createConnection();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producer = session.createProducer(session.createQueue("activemq.management"));
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            replyQueue = session.createTemporaryQueue();
            replies = session.createConsumer(replyQueue);
            connection.start();
        }

        /** The queue's message count (waiting, being processed and scheduled for redelivery), or -1 without an answer. */
        long depth(String queue) {
            return attribute(queue, "messageCount");
        }

        /**
         * How many message groups the broker remembers for the queue, which consumer takes each (one per bucket with
         * group-buckets, else one per group it has seen while its consumers lived), or -1 without an answer.
         */
        long groups(String queue) {
            return attribute(queue, "groupCount");
        }

        synchronized long attribute(String queue, String attribute) {
            try {
                while (replies.receiveNoWait() != null) {
                    // a late answer to an earlier request that timed out
                }
                Message request = session.createMessage();
                JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, attribute);
                request.setJMSReplyTo(replyQueue);
                producer.send(request);
                Message answer = replies.receive(5_000);
                if (answer == null || !JMSManagementHelper.hasOperationSucceeded(answer)) {
                    return -1;
                }
                return JMSManagementHelper.getResult(answer) instanceof Number n ? n.longValue() : -1;
            } catch (Exception e) {
                return -1;
            }
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (JMSException ignored) {
                // closing anyway
            }
        }
    }

    /** The hub's own count of recorded events: hub_events_processed_total and _duplicates_total, every kind. */
    Map<String, Double> hubEvents() {
        Map<String, Double> m = new LinkedHashMap<>();
        try {
            String page = prometheus();
            m.put("processed", metricSum(page, "hub_events_processed_total"));
            m.put("duplicates", metricSum(page, "hub_events_duplicates_total"));
            m.put("refused", metricSum(page, "hub_events_refused_total"));
            m.put("heap_used_bytes", metricSumWhere(page, "jvm_memory_used_bytes", "area=\"heap\""));
        } catch (Exception e) {
            say("could not read the hub's metrics: " + e);
        }
        return m;
    }

    static double metricSumWhere(String page, String name, String label) {
        double sum = 0;
        for (String l : page.split("\n")) {
            if (l.startsWith(name + "{") && l.substring(0, l.indexOf('}') + 1).contains(label)) {
                sum += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    static long delta(Map<String, Double> before, Map<String, Double> after, String key) {
        Double b = before.get(key);
        Double a = after.get(key);
        return a == null || b == null ? -1 : Math.round(a - b);
    }

    /**
     * After a load phase: waits (bounded) until the hub has processed everything it answered 200: every new
     * customer's offer arrived, and hub.webhook.inbound and hub.attachments.fetch are empty (their message counts
     * include what is being processed). Polls the broker every 100 ms.
     */
    Map<String, Object> awaitQuiet(PhaseStats p, int timeoutSeconds) throws InterruptedException {
        long inboundAtEnd = management.depth(o.inboundQueue);
        long fetchAtEnd = management.depth(o.fetchQueue);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long quietAt = 0;
        long inbound = inboundAtEnd;
        long fetch = fetchAtEnd;
        while (consumerFailure == null) {
            if (p.offers.get() >= p.okNew.sum() && inbound == 0 && fetch == 0) {
                quietAt = System.nanoTime();
                break;
            }
            if (System.nanoTime() >= deadline) {
                break;
            }
            Thread.sleep(100);
            inbound = management.depth(o.inboundQueue);
            fetch = management.depth(o.fetchQueue);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inbound_backlog_at_load_end", inboundAtEnd);
        m.put("fetch_backlog_at_load_end", fetchAtEnd);
        m.put("offers_expected", p.okNew.sum());
        m.put("offers_received", p.offers.get());
        m.put("processed_all", quietAt != 0);
        if (quietAt != 0) {
            m.put("done_s_after_load_end", round(Math.max(0, quietAt - p.loadEndNanos) / 1e9));
            m.put("done_s_after_phase_start", round((quietAt - p.startNanos) / 1e9));
        } else {
            m.put("waited_s", timeoutSeconds);
            m.put("inbound_backlog_at_timeout", inbound);
            m.put("fetch_backlog_at_timeout", fetch);
        }
        m.put("_quiet_at", quietAt);
        return m;
    }

    /** The hub's CPU while nothing is sent: its timers, which every phase's CPU per webhook includes. */
    Map<String, Object> idle() throws InterruptedException {
        Map<String, Object> m = new LinkedHashMap<>();
        if (o.idleSeconds <= 0) {
            return m;
        }
        say("hub idle for " + o.idleSeconds + " s ...");
        CpuMeter cpu = new CpuMeter();
        Thread.sleep(TimeUnit.SECONDS.toMillis(o.idleSeconds));
        m.put("seconds", o.idleSeconds);
        m.put("cpu", cpu.stop());
        return m;
    }

    /** The uncounted set-up: --pool new customers open a conversation each; they send the follow-ups afterwards. */
    Map<String, Object> setUpPool() throws InterruptedException {
        say("set-up: " + o.pool + " customers open a conversation each (not counted) ...");
        PhaseStats p = phases[POOL_SETUP];
        AtomicInteger left = new AtomicInteger(o.pool);
        List<String> opened = Collections.synchronizedList(new ArrayList<>());
        p.startNanos = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < o.threads; i++) {
            Thread t = new Thread(() -> {
                HttpClient client = newClient();
                Mac mac = newMac();
                try {
                    while (left.getAndDecrement() > 0) {
                        Webhook w = newCustomer();
                        if (post(client, mac, POOL_SETUP, w, 0) == 200) {
                            opened.add(psidOf(w.newCustomer()));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "pool-setup-" + i);
            workers.add(t);
            t.start();
        }
        joinAll(workers, System.nanoTime() + TimeUnit.SECONDS.toNanos(600));
        p.loadEndNanos = System.nanoTime();
        Map<String, Object> quiet = awaitQuiet(p, o.drainSeconds);
        quiet.remove("_quiet_at");
        List<String> sorted = new ArrayList<>(opened);
        Collections.sort(sorted);
        sorted.forEach(psid -> pool.add(new PoolCustomer(psid)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customers", pool.size());
        m.put("seconds", round((p.loadEndNanos - p.startNanos) / 1e9));
        m.put("non_200", p.non200Map());
        m.put("processing", quiet);
        return m;
    }

    /** What the 200s of a phase carried. */
    static Map<String, Object> carried(PhaseStats p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("new_customers", p.okNew.sum());
        m.put("follow_ups", p.okFollowUps.sum());
        m.put("with_receipts", p.okReceipts.sum());
        m.put("with_image", p.okAttachments.sum());
        m.put("events", p.okEvents.sum());
        m.put("mean_body_bytes", p.ok.sum() == 0 ? 0 : round((double) p.okBytes.sum() / p.ok.sum()));
        return m;
    }

    /** The processing of a phase: how long until everything was recorded, and the rate, by the hub's own counts. */
    static Map<String, Object> processing(PhaseStats p, Map<String, Object> quiet, Map<String, Double> before,
                                          Map<String, Double> after) {
        Map<String, Object> m = new LinkedHashMap<>(quiet);
        long quietAt = (Long) m.remove("_quiet_at");
        long recorded = delta(before, after, "processed");
        m.put("events_recorded", recorded);
        m.put("events_duplicates", delta(before, after, "duplicates"));
        m.put("events_refused", delta(before, after, "refused"));
        if (quietAt != 0) {
            double seconds = (quietAt - p.startNanos) / 1e9;
            m.put("webhooks_per_s", round(p.ok.sum() / seconds));
            m.put("events_per_s", recorded < 0 ? null : round(recorded / seconds));
        }
        return m;
    }

    /** One closed-loop phase of the mix run, from its first request until the hub has processed all of it. */
    Map<String, Object> mixPhase(int phase, int newPercent) throws InterruptedException {
        PhaseStats p = phases[phase];
        say(PHASE_NAMES[phase] + ": " + o.threads + " threads for " + o.seconds + " s, " + newPercent + " % new customers ...");
        long unexpectedBefore = unknownOffers.sum() + duplicateOffers.sum();
        long imagesBefore = imagesServed.sum();
        Map<String, Double> before = hubEvents();
        CpuMeter all = new CpuMeter();
        CpuMeter duringLoad = new CpuMeter();
        double hubCpu = hubCpuSeconds();
        double[] hubSplit = hubCpuSplit();
        Map<String, Double> sideCpu = sideCpuSeconds();
        double seconds = closedLoop(phase, o.seconds, true, new MixSource(phase, newPercent));
        Map<String, Object> loadCpu = duringLoad.stop();
        say("waiting up to " + o.drainSeconds + " s until the hub has processed it ...");
        Map<String, Object> quiet = awaitQuiet(p, o.drainSeconds);
        Double cpuPerWebhook = (Boolean) quiet.get("processed_all") ? cpuMsPerWebhook(hubCpu, p.ok.sum()) : null;
        Map<String, Object> splitPerWebhook = (Boolean) quiet.get("processed_all") ? cpuSplitMsPerWebhook(hubSplit, p.ok.sum()) : null;
        Map<String, Object> sidePerWebhook = sideCpuMsPerWebhook(sideCpu, p.ok.sum());
        Map<String, Object> allCpu = all.stop();
        Map<String, Double> after = hubEvents();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("new_percent", newPercent);
        m.put("threads", o.threads);
        m.put("seconds", round(seconds));
        m.put("sent", p.sent.sum());
        m.put("answered_200", p.ok.sum());
        m.put("non_200", p.non200Map());
        m.put("answers_per_s", round(p.ok.sum() / seconds));
        m.put("answer_latency", p.answer.summary().json());
        m.put("carried", carried(p));
        m.put("processing", processing(p, quiet, before, after));
        m.put("post_to_offer_latency", p.offer.summary().json());
        m.put("unexpected_offers", unknownOffers.sum() + duplicateOffers.sum() - unexpectedBefore);
        m.put("images_served", imagesServed.sum() - imagesBefore);
        m.put("cpu_during_load", loadCpu);
        m.put("cpu_load_and_processing", allCpu);
        m.put("hub_cpu_ms_per_webhook_end_to_end", cpuPerWebhook);
        m.put("hub_cpu_split_ms_per_webhook", splitPerWebhook);
        m.put("side_cpu_ms_per_webhook_end_to_end", sidePerWebhook);
        return m;
    }

    /** Shared by --mix and --soak: image server, broker management, the pool, then the run itself. */
    int runMixOrSoak(Instant startedAt, long logOffset, Thread consumerThread) throws Exception {
        System.setProperty("java.awt.headless", "true");
        HttpServer images = o.attachmentPercent > 0 ? startImageServer() : null;
        management = new BrokerManagement();
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> meta = meta(startedAt);
        Map<String, Object> mixSettings = new LinkedHashMap<>();
        mixSettings.put("pool", o.pool);
        mixSettings.put("new_percent", o.newPercent);
        mixSettings.put("receipt_percent_of_follow_ups", o.receiptPercent);
        mixSettings.put("attachment_percent_of_follow_ups", o.attachmentPercent);
        mixSettings.put("image_bytes", image.length);
        mixSettings.put("seed", o.seed);
        mixSettings.put("idle_s", o.idleSeconds);
        meta.put("mix", mixSettings);
        result.put("meta", meta);
        try {
            result.put("pool_setup", setUpPool());
            if (o.soakMinutes > 0) {
                soak(result);
            } else {
                mix(result);
            }
        } finally {
            stopConsumer = true;
            consumerThread.join(5_000);
            if (images != null) {
                images.stop(0);
            }
        }
        Map<String, Object> offers = new LinkedHashMap<>();
        offers.put("queue", o.offerQueue);
        offers.put("unknown_psid", unknownOffers.sum());
        offers.put("duplicates_or_for_follow_ups", duplicateOffers.sum());
        offers.put("other_messages", otherMessages.sum());
        if (consumerFailure != null) {
            offers.put("consumer_failure", consumerFailure.toString());
        }
        result.put("offers", offers);
        Map<String, Object> hubSide = new LinkedHashMap<>();
        hubSide.put("events", hubEvents());
        hubSide.put("images_served", imagesServed.sum());
        hubSide.put("queue_depths_at_end", brokerDepths());
        hubSide.put("log_during_run", hubLog(logOffset));
        result.put("hub", hubSide);
        result.put("finished_at", Instant.now().toString());
        management.close();

        System.out.print(o.soakMinutes > 0 ? soakReport(result) : mixReport(result));
        writeJson(result);
        return 0;
    }

    /** --mix: warm-up with the mix, the hub idle, then new customers only, the mix, and follow-ups only. */
    void mix(Map<String, Object> result) throws InterruptedException {
        Map<String, Object> warm = new LinkedHashMap<>();
        if (o.warmupSeconds > 0) {
            // New customers first: the mix alone left the JIT compiler a quarter of the hub's CPU in the new-conversation
            // phase that follows it (session 18, hub_cpu_split_ms_per_webhook), a start-up cost and not the webhooks'.
            say("warm-up: new customers only, then the mix, " + o.threads + " threads for " + o.warmupSeconds
                    + " s each (not counted) ...");
            PhaseStats p = phases[WARMUP];
            closedLoop(WARMUP, o.warmupSeconds, false, new MixSource(WARMUP, 100));
            awaitQuiet(p, o.drainSeconds);
            closedLoop(WARMUP, o.warmupSeconds, false, new MixSource(WARMUP, o.newPercent));
            warm.put("answered_200", p.ok.sum());
            warm.put("non_200", p.non200Map());
            Map<String, Object> quiet = awaitQuiet(p, o.drainSeconds);
            quiet.remove("_quiet_at");
            warm.put("processing", quiet);
        }
        result.put("warmup", warm);
        result.put("idle", idle());
        Map<String, Object> newOnly = mixPhase(NEW_ONLY, 100);
        Map<String, Object> mixed = mixPhase(MIX, o.newPercent);
        Map<String, Object> followUpsOnly = mixPhase(FOLLOW_UP_ONLY, 0);
        result.put("new_only", newOnly);
        result.put("mix", mixed);
        result.put("follow_up_only", followUpsOnly);
        Double n = (Double) newOnly.get("hub_cpu_ms_per_webhook_end_to_end");
        Double f = (Double) followUpsOnly.get("hub_cpu_ms_per_webhook_end_to_end");
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("new_conversation_ms", n);
        split.put("follow_up_ms", f);
        split.put("mix_measured_ms", mixed.get("hub_cpu_ms_per_webhook_end_to_end"));
        split.put("mix_from_the_two_ms", n == null || f == null ? null
                : round((o.newPercent * n + (100 - o.newPercent) * f) / 100));
        result.put("hub_cpu_ms_per_webhook", split);
    }

    /** What GC.heap_info says of the whole heap: committed and used, in KiB. */
    static final Pattern HEAP_INFO = Pattern.compile("total (\\d+)K, used (\\d+)K");

    /** The hub's heap after a full collection, and the classes that hold most of it; see heapAfterFullGc. */
    record Heap(Map<String, Object> json, Map<String, Long> classBytes) {
    }

    /**
     * The hub's heap after a full GC, through jcmd on its pid: GC.run (System.gc(), a full collection with G1), then
     * GC.heap_info ("used" is what the collection left), then GC.class_histogram (another full collection; the bytes
     * of live objects per class). What is left after a full GC is what the hub holds on to: a leak makes it grow.
     */
    Heap heapAfterFullGc(String when) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Long> classes = new LinkedHashMap<>();
        m.put("when", when);
        m.put("at", Instant.now().toString());
        try {
            String info = heapInfoAfterFullGc();
            Matcher used = HEAP_INFO.matcher(info);
            if (used.find()) {
                m.put("heap_committed_mib", round(Long.parseLong(used.group(1)) / 1024.0));
                m.put("heap_used_after_full_gc_mib", round(Long.parseLong(used.group(2)) / 1024.0));
            } else {
                m.put("heap_info", info);
            }
            String histogram = jcmd("GC.class_histogram");
            Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
            Pattern total = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$");
            for (String l : histogram.split("\n")) {
                Matcher r = row.matcher(l);
                if (r.matches()) {
                    classes.merge(r.group(3), Long.parseLong(r.group(2)), Long::sum);
                }
                Matcher t = total.matcher(l);
                if (t.matches()) {
                    m.put("live_objects", Long.parseLong(t.group(1)));
                    m.put("live_object_mib", round(Long.parseLong(t.group(2)) / 1048576.0));
                }
            }
            Map<String, Object> top = new LinkedHashMap<>();
            classes.entrySet().stream().limit(12).forEach(e -> top.put(e.getKey(), e.getValue()));
            m.put("largest_classes_bytes", top);
        } catch (Exception e) {
            m.put("error", e.toString());
        }
        return new Heap(m, classes);
    }

    /**
     * GC.run (a full collection), then what GC.heap_info says of the heap that collection left, in one attach (jcmd
     * -f): two jcmd processes are a few hundred milliseconds apart, and a hub still at work allocates tens of MiB in
     * that time (a soak's end once read 147 MiB used with 56.6 MiB of live objects, session 24).
     */
    String heapInfoAfterFullGc() throws IOException, InterruptedException {
        return heapInfoAfterFullGc(hubPid());
    }

    static String heapInfoAfterFullGc(long pid) throws IOException, InterruptedException {
        Path commands = Files.createTempFile("jcmd-", ".txt");
        try {
            Files.writeString(commands, "GC.run\nGC.heap_info\n");
            return jcmd(pid, "-f", commands.toString());
        } finally {
            Files.deleteIfExists(commands);
        }
    }

    /** The heap a full GC left in the JVM {@code pid}, in MiB, or null when GC.heap_info does not say. */
    static Double heapUsedAfterFullGcMib(long pid) throws IOException, InterruptedException {
        Matcher used = HEAP_INFO.matcher(heapInfoAfterFullGc(pid));
        return used.find() ? round(Long.parseLong(used.group(2)) / 1024.0) : null;
    }

    /**
     * The message groups the broker remembers on the inbound queue and, with a standalone broker (--side-pid
     * broker=PID, as --cluster gives), that broker's heap after a full GC: its share of what grows with customers.
     */
    Map<String, Object> brokerMemory() throws InterruptedException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inbound_message_groups", management.groups(o.inboundQueue));
        Long broker = o.sidePids.get("broker");
        if (broker != null) {
            try {
                m.put("broker_heap_used_after_full_gc_mib", heapUsedAfterFullGcMib(broker));
            } catch (IOException e) {
                m.put("broker_heap_error", e.getMessage());
            }
        }
        return m;
    }

    /** Only the heap left by a full GC, without the class histogram's second collection. */
    Double heapUsedAfterFullGcMib() throws InterruptedException {
        try {
            return heapUsedAfterFullGcMib(hubPid());
        } catch (IOException e) {
            return null;
        }
    }

    String jcmd(String command) throws IOException, InterruptedException {
        return jcmd(hubPid(), command);
    }

    long hubPid() throws IOException {
        if (o.hubPid <= 0) {
            throw new IOException("no --hub-pid");
        }
        return o.hubPid;
    }

    static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        Path own = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> line = new ArrayList<>(List.of(Files.isExecutable(own) ? own.toString() : "jcmd", String.valueOf(pid)));
        line.addAll(List.of(command));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + out.strip());
        }
        return out;
    }

    /**
     * Once a second during the soak: the backlog; at every minute's end the hub's CPU, recorded events and heap (also
     * after a full GC, a pause of some tens of milliseconds a minute).
     */
    final class SoakMonitor extends Thread {
        final PhaseStats p;
        final int minutes;
        final List<Map<String, Object>> rows = Collections.synchronizedList(new ArrayList<>());
        volatile boolean stop;

        SoakMonitor(PhaseStats p, int minutes) {
            super("soak-monitor");
            setDaemon(true);
            this.p = p;
            this.minutes = minutes;
        }

        @Override
        public void run() {
            try {
                while (p.startNanos == 0 && !stop) {
                    Thread.sleep(10);
                }
                long start = p.startNanos;
                long sampled = System.nanoTime();
                double cpu = hubCpuSeconds();
                Map<String, Double> events = hubEvents();
                for (int minute = 0; minute < minutes && !stop; minute++) {
                    long inboundMax = 0;
                    long fetchMax = 0;
                    long inbound = 0;
                    long fetch = 0;
                    for (int second = 1; second <= 60 && !stop; second++) {
                        long wait = start + TimeUnit.SECONDS.toNanos(minute * 60L + second) - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait) + 1);
                        }
                        inbound = management.depth(o.inboundQueue);
                        fetch = management.depth(o.fetchQueue);
                        inboundMax = Math.max(inboundMax, inbound);
                        fetchMax = Math.max(fetchMax, fetch);
                    }
                    long now = System.nanoTime();
                    double cpuNow = hubCpuSeconds();
                    Map<String, Double> eventsNow = hubEvents();
                    double seconds = (now - sampled) / 1e9;
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("minute", minute + 1);
                    row.put("inbound_backlog_at_end", inbound);
                    row.put("inbound_backlog_max", inboundMax);
                    row.put("fetch_backlog_at_end", fetch);
                    row.put("fetch_backlog_max", fetchMax);
                    row.put("hub_cores", round((cpuNow - cpu) / seconds));
                    row.put("events_recorded", delta(events, eventsNow, "processed"));
                    Double heap = eventsNow.get("heap_used_bytes");
                    row.put("heap_used_mib_not_after_gc", heap == null ? null : round(heap / 1048576.0));
                    // The curve between the start and the end: caches filling up level off, a leak keeps growing.
                    row.put("heap_used_after_full_gc_mib", heapUsedAfterFullGcMib());
                    rows.add(row);
                    sampled = now;
                    cpu = cpuNow;
                    events = eventsNow;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** --soak: warm-up at the rate, heap after a full GC, the mix at --rate for the minutes, processing, heap again. */
    void soak(Map<String, Object> result) throws InterruptedException {
        int minutes = o.soakMinutes;
        Map<String, Object> warm = new LinkedHashMap<>();
        if (o.warmupSeconds > 0) {
            say("warm-up: the mix at " + o.rate + "/s for " + o.warmupSeconds + " s (not counted) ...");
            warm.putAll(openLoop(WARMUP, o.rate, o.warmupSeconds, new MixSource(WARMUP, o.newPercent), null));
            Map<String, Object> quiet = awaitQuiet(phases[WARMUP], o.drainSeconds);
            quiet.remove("_quiet_at");
            warm.put("processing", quiet);
        }
        result.put("warmup", warm);
        say("heap after a full GC (jcmd " + o.hubPid + " GC.run, GC.heap_info, GC.class_histogram) ...");
        Heap heapStart = heapAfterFullGc("before the soak, after the set-up and warm-up were processed");
        Map<String, Object> brokerStart = brokerMemory();
        result.put("idle", idle());

        PhaseStats p = phases[SOAK];
        say("soak: the mix at " + o.rate + "/s for " + minutes + " min (open loop, " + o.rateWorkers + " workers) ...");
        Minutes perMinute = new Minutes(minutes);
        SoakMonitor monitor = new SoakMonitor(p, minutes);
        monitor.start();
        long imagesBefore = imagesServed.sum();
        Map<String, Double> before = hubEvents();
        CpuMeter all = new CpuMeter();
        CpuMeter duringLoad = new CpuMeter();
        double hubCpu = hubCpuSeconds();
        Map<String, Double> sideCpu = sideCpuSeconds();
        Map<String, Object> m = openLoop(SOAK, o.rate, minutes * 60, new MixSource(SOAK, o.newPercent), perMinute);
        Map<String, Object> loadCpu = duringLoad.stop();
        monitor.join(TimeUnit.SECONDS.toMillis(90));
        monitor.stop = true;
        say("waiting up to " + o.drainSeconds + " s until the hub has processed it ...");
        Map<String, Object> quiet = awaitQuiet(p, o.drainSeconds);
        Double cpuPerWebhook = (Boolean) quiet.get("processed_all") ? cpuMsPerWebhook(hubCpu, p.ok.sum()) : null;
        Map<String, Object> sidePerWebhook = sideCpuMsPerWebhook(sideCpu, p.ok.sum());
        Map<String, Object> allCpu = all.stop();
        Map<String, Double> after = hubEvents();
        say("heap after a full GC ...");
        Heap heapEnd = heapAfterFullGc("after the soak, once everything was processed");
        Map<String, Object> brokerEnd = brokerMemory();
        result.put("broker_memory", Map.of("start", brokerStart, "end", brokerEnd));

        m.put("answer_latency_from_schedule", p.answer.summary().json());
        m.put("answer_latency_from_actual_send", p.service.summary().json());
        m.put("send_lag_behind_schedule", p.sendLag.summary().json());
        m.put("carried", carried(p));
        m.put("processing", processing(p, quiet, before, after));
        m.put("post_to_offer_latency", p.offer.summary().json());
        m.put("images_served", imagesServed.sum() - imagesBefore);
        m.put("cpu_during_load", loadCpu);
        m.put("cpu_load_and_processing", allCpu);
        m.put("hub_cpu_ms_per_webhook_end_to_end", cpuPerWebhook);
        m.put("side_cpu_ms_per_webhook_end_to_end", sidePerWebhook);
        List<Map<String, Object>> rows = new ArrayList<>();
        synchronized (monitor.rows) {
            for (int i = 0; i < minutes; i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("minute", i + 1);
                row.put("answered_200", perMinute.ok[i].sum());
                row.put("non_200", perMinute.failed[i].sum());
                row.put("answer_latency_from_schedule", perMinute.answer[i].summary().json());
                if (i < monitor.rows.size()) {
                    Map<String, Object> sampled = new LinkedHashMap<>(monitor.rows.get(i));
                    sampled.remove("minute");
                    row.putAll(sampled);
                }
                rows.add(row);
            }
        }
        m.put("per_minute", rows);
        result.put("soak", m);

        Map<String, Object> heap = new LinkedHashMap<>();
        heap.put("start", heapStart.json());
        heap.put("end", heapEnd.json());
        Object s = heapStart.json().get("heap_used_after_full_gc_mib");
        Object e = heapEnd.json().get("heap_used_after_full_gc_mib");
        if (s instanceof Double start && e instanceof Double end && start > 0) {
            heap.put("change_percent", round(100 * (end - start) / start));
        }
        Map<String, Long> grew = new LinkedHashMap<>();
        heapEnd.classBytes().entrySet().stream()
                .map(c -> Map.entry(c.getKey(), c.getValue() - heapStart.classBytes().getOrDefault(c.getKey(), 0L)))
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(10)
                .forEach(c -> grew.put(c.getKey(), c.getValue()));
        heap.put("classes_grown_most_bytes", grew);
        result.put("heap", heap);
    }

    // ------------------------------------------------------------------------------------------------ mix reports

    static String n(Object v) {
        return v instanceof Number num ? String.format(Locale.ROOT, "%,d", num.longValue()) : String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    static String latencyLine(Object json) {
        Map<String, Object> l = (Map<String, Object>) json;
        return ((Number) l.get("count")).longValue() == 0 ? "no samples"
                : String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  max %s  (mean %s, n=%d)",
                ms((Double) l.get("p50_ms")), ms((Double) l.get("p90_ms")), ms((Double) l.get("p99_ms")),
                ms((Double) l.get("max_ms")), ms((Double) l.get("mean_ms")), (Long) l.get("count"));
    }

    @SuppressWarnings("unchecked")
    static String processingLine(Map<String, Object> pr) {
        String backlog = String.format(Locale.ROOT, "backlog when the load ended: %s on hub.webhook.inbound, %s on"
                + " hub.attachments.fetch", n(pr.get("inbound_backlog_at_load_end")), n(pr.get("fetch_backlog_at_load_end")));
        String done = (Boolean) pr.get("processed_all")
                ? String.format(Locale.ROOT, "all processed %s s after the load ended (%s s after the start): %s"
                        + " webhooks/s, %s events/s", pr.get("done_s_after_load_end"), pr.get("done_s_after_phase_start"),
                pr.get("webhooks_per_s"), pr.get("events_per_s"))
                : String.format(Locale.ROOT, "NOT all processed after waiting %s s: %s left on hub.webhook.inbound,"
                        + " %s on hub.attachments.fetch", pr.get("waited_s"), n(pr.get("inbound_backlog_at_timeout")),
                n(pr.get("fetch_backlog_at_timeout")));
        return backlog + "\n                   " + done + String.format(Locale.ROOT,
                "\n                   events recorded by the hub %s (duplicates %s, refused %s); offers %s of %s new customers",
                n(pr.get("events_recorded")), n(pr.get("events_duplicates")), n(pr.get("events_refused")),
                n(pr.get("offers_received")), n(pr.get("offers_expected")));
    }

    @SuppressWarnings("unchecked")
    static String carriedLine(Map<String, Object> c) {
        return String.format(Locale.ROOT, "200s carried: %s new customers, %s follow-ups (%s with receipts, %s images),"
                        + " %s events, %s bytes per body on average", n(c.get("new_customers")), n(c.get("follow_ups")),
                n(c.get("with_receipts")), n(c.get("with_image")), n(c.get("events")), c.get("mean_body_bytes"));
    }

    @SuppressWarnings("unchecked")
    String header(Map<String, Object> r, String title, String setup) {
        Map<String, Object> meta = (Map<String, Object>) r.get("meta");
        Map<String, Object> ps = (Map<String, Object>) r.get("pool_setup");
        Map<String, Object> idle = (Map<String, Object>) r.get("idle");
        Map<String, Object> psq = (Map<String, Object>) ps.get("processing");
        StringBuilder b = new StringBuilder();
        String rule = "-".repeat(100) + "\n";
        b.append('\n').append(rule);
        b.append(title).append("   ").append(meta.get("started_at")).append('\n');
        b.append("machine: nproc=").append(meta.get("nproc")).append("  loadavg before: ")
                .append(meta.get("loadavg_before")).append("\njava:    ").append(meta.get("java_version")).append('\n');
        b.append(setup);
        b.append(String.format(Locale.ROOT, "mix:     %d %% new customers, %d %% follow-ups of a pool of %s customers;"
                        + " of the follow-ups %d %% with delivery + read receipts, %d %% an image (JPEG, %,d bytes,"
                        + " local stand-in CDN); seed %d%n", o.newPercent, 100 - o.newPercent, n(ps.get("customers")),
                o.receiptPercent, o.attachmentPercent, image.length, o.seed));
        b.append(rule);
        b.append(String.format(Locale.ROOT, "set-up             %s customers opened a conversation in %s s (not counted),"
                        + " non-200: %s; processed: %s%n", n(ps.get("customers")), ps.get("seconds"),
                nonOk((Map<String, Long>) ps.get("non_200")), (Boolean) psq.get("processed_all") ? "yes" : "NO"));
        if (!idle.isEmpty()) {
            b.append("hub idle           ").append(idle.get("seconds")).append(" s, ").append(cpuLine(idle.get("cpu")))
                    .append(" (its timers; included in every CPU per webhook below)\n");
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    String mixReport(Map<String, Object> r) {
        String rule = "-".repeat(100) + "\n";
        StringBuilder b = new StringBuilder(header(r, "messenger-hub webhook benchmark, --mix", String.format(Locale.ROOT,
                "setup:   %d threads, closed loop, warm-up %d s of new customers and %<d s of the mix, phases %d s each%n", o.threads,
                o.warmupSeconds, o.seconds)));
        String[][] phasesShown = {{"new_only", "new only"}, {"mix", "mix"}, {"follow_up_only", "follow-ups only"}};
        for (String[] ph : phasesShown) {
            Map<String, Object> p = (Map<String, Object>) r.get(ph[0]);
            b.append(String.format(Locale.ROOT, "%-18s %,.1f answers/s (200s)   %s s: %s 200s, non-200: %s%n", ph[1],
                    (Double) p.get("answers_per_s"), p.get("seconds"), n(p.get("answered_200")),
                    nonOk((Map<String, Long>) p.get("non_200"))));
            String indent = "                   ";
            b.append(indent).append("answer latency ").append(latencyLine(p.get("answer_latency"))).append('\n');
            b.append(indent).append(carriedLine((Map<String, Object>) p.get("carried"))).append('\n');
            b.append(indent).append(processingLine((Map<String, Object>) p.get("processing")))
                    .append("; unexpected offers ").append(p.get("unexpected_offers")).append('\n');
            b.append(indent).append("during the load ").append(cpuLine(p.get("cpu_during_load")))
                    .append("; load + processing ").append(cpuLine(p.get("cpu_load_and_processing")).replace("CPU cores used: ", ""))
                    .append('\n');
            b.append(indent).append("hub CPU per webhook, answer to processed: ")
                    .append(p.get("hub_cpu_ms_per_webhook_end_to_end")).append(" ms")
                    .append(splitLine(p.get("hub_cpu_split_ms_per_webhook")))
                    .append(sideLine(p.get("side_cpu_ms_per_webhook_end_to_end"))).append('\n');
        }
        Map<String, Object> split = (Map<String, Object>) r.get("hub_cpu_ms_per_webhook");
        b.append(rule);
        b.append(String.format(Locale.ROOT, "hub CPU per webhook: new conversation %s ms, follow-up %s ms; mix %s ms"
                        + " (%d/%d of the two: %s ms)%n", split.get("new_conversation_ms"), split.get("follow_up_ms"),
                split.get("mix_measured_ms"), o.newPercent, 100 - o.newPercent, split.get("mix_from_the_two_ms")));
        b.append(footer(r));
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    String soakReport(Map<String, Object> r) {
        String rule = "-".repeat(100) + "\n";
        StringBuilder b = new StringBuilder(header(r, "messenger-hub webhook benchmark, --soak " + o.soakMinutes,
                String.format(Locale.ROOT, "setup:   the mix at %d/s for %d min, open loop, %d workers; warm-up %d s at"
                        + " the rate%n", o.rate, o.soakMinutes, o.rateWorkers, o.warmupSeconds)));
        Map<String, Object> s = (Map<String, Object>) r.get("soak");
        Map<String, Object> heap = (Map<String, Object>) r.get("heap");
        String indent = "                   ";
        b.append(String.format(Locale.ROOT, "soak               %s scheduled, %s sent, %s 200s, non-200: %s; achieved %,.1f/s"
                        + " -> rate %s%n", n(s.get("scheduled")), n(s.get("sent")), n(s.get("answered_200")),
                nonOk((Map<String, Long>) s.get("non_200")), (Double) s.get("achieved_rps"),
                (Boolean) s.get("rate_achieved") ? "ACHIEVED" : "NOT achieved"));
        b.append(indent).append("latency from schedule ").append(latencyLine(s.get("answer_latency_from_schedule"))).append('\n');
        b.append(indent).append("send lag behind sched ").append(latencyLine(s.get("send_lag_behind_schedule"))).append('\n');
        b.append(indent).append(carriedLine((Map<String, Object>) s.get("carried"))).append('\n');
        b.append(indent).append(processingLine((Map<String, Object>) s.get("processing"))).append('\n');
        b.append(indent).append("during the load ").append(cpuLine(s.get("cpu_during_load")))
                .append("; hub CPU per webhook, answer to processed: ").append(s.get("hub_cpu_ms_per_webhook_end_to_end"))
                .append(" ms").append(sideLine(s.get("side_cpu_ms_per_webhook_end_to_end"))).append('\n');
        b.append(rule);
        b.append("minute  200s     non-200  p50       p99       max        inbound backlog end/max  fetch end/max  hub cores"
                + "  events  heap MiB: used, after a full GC\n");
        for (Map<String, Object> row : (List<Map<String, Object>>) s.get("per_minute")) {
            Map<String, Object> l = (Map<String, Object>) row.get("answer_latency_from_schedule");
            b.append(String.format(Locale.ROOT, "%6s  %-7s  %-7s  %-8s  %-8s  %-9s  %7s / %-15s  %4s / %-7s  %-9s  %-6s  %s, %s%n",
                    row.get("minute"), n(row.get("answered_200")), n(row.get("non_200")), ms((Double) l.get("p50_ms")),
                    ms((Double) l.get("p99_ms")), ms((Double) l.get("max_ms")), n(row.get("inbound_backlog_at_end")),
                    n(row.get("inbound_backlog_max")), n(row.get("fetch_backlog_at_end")), n(row.get("fetch_backlog_max")),
                    row.get("hub_cores"), n(row.get("events_recorded")), row.get("heap_used_mib_not_after_gc"),
                    row.get("heap_used_after_full_gc_mib")));
        }
        b.append(rule);
        Map<String, Object> hs = (Map<String, Object>) heap.get("start");
        Map<String, Object> he = (Map<String, Object>) heap.get("end");
        b.append(String.format(Locale.ROOT, "heap after a full GC (jcmd): start %s MiB (live objects %s MiB), end %s MiB"
                        + " (live objects %s MiB): %s %%%n", hs.get("heap_used_after_full_gc_mib"), hs.get("live_object_mib"),
                he.get("heap_used_after_full_gc_mib"), he.get("live_object_mib"), heap.get("change_percent")));
        if (hs.containsKey("error") || he.containsKey("error")) {
            b.append("   jcmd failed: ").append(hs.getOrDefault("error", "")).append(' ').append(he.getOrDefault("error", ""))
                    .append('\n');
        }
        b.append("   grown most (bytes of live objects, end - start): ").append(heap.get("classes_grown_most_bytes")).append('\n');
        Map<String, Object> broker = (Map<String, Object>) r.get("broker_memory");
        if (broker != null) {
            Map<String, Object> bs = (Map<String, Object>) broker.get("start");
            Map<String, Object> be = (Map<String, Object>) broker.get("end");
            b.append(String.format(Locale.ROOT, "message groups the broker remembers on the inbound queue: start %s, end %s%n",
                    bs.get("inbound_message_groups"), be.get("inbound_message_groups")));
            if (bs.containsKey("broker_heap_used_after_full_gc_mib") || bs.containsKey("broker_heap_error")) {
                b.append(String.format(Locale.ROOT, "standalone broker's heap after a full GC (jcmd): start %s MiB, end %s MiB%s%n",
                        bs.get("broker_heap_used_after_full_gc_mib"), be.get("broker_heap_used_after_full_gc_mib"),
                        bs.containsKey("broker_heap_error") ? " (" + bs.get("broker_heap_error") + ")" : ""));
            }
        }
        b.append(footer(r));
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    String footer(Map<String, Object> r) {
        String rule = "-".repeat(100) + "\n";
        Map<String, Object> offers = (Map<String, Object>) r.get("offers");
        Map<String, Object> hub = (Map<String, Object>) r.get("hub");
        Map<String, Object> log = (Map<String, Object>) hub.get("log_during_run");
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "offers: unknown PSIDs %s, for pool customers or twice %s, other messages %s;"
                        + " images served to the hub %s%n", n(offers.get("unknown_psid")),
                n(offers.get("duplicates_or_for_follow_ups")), n(offers.get("other_messages")), n(hub.get("images_served"))));
        b.append(rule);
        logLines(b, log);
        b.append("broker queue depths at the end: ").append(hub.get("queue_depths_at_end")).append('\n');
        b.append(rule);
        return b.toString();
    }

    // ------------------------------------------------------------------------------------------------ cpu

    /** CPU seconds (user + system) of a process from /proc/<pid>/stat, or -1 when it cannot be read. */
    double cpuSeconds(String pid) {
        try {
            String[] f = statFields(Files.readString(Path.of("/proc", pid, "stat")));
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) o.clockTicks;
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * CPU seconds of each {@code --side-pid} process together with its descendants (PostgreSQL's backends are children
     * of its postmaster; a broker may run under a shell script), now. Descendants that end between two readings take
     * their CPU with them, so a side's figure is a lower bound when its processes come and go.
     */
    Map<String, Double> sideCpuSeconds() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (o.sidePids.isEmpty()) {
            return m;
        }
        Map<Long, List<Long>> children = new HashMap<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            dirs.map(d -> d.getFileName().toString()).filter(name -> name.chars().allMatch(Character::isDigit)).forEach(pid -> {
                try {
                    String stat = Files.readString(Path.of("/proc", pid, "stat"));
                    long parent = Long.parseLong(statFields(stat)[1]);
                    children.computeIfAbsent(parent, k -> new ArrayList<>()).add(Long.parseLong(pid));
                } catch (Exception gone) {
                    // ended meanwhile
                }
            });
        } catch (IOException e) {
            return m;
        }
        o.sidePids.forEach((name, pid) -> {
            double total = 0;
            Deque<Long> todo = new ArrayDeque<>(List.of(pid));
            while (!todo.isEmpty()) {
                long next = todo.pop();
                double cpu = cpuSeconds(String.valueOf(next));
                total += Math.max(cpu, 0);
                todo.addAll(children.getOrDefault(next, List.of()));
            }
            m.put(name, total);
        });
        return m;
    }

    /** CPU milliseconds of each side process per webhook answered since {@code start}. */
    Map<String, Object> sideCpuMsPerWebhook(Map<String, Double> start, long answered) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Double> now = sideCpuSeconds();
        start.forEach((name, before) -> m.put(name, answered > 0 && now.containsKey(name)
                ? round((now.get(name) - before) * 1000 / answered) : null));
        return m;
    }

    static String sideLine(Object side) {
        if (!(side instanceof Map) || ((Map<?, ?>) side).isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        ((Map<?, ?>) side).forEach((name, ms) -> b.append(b.length() == 0 ? "; " : ", ").append(name).append(' ').append(ms).append(" ms"));
        return b.toString();
    }

    double hubCpuSeconds() {
        return o.hubPid > 0 ? cpuSeconds(String.valueOf(o.hubPid)) : -1;
    }

    /**
     * The hub's CPU seconds split three ways, from /proc: user and system time of the whole process, and the time of
     * its JIT compiler threads ("C1 CompilerThread0" and the like, whose kernel names are cut to "C2 CompilerThre").
     * The kernel's system time (the sockets to the broker, the database and the load) is CPU that no Java profiler
     * samples; the compiler's is a start-up cost that a warm-up should have paid. A compiler thread that ends between
     * two readings takes its time with it (the JVM stops idle ones), so the compiler's share is a lower bound.
     */
    double[] hubCpuSplit() {
        if (o.hubPid <= 0) {
            return null;
        }
        try {
            String[] f = statFields(Files.readString(Path.of("/proc", String.valueOf(o.hubPid), "stat")));
            double compiler = 0;
            try (var tasks = Files.list(Path.of("/proc", String.valueOf(o.hubPid), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                            String[] t = statFields(stat);
                            compiler += Long.parseLong(t[11]) + Long.parseLong(t[12]);
                        }
                    } catch (IOException | RuntimeException gone) {
                        // the thread ended between the listing and the reading
                    }
                }
            }
            return new double[] {Long.parseLong(f[11]) / (double) o.clockTicks, Long.parseLong(f[12]) / (double) o.clockTicks,
                    compiler / o.clockTicks};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The fields of a /proc stat line after the command name (which may hold spaces and brackets): utime is [11]. */
    static String[] statFields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** Per webhook answered: the hub's user, system and JIT compiler CPU since {@code start} (hubCpuSplit), in ms. */
    Map<String, Object> cpuSplitMsPerWebhook(double[] start, long answered) {
        double[] now = hubCpuSplit();
        if (start == null || now == null || answered <= 0) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user_ms", round((now[0] - start[0]) * 1000 / answered));
        m.put("system_ms", round((now[1] - start[1]) * 1000 / answered));
        m.put("jit_compiler_ms", round((now[2] - start[2]) * 1000 / answered));
        return m;
    }

    static String splitLine(Object split) {
        if (!(split instanceof Map<?, ?> m)) {
            return "";
        }
        return String.format(Locale.ROOT, " (user %s, system %s; of the two, JIT compiler threads %s)", m.get("user_ms"),
                m.get("system_ms"), m.get("jit_compiler_ms"));
    }

    /**
     * The hub's CPU time from the start of a phase to the end of its offer drain, per webhook answered 200: what one
     * new conversation costs, answer and processing together. Stable on a shared machine, where throughput is not.
     */
    Double cpuMsPerWebhook(double hubCpuAtStart, long answered) {
        double now = hubCpuSeconds();
        return hubCpuAtStart >= 0 && now >= 0 && answered > 0 ? round((now - hubCpuAtStart) * 1000 / answered) : null;
    }

    /** Cores used by the hub and by this generator during one phase; shows whether the machine was saturated. */
    final class CpuMeter {
        final long wall = System.nanoTime();
        final double hub = o.hubPid > 0 ? cpuSeconds(String.valueOf(o.hubPid)) : -1;
        final double self = cpuSeconds("self");

        Map<String, Object> stop() {
            double seconds = (System.nanoTime() - wall) / 1e9;
            double hubNow = o.hubPid > 0 ? cpuSeconds(String.valueOf(o.hubPid)) : -1;
            double selfNow = cpuSeconds("self");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hub_cores", hub >= 0 && hubNow >= 0 ? round((hubNow - hub) / seconds) : null);
            m.put("generator_cores", self >= 0 && selfNow >= 0 ? round((selfNow - self) / seconds) : null);
            return m;
        }
    }

    static String cpuLine(Object cpu) {
        if (!(cpu instanceof Map)) {
            return "";
        }
        Map<?, ?> m = (Map<?, ?>) cpu;
        return String.format(Locale.ROOT, "CPU cores used: hub %s, generator %s", m.get("hub_cores"), m.get("generator_cores"));
    }

    // ------------------------------------------------------------------------------------------------ hub side

    /** Queue depths the hub publishes on /actuator/prometheus (artemis_message_count{queue=...}). */
    Map<String, Object> brokerDepths() {
        Map<String, Object> m = new TreeMap<>();
        try {
            Pattern line = Pattern.compile("^artemis_message_count\\{([^}]*)\\}\\s+([0-9.eE+-]+)\\s*$");
            Pattern queue = Pattern.compile("queue=\"([^\"]*)\"");
            for (String l : prometheus().split("\n")) {
                Matcher lm = line.matcher(l);
                if (lm.matches()) {
                    Matcher q = queue.matcher(lm.group(1));
                    if (q.find()) {
                        m.put(q.group(1), (long) Double.parseDouble(lm.group(2)));
                    }
                }
            }
        } catch (Exception e) {
            m.put("error", e.toString());
        }
        return m;
    }

    /** The hub's /actuator/prometheus page, read with the operator token. */
    String prometheus() throws IOException, InterruptedException {
        HttpResponse<String> r = newClient().send(HttpRequest.newBuilder(
                        URI.create(o.baseUrl.replaceAll("/+$", "") + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + System.getenv().getOrDefault("HUB_OPERATOR_TOKENS", "bench-operator-token").split(",")[0].trim())
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("/actuator/prometheus answered " + r.statusCode());
        }
        return r.body();
    }

    /** The sum of a metric's samples over all its labels on a Prometheus page (0 when it is not there). */
    static double metricSum(String page, String name) {
        double sum = 0;
        for (String l : page.split("\n")) {
            if (l.startsWith(name + "{") || l.startsWith(name + " ")) {
                sum += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** WARN and ERROR lines the hub logged after the given offset (Spring Boot's console format). */
    Map<String, Object> hubLog(long fromOffset) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (o.hubLog == null) {
            return m;
        }
        Pattern level = Pattern.compile("^\\S+\\s+(WARN|ERROR)\\s+\\d+\\s+---\\s+(.*)$");
        long warn = 0;
        long error = 0;
        long notStored = 0;
        long deadLettered = 0;
        Map<String, Long> samples = new LinkedHashMap<>();
        try (RandomAccessFile f = new RandomAccessFile(o.hubLog, "r")) {
            f.seek(Math.min(fromOffset, f.length()));
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
                Matcher lm = level.matcher(l);
                if (!lm.matches()) {
                    continue;
                }
                if (lm.group(1).equals("WARN")) {
                    warn++;
                } else {
                    error++;
                }
                // "[app] [thread] logger : message" -> "LEVEL logger : message" without ids and numbers
                String rest = lm.group(2).replaceAll("^\\[[^\\]]*\\]\\s*\\[[^\\]]*\\]\\s*", "");
                String key = (lm.group(1) + " " + rest).replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>")
                        .replaceAll("\\d+", "N");
                key = key.length() > 200 ? key.substring(0, 200) + "..." : key;
                if (samples.containsKey(key) || samples.size() < 10) {
                    samples.merge(key, 1L, Long::sum);
                }
            }
        } catch (IOException e) {
            m.put("error", e.toString());
        }
        m.put("path", o.hubLog);
        m.put("warn_lines", warn);
        m.put("error_lines", error);
        m.put("webhook_not_stored_lines", notStored);
        m.put("dead_lettered_lines", deadLettered);
        m.put("distinct_messages", samples);
        return m;
    }

    // ------------------------------------------------------------------------------------------------ main

    static void quietLogging() {
        // The runtime classpath brings logback, which logs everything at DEBUG without a configuration.
        try {
            Class<?> factory = Class.forName("org.slf4j.LoggerFactory");
            Object root = factory.getMethod("getLogger", String.class).invoke(null, "ROOT");
            Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level");
            Object warn = levelClass.getField("WARN").get(null);
            root.getClass().getMethod("setLevel", levelClass).invoke(root, warn);
        } catch (Throwable ignored) {
            // another or no logging backend: nothing to quiet
        }
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        Options o = Options.parse(args);
        int rc = new WebhookLoad(o).run();
        System.exit(rc);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    int run() throws Exception {
        Instant startedAt = Instant.now();
        long logOffset = o.hubLog == null ? 0 : Files.size(Path.of(o.hubLog));
        say(String.format(Locale.ROOT, "payload %d bytes, page %s, latency statistics: %s", payloadBytes, o.pageId,
                Hdr.AVAILABLE ? "HdrHistogram" : "sorted arrays"));

        // A single POST first: fail fast with a clear message if the hub refuses the signed webhook.
        {
            int status = post(newClient(), newMac(), WARMUP, 0);
            if (status != 200) {
                System.err.println("WebhookLoad: the hub answered " + status + " to a signed webhook; is the secret right?");
                return 3;
            }
        }
        Thread consumerThread = startOfferConsumer();
        if (o.mix || o.soakMinutes > 0) {
            return runMixOrSoak(startedAt, logOffset, consumerThread);
        }

        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> meta = meta(startedAt);
        result.put("meta", meta);

        // 0. warm-up
        Map<String, Object> warm = new LinkedHashMap<>();
        if (o.warmupSeconds > 0) {
            say("warm-up: " + o.threads + " threads for " + o.warmupSeconds + " s (not counted) ...");
            CpuMeter cpu = new CpuMeter();
            double s = closedLoop(WARMUP, o.warmupSeconds, false);
            warm.put("cpu", cpu.stop());
            PhaseStats p = phases[WARMUP];
            warm.put("seconds", round(s));
            warm.put("answered_200", p.ok.sum());
            warm.put("non_200", p.non200Map());
            warm.put("offers", waitForOffers(p, o.drainSeconds));
        }
        result.put("warmup", warm);

        // 1. ceiling
        say("ceiling: bare persistent JMS sends to " + o.ceilingQueue + ", " + o.threads + " threads, "
                + o.ceilingWarmupSeconds + " s uncounted + " + o.seconds + " s ...");
        Map<String, Object> ceiling = ceiling();
        double ceilingRate = (Double) ceiling.remove("_rate");
        Summary ceilingLat = (Summary) ceiling.remove("_latency");
        result.put("ceiling", ceiling);
        if (o.asyncCeilingWindow > 0) {
            say("ceiling, asynchronous: " + o.threads + " threads with up to " + o.asyncCeilingWindow
                    + " persistent sends in flight each, " + o.ceilingWarmupSeconds + " s uncounted + " + o.seconds + " s ...");
            Map<String, Object> async = asyncCeiling();
            async.remove("_rate");
            Summary asyncLat = (Summary) async.remove("_latency");
            result.put("ceiling_async", async);
            say(String.format(Locale.ROOT, "ceiling, asynchronous: %,.0f sends/s (blocking: %,.0f/s), send to confirmation %s;"
                            + " %s; errors %d", (Double) async.get("sends_per_s"), ceilingRate, asyncLat.line(),
                    cpuLine(async.get("cpu")), (Long) async.get("send_errors")));
        }

        // 2. webhook throughput
        say("webhook throughput: " + o.threads + " threads for " + o.seconds + " s ...");
        PhaseStats tp = phases[THROUGHPUT];
        CpuMeter tpCpu = new CpuMeter();
        double tpHubCpu = hubCpuSeconds();
        double[] tpHubSplit = hubCpuSplit();
        Map<String, Double> tpSideCpu = sideCpuSeconds();
        double tpSeconds = closedLoop(THROUGHPUT, o.seconds, true);
        Map<String, Object> tpCpuUsed = tpCpu.stop();
        double answersPerSecond = tp.ok.sum() / tpSeconds;
        Summary tpLat = tp.answer.summary();
        say("waiting up to " + o.drainSeconds + " s for the offers ...");
        Map<String, Object> tpDrain = waitForOffers(tp, o.drainSeconds);
        Double tpCpuPerWebhook = cpuMsPerWebhook(tpHubCpu, tp.ok.sum());
        Map<String, Object> tpDepths = brokerDepths();
        Map<String, Object> throughput = new LinkedHashMap<>();
        throughput.put("threads", o.threads);
        throughput.put("seconds", round(tpSeconds));
        throughput.put("sent", tp.sent.sum());
        throughput.put("answered_200", tp.ok.sum());
        throughput.put("non_200", tp.non200Map());
        throughput.put("answers_per_s", round(answersPerSecond));
        throughput.put("answer_latency", tpLat.json());
        throughput.put("cpu", tpCpuUsed);
        throughput.put("hub_cpu_ms_per_webhook_end_to_end", tpCpuPerWebhook);
        throughput.put("hub_cpu_split_ms_per_webhook", cpuSplitMsPerWebhook(tpHubSplit, tp.ok.sum()));
        throughput.put("side_cpu_ms_per_webhook_end_to_end", sideCpuMsPerWebhook(tpSideCpu, tp.ok.sum()));
        result.put("webhook_throughput", throughput);

        // 3. fixed rate
        say("fixed rate: " + o.rate + "/s for " + o.rateSeconds + " s (open loop) ...");
        CpuMeter frCpu = new CpuMeter();
        double frHubCpu = hubCpuSeconds();
        double[] frHubSplit = hubCpuSplit();
        Map<String, Double> frSideCpu = sideCpuSeconds();
        Map<String, Object> fixed = fixedRate();
        fixed.put("cpu", frCpu.stop());
        PhaseStats fr = phases[FIXED_RATE];
        Summary frLat = fr.answer.summary();
        Summary frService = fr.service.summary();
        Summary frLag = fr.sendLag.summary();
        fixed.put("answer_latency_from_schedule", frLat.json());
        fixed.put("answer_latency_from_actual_send", frService.json());
        fixed.put("send_lag_behind_schedule", frLag.json());
        say("waiting up to " + o.drainSeconds + " s for the offers ...");
        Map<String, Object> frDrain = waitForOffers(fr, o.drainSeconds);
        fixed.put("hub_cpu_ms_per_webhook_end_to_end", cpuMsPerWebhook(frHubCpu, fr.ok.sum()));
        fixed.put("hub_cpu_split_ms_per_webhook", cpuSplitMsPerWebhook(frHubSplit, fr.ok.sum()));
        fixed.put("side_cpu_ms_per_webhook_end_to_end", sideCpuMsPerWebhook(frSideCpu, fr.ok.sum()));
        result.put("fixed_rate", fixed);

        stopConsumer = true;
        consumerThread.join(5_000);

        // Offers, matched by PSID; the final tally after both drains.
        Map<String, Object> offers = new LinkedHashMap<>();
        offers.put("queue", o.offerQueue);
        Map<String, Object>[] perPhase = new Map[3];
        for (int ph = 0; ph < 3; ph++) {
            long ok = 0;
            long okWithOffer = 0;
            long offerWithoutOk = 0;
            for (Sent s : sends.values()) {
                if (s.phase != ph) {
                    continue;
                }
                if (s.ok) {
                    ok++;
                    if (s.offered) {
                        okWithOffer++;
                    }
                } else if (s.offered) {
                    offerWithoutOk++;
                }
            }
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("answered_200", ok);
            pm.put("offers_received", phases[ph].offers.get());
            pm.put("answered_200_without_offer", ok - okWithOffer);
            pm.put("offers_for_non_200", offerWithoutOk);
            pm.put("post_to_offer_latency", phases[ph].offer.summary().json());
            perPhase[ph] = pm;
        }
        perPhase[THROUGHPUT].put("drain", tpDrain);
        perPhase[FIXED_RATE].put("drain", frDrain);
        offers.put("webhook_throughput", perPhase[THROUGHPUT]);
        offers.put("fixed_rate", perPhase[FIXED_RATE]);
        offers.put("warmup", perPhase[WARMUP]);
        offers.put("unknown_psid", unknownOffers.sum());
        offers.put("duplicates", duplicateOffers.sum());
        offers.put("other_messages", otherMessages.sum());
        if (consumerFailure != null) {
            offers.put("consumer_failure", consumerFailure.toString());
        }
        result.put("offers", offers);

        double ratio = ceilingRate > 0 ? 100.0 * answersPerSecond / ceilingRate : 0;
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("webhook_answers_per_s", round(answersPerSecond));
        verdict.put("ceiling_sends_per_s", round(ceilingRate));
        verdict.put("ratio_percent", round(ratio));
        verdict.put("ratio_target_percent", o.targetRatioPercent);
        verdict.put("ratio_met", ratio >= o.targetRatioPercent);
        verdict.put("fixed_rate_p99_ms", round(frLat.p99Ms()));
        verdict.put("fixed_rate_p99_target_ms", o.targetP99Ms);
        verdict.put("fixed_rate_p99_met", frLat.count() > 0 && frLat.p99Ms() < o.targetP99Ms
                && (Boolean) fixed.get("rate_achieved"));
        verdict.put("offers_match_200s", (Long) perPhase[THROUGHPUT].get("answered_200_without_offer") == 0
                && (Long) perPhase[FIXED_RATE].get("answered_200_without_offer") == 0);
        result.put("verdict", verdict);
        Map<String, Object> hubSide = new LinkedHashMap<>();
        hubSide.put("queue_depths_after_throughput_drain", tpDepths);
        hubSide.put("queue_depths_at_end", brokerDepths());
        hubSide.put("log_during_run", hubLog(logOffset));
        result.put("hub", hubSide);
        result.put("finished_at", Instant.now().toString());

        printReport(result, ceilingLat, tpLat, frLat, frService, frLag, perPhase);

        writeJson(result);
        return 0;
    }

    void writeJson(Map<String, Object> result) throws IOException {
        if (o.out != null) {
            Path out = Path.of(o.out);
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
            System.out.println("results: " + out);
        }
    }

    Map<String, Object> meta(Instant startedAt) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("started_at", startedAt.toString());
        meta.put("nproc", o.nproc != null ? o.nproc : String.valueOf(Runtime.getRuntime().availableProcessors()));
        meta.put("java_version", o.javaVersion != null ? o.javaVersion : System.getProperty("java.runtime.version"));
        meta.put("loadavg_before", o.loadAvg);
        meta.put("base_url", o.baseUrl);
        meta.put("webhook_url", o.webhookUrl);
        meta.put("broker_url", o.brokerUrl);
        meta.put("page_id", o.pageId);
        meta.put("offer_queue", o.offerQueue);
        meta.put("payload_bytes", payloadBytes);
        meta.put("latency_impl", Hdr.AVAILABLE ? "HdrHistogram" : "sorted arrays");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("threads", o.threads);
        settings.put("warmup_s", o.warmupSeconds);
        settings.put("seconds", o.seconds);
        settings.put("rate", o.rate);
        settings.put("rate_seconds", o.rateSeconds);
        settings.put("rate_workers", o.rateWorkers);
        settings.put("drain_timeout_s", o.drainSeconds);
        settings.put("ceiling_warmup_s", o.ceilingWarmupSeconds);
        settings.put("request_timeout_s", o.requestTimeoutSeconds);
        meta.put("settings", settings);
        return meta;
    }

    @SuppressWarnings("unchecked")
    void printReport(Map<String, Object> r, Summary ceilingLat, Summary tpLat, Summary frLat, Summary frService,
                     Summary frLag, Map<String, Object>[] perPhase) {
        Map<String, Object> meta = (Map<String, Object>) r.get("meta");
        Map<String, Object> warm = (Map<String, Object>) r.get("warmup");
        Map<String, Object> ceiling = (Map<String, Object>) r.get("ceiling");
        Map<String, Object> tp = (Map<String, Object>) r.get("webhook_throughput");
        Map<String, Object> fr = (Map<String, Object>) r.get("fixed_rate");
        Map<String, Object> offers = (Map<String, Object>) r.get("offers");
        Map<String, Object> v = (Map<String, Object>) r.get("verdict");
        Map<String, Object> hub = (Map<String, Object>) r.get("hub");
        Map<String, Object> drain = (Map<String, Object>) ceiling.get("drain");
        StringBuilder b = new StringBuilder();
        String rule = "-".repeat(100) + "\n";
        b.append('\n').append(rule);
        b.append("messenger-hub webhook benchmark   ").append(meta.get("started_at")).append('\n');
        b.append("machine: nproc=").append(meta.get("nproc")).append("  loadavg before: ")
                .append(meta.get("loadavg_before")).append("\njava:    ").append(meta.get("java_version")).append('\n');
        b.append(String.format(Locale.ROOT, "setup:   %d threads, warm-up %d s, phases %d s, fixed rate %d/s for %d s"
                        + " (%d workers), payload %d bytes, latencies via %s%n", o.threads, o.warmupSeconds, o.seconds,
                o.rate, o.rateSeconds, o.rateWorkers, payloadBytes, meta.get("latency_impl")));
        b.append(rule);
        if (!warm.isEmpty()) {
            b.append(String.format(Locale.ROOT, "warm-up            %s s, %d 200s, non-200: %s (not counted); %s%n",
                    warm.get("seconds"), (Long) warm.get("answered_200"), nonOk((Map<String, Long>) warm.get("non_200")),
                    drainLine((Map<String, Object>) warm.get("offers"))));
        }
        b.append(String.format(Locale.ROOT, "1 ceiling          %,.0f persistent JMS sends/s  (%d threads over TCP to %s,"
                        + " %s s, %d-byte BytesMessage, errors %d)%n", (Double) ceiling.get("sends_per_s"), o.threads,
                o.ceilingQueue, ceiling.get("seconds"), payloadBytes, (Long) ceiling.get("send_errors")));
        b.append("                   send latency ").append(ceilingLat.line()).append('\n');
        b.append("                   ").append(cpuLine(ceiling.get("cpu"))).append('\n');
        b.append(String.format(Locale.ROOT, "                   %s drained: %d of %d in %s%n", o.ceilingQueue,
                (Long) drain.get("drained"), (Long) drain.get("sent"), secs((Double) drain.get("drain_ms"))));
        b.append(String.format(Locale.ROOT, "2 webhook          %,.1f answers/s (200s)   %d threads, %s s: %d 200s, non-200: %s%n",
                (Double) tp.get("answers_per_s"), o.threads, tp.get("seconds"), (Long) tp.get("answered_200"),
                nonOk((Map<String, Long>) tp.get("non_200"))));
        b.append("                   answer latency ").append(tpLat.line()).append('\n');
        b.append("                   ").append(cpuLine(tp.get("cpu")))
                .append("; hub CPU per webhook, answer to offer: ").append(tp.get("hub_cpu_ms_per_webhook_end_to_end")).append(" ms")
                .append(splitLine(tp.get("hub_cpu_split_ms_per_webhook")))
                .append(sideLine(tp.get("side_cpu_ms_per_webhook_end_to_end"))).append('\n');
        offerLines(b, "3 POST->offer      ", perPhase[THROUGHPUT], phases[THROUGHPUT]);
        b.append(String.format(Locale.ROOT, "4 fixed rate       %d/s for %d s, open loop: %d sent, %d 200s, non-200: %s;"
                        + " achieved %,.1f/s -> rate %s%n", o.rate, o.rateSeconds, (Long) fr.get("sent"),
                (Long) fr.get("answered_200"), nonOk((Map<String, Long>) fr.get("non_200")),
                (Double) fr.get("achieved_rps"), (Boolean) fr.get("rate_achieved") ? "ACHIEVED" : "NOT achieved"));
        b.append("                   latency from schedule ").append(frLat.line()).append('\n');
        b.append("                   from actual send      ").append(frService.line()).append('\n');
        b.append("                   send lag behind sched ").append(frLag.line()).append('\n');
        b.append("                   ").append(cpuLine(fr.get("cpu")))
                .append("; hub CPU per webhook, answer to offer: ").append(fr.get("hub_cpu_ms_per_webhook_end_to_end")).append(" ms")
                .append(splitLine(fr.get("hub_cpu_split_ms_per_webhook")))
                .append(sideLine(fr.get("side_cpu_ms_per_webhook_end_to_end"))).append('\n');
        offerLines(b, "                   ", perPhase[FIXED_RATE], phases[FIXED_RATE]);
        b.append(rule);
        b.append(String.format(Locale.ROOT, "5 webhook/ceiling  %.1f %%   (%,.1f answers/s / %,.0f sends/s)   target >= %.0f %%   %s%n",
                (Double) v.get("ratio_percent"), (Double) v.get("webhook_answers_per_s"),
                (Double) v.get("ceiling_sends_per_s"), o.targetRatioPercent, (Boolean) v.get("ratio_met") ? "MET" : "MISSED"));
        b.append(String.format(Locale.ROOT, "  p99 at %d rps    %s   target < %.0f ms   %s%s%n", o.rate, ms(frLat.p99Ms()),
                o.targetP99Ms, (Boolean) v.get("fixed_rate_p99_met") ? "MET" : "MISSED",
                (Boolean) fr.get("rate_achieved") ? "" : " (rate not achieved)"));
        b.append(String.format(Locale.ROOT, "  offers == 200s   %s   (unknown PSIDs %d, duplicates %d, other messages %d)%n",
                (Boolean) v.get("offers_match_200s") ? "yes" : "NO", (Long) offers.get("unknown_psid"),
                (Long) offers.get("duplicates"), (Long) offers.get("other_messages")));
        b.append(rule);
        logLines(b, (Map<String, Object>) hub.get("log_during_run"));
        b.append("broker queue depths after the throughput drain: ").append(hub.get("queue_depths_after_throughput_drain"))
                .append('\n');
        b.append("broker queue depths at the end:                 ").append(hub.get("queue_depths_at_end")).append('\n');
        b.append(rule);
        System.out.print(b);
    }

    /** The hub log's summary: WARN and ERROR counts and the distinct messages. */
    @SuppressWarnings("unchecked")
    static void logLines(StringBuilder b, Map<String, Object> log) {
        b.append(String.format(Locale.ROOT, "hub log during the run: %s WARN, %s ERROR lines (\"Webhook NOT stored\" %s,"
                        + " dead-lettered %s)%n", log.get("warn_lines"), log.get("error_lines"),
                log.get("webhook_not_stored_lines"), log.get("dead_lettered_lines")));
        Object samples = log.get("distinct_messages");
        if (samples instanceof Map && !((Map<?, ?>) samples).isEmpty()) {
            ((Map<String, Long>) samples).forEach((k, n) -> b.append(String.format(Locale.ROOT, "   %6d x %s%n", n, k)));
        }
    }

    static String nonOk(Map<String, Long> m) {
        return m.isEmpty() ? "0" : m.toString();
    }

    static void say(String s) {
        System.out.println("[" + Instant.now().toString().substring(11, 19) + "] " + s);
    }

    static double round(double d) {
        return Math.round(d * 1000.0) / 1000.0;
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.2f ms" : "%.1f ms", v);
    }

    static String secs(double msValue) {
        return String.format(Locale.ROOT, "%.2f s", msValue / 1000.0);
    }
}
