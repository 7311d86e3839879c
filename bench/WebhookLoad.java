// Load generator for the messenger-hub webhook benchmark; see bench/README.md. Normally started by bench/run.sh:
//
//   java -cp <runtime classpath of the hub> bench/WebhookLoad.java --base-url http://127.0.0.1:8080 \
//        --broker-url tcp://127.0.0.1:61616 --secret bench-secret [--threads 8] [--seconds 20] [--rate 500] ...
//
// Phases, in this order: warm-up (webhook load, not counted), ceiling (bare persistent JMS sends to bench.ceiling),
// webhook throughput (closed loop), fixed rate (open loop). A JMS consumer on contact-center.offers.<queue> runs for
// the whole run and matches every offer to its POST by customerPsid.
//
// Single file, Java 17, no dependencies beyond the hub's own runtime classpath (Artemis JMS client, Jackson;
// HdrHistogram is used when it is on the classpath, otherwise sorted arrays of longs).

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

public class WebhookLoad {

    // ------------------------------------------------------------------------------------------------ options

    static final class Options {
        String baseUrl;
        String brokerUrl;
        String secret = "bench-secret";
        String pageId = "100000000000001";
        String offerQueue = "contact-center.offers.general";
        String ceilingQueue = "bench.ceiling";
        String text = "Hello, I have a question about my order";
        int threads = 8;
        int warmupSeconds = 5;
        int seconds = 20;
        int rate = 500;
        int rateSeconds = 15;
        int rateWorkers = 0;          // 0: max(64, 4 * threads)
        int drainSeconds = 30;
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
        int clockTicks = 100;

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
                    case "--base-url": o.baseUrl = v; break;
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
                    case "--ceiling-warmup": o.ceilingWarmupSeconds = intIn(a, v, 0, 600); break;
                    case "--ceiling-drain-seconds": o.ceilingDrainSeconds = intIn(a, v, 1, 3600); break;
                    case "--timeout": o.requestTimeoutSeconds = intIn(a, v, 1, 300); break;
                    case "--out": o.out = v; break;
                    case "--hub-log": o.hubLog = v; break;
                    case "--nproc": o.nproc = v; break;
                    case "--java-version": o.javaVersion = v; break;
                    case "--loadavg": o.loadAvg = v; break;
                    case "--hub-pid": o.hubPid = Long.parseLong(v); break;
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
            Matcher broker = Pattern.compile("^tcp://([^:/?]+):(\\d+)([/?].*)?$").matcher(o.brokerUrl);
            if (!broker.matches() || !isLoopback(broker.group(1))) {
                usage("--broker-url must be tcp://127.0.0.1:<port> (got " + o.brokerUrl + ")");
            }
            if (o.rateWorkers == 0) {
                o.rateWorkers = Math.max(64, 4 * o.threads);
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
                    + " --broker-url tcp://127.0.0.1:<port> [--secret S] [--threads 8] [--warmup 5] [--seconds 20]"
                    + " [--rate 500] [--rate-seconds 15] [--rate-workers N] [--drain-seconds 30] [--ceiling-warmup 1]"
                    + " [--timeout 10] [--out results.json] [--hub-log hub.log]");
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
    static final String[] PHASE_NAMES = {"warmup", "webhook_throughput", "fixed_rate"};

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
    final PhaseStats[] phases = {new PhaseStats(PHASE_NAMES[0]), new PhaseStats(PHASE_NAMES[1]),
            new PhaseStats(PHASE_NAMES[2])};
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
        this.webhook = URI.create(o.baseUrl.replaceAll("/+$", "") + "/webhooks/facebook");
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
     * Sends one signed webhook. Returns the status, or -1 for an I/O error, -2 for a timeout; 200 only with the body
     * EVENT_RECEIVED. The Sent is registered before the request leaves.
     */
    int post(HttpClient client, Mac mac, int phase, long sentNanosOverride) throws InterruptedException {
        long n = seq.getAndIncrement();
        byte[] body = payload(n);
        HttpRequest request = HttpRequest.newBuilder(webhook)
                .timeout(Duration.ofSeconds(o.requestTimeoutSeconds))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", signature(mac, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        Sent sent = new Sent(phase, sentNanosOverride != 0 ? sentNanosOverride : System.nanoTime());
        sends.put(n, sent);
        PhaseStats p = phases[phase];
        p.sent.increment();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 200 && "EVENT_RECEIVED".equals(response.body())) {
                sent.ok = true;
                p.ok.increment();
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
        long target = p.ok.sum();
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
                        long t0 = System.nanoTime();
                        int status = post(client, mac, phase, t0);
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

    /**
     * Open loop: request i is due at start + i/R. A pool of workers claims the next index, waits for its due time,
     * sends, and records the latency from the due time, so a slow answer that delays later sends is not hidden.
     */
    Map<String, Object> fixedRate() throws InterruptedException {
        PhaseStats p = phases[FIXED_RATE];
        long total = (long) o.rate * o.rateSeconds;
        double interval = 1e9 / o.rate;
        AtomicLong next = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        HttpClient client = newClient();                       // one client, its connection pool grows as needed
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        long hardEnd = start + TimeUnit.SECONDS.toNanos(o.rateSeconds + o.requestTimeoutSeconds + 10L);
        p.startNanos = start;
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < o.rateWorkers; i++) {
            Shard answer = p.answer.shard();
            Shard service = p.service.shard();
            Shard lag = p.sendLag.shard();
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
                        long sentAt = System.nanoTime();
                        lag.record(sentAt - due);
                        int status = post(client, mac, FIXED_RATE, sentAt);
                        long done = System.nanoTime();
                        lastAnswer.accumulateAndGet(done, Math::max);
                        if (status == 200) {
                            answer.record(done - due);
                            service.record(done - sentAt);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "fixed-rate-" + i);
            workers.add(t);
            t.start();
        }
        joinAll(workers, hardEnd + TimeUnit.SECONDS.toNanos(5));
        p.loadEndNanos = System.nanoTime();
        double elapsed = Math.max(o.rateSeconds, (lastAnswer.get() - start) / 1e9);
        long ok = p.ok.sum();
        double achieved = ok / elapsed;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target_rps", o.rate);
        m.put("seconds", o.rateSeconds);
        m.put("workers", o.rateWorkers);
        m.put("scheduled", total);
        m.put("sent", p.sent.sum());
        m.put("answered_200", ok);
        m.put("non_200", p.non200Map());
        m.put("elapsed_s_until_last_answer", round(elapsed));
        m.put("achieved_rps", round(achieved));
        m.put("rate_achieved", achieved >= 0.99 * o.rate && p.sent.sum() == total);
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
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (JMSException ignored) {
                    // best effort
                }
            }
        }
        double measured = (Math.max(System.nanoTime(), end) - countFrom) / 1e9;
        measured = Math.max(measured, seconds);
        double rate = counted.sum() / measured;
        Summary lat = latencies.summary();

        Map<String, Object> cpu = meter.stop();
        Map<String, Object> drain = drainCeiling(total.sum());

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queue", o.ceilingQueue);
        m.put("threads", o.threads);
        m.put("message_bytes", body.length);
        m.put("uncounted_warmup_s", o.ceilingWarmupSeconds);
        m.put("seconds", round(measured));
        m.put("sends_counted", counted.sum());
        m.put("sends_total", total.sum());
        m.put("send_errors", errors.sum());
        m.put("sends_per_s", round(rate));
        m.put("send_latency", lat.json());
        m.put("cpu", cpu);
        m.put("drain", drain);
        m.put("_rate", rate);
        m.put("_latency", lat);
        return m;
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
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (JMSException ignored) {
                    // best effort
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sent", expected);
        m.put("drained", drained.get());
        m.put("complete", drained.get() >= expected);
        m.put("drain_ms", round((System.nanoTime() - start) / 1e6));
        return m;
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

    // ------------------------------------------------------------------------------------------------ cpu

    /** CPU seconds (user + system) of a process from /proc/<pid>/stat, or -1 when it cannot be read. */
    double cpuSeconds(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) o.clockTicks;
        } catch (Exception e) {
            return -1;
        }
    }

    double hubCpuSeconds() {
        return o.hubPid > 0 ? cpuSeconds(String.valueOf(o.hubPid)) : -1;
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
            HttpClient client = newClient();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                            URI.create(o.baseUrl.replaceAll("/+$", "") + "/actuator/prometheus"))
                    .header("Authorization", "Bearer " + System.getenv().getOrDefault("HUB_OPERATOR_TOKENS", "bench-operator-token").split(",")[0].trim())
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
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
        } catch (Exception e) {
            m.put("error", e.toString());
        }
        return m;
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

        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("started_at", startedAt.toString());
        meta.put("nproc", o.nproc != null ? o.nproc : String.valueOf(Runtime.getRuntime().availableProcessors()));
        meta.put("java_version", o.javaVersion != null ? o.javaVersion : System.getProperty("java.runtime.version"));
        meta.put("loadavg_before", o.loadAvg);
        meta.put("base_url", o.baseUrl);
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

        // 2. webhook throughput
        say("webhook throughput: " + o.threads + " threads for " + o.seconds + " s ...");
        PhaseStats tp = phases[THROUGHPUT];
        CpuMeter tpCpu = new CpuMeter();
        double tpHubCpu = hubCpuSeconds();
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
        result.put("webhook_throughput", throughput);

        // 3. fixed rate
        say("fixed rate: " + o.rate + "/s for " + o.rateSeconds + " s (open loop) ...");
        CpuMeter frCpu = new CpuMeter();
        double frHubCpu = hubCpuSeconds();
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

        if (o.out != null) {
            Path out = Path.of(o.out);
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
            System.out.println("results: " + out);
        }
        return 0;
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
                .append("; hub CPU per webhook, answer to offer: ").append(tp.get("hub_cpu_ms_per_webhook_end_to_end")).append(" ms\n");
        offerLines(b, "3 POST->offer      ", perPhase[THROUGHPUT], phases[THROUGHPUT]);
        b.append(String.format(Locale.ROOT, "4 fixed rate       %d/s for %d s, open loop: %d sent, %d 200s, non-200: %s;"
                        + " achieved %,.1f/s -> rate %s%n", o.rate, o.rateSeconds, (Long) fr.get("sent"),
                (Long) fr.get("answered_200"), nonOk((Map<String, Long>) fr.get("non_200")),
                (Double) fr.get("achieved_rps"), (Boolean) fr.get("rate_achieved") ? "ACHIEVED" : "NOT achieved"));
        b.append("                   latency from schedule ").append(frLat.line()).append('\n');
        b.append("                   from actual send      ").append(frService.line()).append('\n');
        b.append("                   send lag behind sched ").append(frLag.line()).append('\n');
        b.append("                   ").append(cpuLine(fr.get("cpu")))
                .append("; hub CPU per webhook, answer to offer: ").append(fr.get("hub_cpu_ms_per_webhook_end_to_end")).append(" ms\n");
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
        Map<String, Object> log = (Map<String, Object>) hub.get("log_during_run");
        b.append(String.format(Locale.ROOT, "hub log during the run: %s WARN, %s ERROR lines (\"Webhook NOT stored\" %s,"
                        + " dead-lettered %s)%n", log.get("warn_lines"), log.get("error_lines"),
                log.get("webhook_not_stored_lines"), log.get("dead_lettered_lines")));
        Object samples = log.get("distinct_messages");
        if (samples instanceof Map && !((Map<?, ?>) samples).isEmpty()) {
            ((Map<String, Long>) samples).forEach((k, n) -> b.append(String.format(Locale.ROOT, "   %6d x %s%n", n, k)));
        }
        b.append("broker queue depths after the throughput drain: ").append(hub.get("queue_depths_after_throughput_drain"))
                .append('\n');
        b.append("broker queue depths at the end:                 ").append(hub.get("queue_depths_at_end")).append('\n');
        b.append(rule);
        System.out.print(b);
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
