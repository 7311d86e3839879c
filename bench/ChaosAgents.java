// The agents of the chaos run (bench/README.md, section "Chaos test on the cluster harness"). Compiled by
// bench/chaos-test.sh together with ChaosTest.java, CrashTest.java and the hub's own client,
// src/main/java/io/messengerhub/client/AgentClient.java.
//
// Each agent logs in with AgentClient over the brokers' HA URL (as the hubs do), sets itself AVAILABLE, accepts every
// offer, holds the conversation a random 0.5-2 s, ends it, waits for the answer, closes it, and so frees its capacity
// for the next. Everything it receives and sends is recorded with its time; afterwards the checks: no conversation
// with two agents, none assigned twice, none that its agent could not close.

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.client.AgentClient;

/** The chaos run's agents: their clients, everything they receive, and the checks of their work. */
final class ChaosAgents {

    /** A demo agent of config/agents.yaml (queues general and more), which the standalone broker asks a hub for. */
    record Login(String id, String password, int capacity) {
    }

    static final List<Login> DEMO = List.of(new Login("anna", "demo-anna", 3), new Login("ben", "demo-ben", 2));

    /** A command without an answer after this long is counted as timed out (and an end or close goes on). */
    static final long COMMAND_TIMEOUT_MS = 20_000;
    /** Close commands per conversation: the first and the re-sends after a timeout or a failed send. */
    static final int CLOSE_ATTEMPTS = 6;
    static final int HOLD_MIN_MS = 500;
    static final int HOLD_MAX_MS = 2_000;

    enum Stage { OFFERED, ACCEPTING, HOLDING, ENDING, CLOSING, CLOSED, CLOSE_REFUSED, CLOSE_GAVE_UP }

    /** What one agent knows of one conversation. */
    static final class Conv {
        final String id;
        String psid;
        Stage stage = Stage.OFFERED;
        boolean leftover;                            // held from before the run (conversation.list at the start)
        final Set<String> assignedAts = new LinkedHashSet<>();   // distinct conversation.assigned messages (their `at`)
        long assignedNanos;
        final List<Long> offeredNanos = new ArrayList<>();
        long closedNanos;
        int closeAttempts;
        String closeRefusal;
        String endOutcome;

        Conv(String id) {
            this.id = id;
        }
    }

    /** A command sent and not answered yet. */
    static final class Pending {
        final String requestId;
        final String command;
        final String conversationId;
        final long sentNanos;
        boolean timedOut;
        long answeredNanos;

        Pending(String requestId, String command, String conversationId, long sentNanos) {
            this.requestId = requestId;
            this.command = command;
            this.conversationId = conversationId;
            this.sentNanos = sentNanos;
        }
    }

    /** Per command: sent, answered ok, refused, timed out, answered after its timeout, sends that failed. */
    static final class Tally {
        long sent;
        long ok;
        long refused;
        long timedOut;
        long late;
        long sendFailed;

        Map<String, Object> map() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sent", sent);
            m.put("ok", ok);
            m.put("refused", refused);
            m.put("timed_out", timedOut);
            m.put("answered_late", late);
            m.put("send_failed", sendFailed);
            return m;
        }
    }

    /** One agent's client and its work; every field but the volatile ones is touched on its worker thread only. */
    final class Agent {
        final Login login;
        final ScheduledExecutorService worker;
        final Random rnd;
        AgentClient client;
        volatile boolean stopping;
        volatile boolean available;
        volatile String connectError;
        final List<Long> received = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Conv> convs = new LinkedHashMap<>();
        final Map<String, Pending> pending = new HashMap<>();
        final Map<String, Pending> answered = new HashMap<>();
        final Map<String, Tally> tallies = new TreeMap<>();
        final Map<String, Long> receivedByType = new TreeMap<>();
        final Map<String, Long> refusals = new TreeMap<>();
        final Map<String, Long> withdrawn = new TreeMap<>();
        final List<String> sendErrors = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        long offers;
        long offersRejectedAtEnd;
        long assignedDeliveredTwice;      // the same conversation.assigned message (same `at`) delivered again
        final Map<String, Long> answersTwice = new TreeMap<>();   // per command: a further command.result for a requestId
        final List<long[]> againAt = new ArrayList<>();             // {first answer, further answer} of those
        long unknownAnswers;
        long leftovers;

        Agent(Login login, long seed) {
            this.login = login;
            this.rnd = new Random(seed);
            this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "agent-" + login.id());
                t.setDaemon(true);
                return t;
            });
        }

        void start() {
            // What waited in the inbox arrives as soon as the client connects: the worker waits for the client.
            CountDownLatch connected = new CountDownLatch(1);
            worker.execute(() -> {
                try {
                    connected.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                client = AgentClient.connect(brokerUrl, login.id(), login.password(), message -> {
                    long at = System.nanoTime();
                    received.add(at);
                    worker.execute(() -> onMessage(message, at));
                });
            } catch (Exception e) {
                connectError = e.toString();
                return;
            } finally {
                connected.countDown();
            }
            worker.scheduleWithFixedDelay(this::checkTimeouts, 1, 1, TimeUnit.SECONDS);
            // What it still holds from an earlier run is closed first (not counted), then it takes work.
            worker.execute(() -> command("conversation.list", null, Map.of()));
        }

        // ---------------------------------------------------------------------------------------------- receiving

        void onMessage(JsonNode m, long at) {
            String type = m.path("type").asText("");
            receivedByType.merge(type, 1L, Long::sum);
            switch (type) {
                case "conversation.offered" -> {
                    offers++;
                    String offerId = m.path("offerId").asText();
                    Conv c = conv(m.path("conversationId").asText());
                    c.psid = m.path("customerPsid").asText(null);
                    c.offeredNanos.add(at);
                    log(at, "in", type, c.id, "offerId", offerId);
                    if (stopping) {
                        offersRejectedAtEnd++;
                        command("offer.reject", c.id, Map.of("offerId", offerId));
                    } else {
                        if (c.stage == Stage.OFFERED) {
                            c.stage = Stage.ACCEPTING;
                        }
                        command("offer.accept", c.id, Map.of("offerId", offerId));
                    }
                }
                case "conversation.assigned" -> {
                    JsonNode conversation = m.path("conversation");
                    Conv c = conv(conversation.path("id").asText());
                    c.psid = conversation.path("customerPsid").asText(c.psid);
                    String when = m.path("at").asText("");
                    log(at, "in", type, c.id, "at", when);
                    if (!c.assignedAts.add(when)) {
                        assignedDeliveredTwice++;
                        return;
                    }
                    if (c.assignedAts.size() > 1) {
                        notes.add("conversation " + c.id + " assigned again at " + when + " (stage " + c.stage + ")");
                        if (c.stage == Stage.CLOSED) {
                            return;
                        }
                    }
                    c.assignedNanos = at;
                    c.stage = Stage.HOLDING;
                    long hold = HOLD_MIN_MS + rnd.nextInt(HOLD_MAX_MS - HOLD_MIN_MS + 1);
                    worker.schedule(() -> end(c), hold, TimeUnit.MILLISECONDS);
                }
                case "command.result" -> onResult(m, at);
                case "offer.withdrawn" -> {
                    withdrawn.merge(m.path("reason").asText("?"), 1L, Long::sum);
                    log(at, "in", type, m.path("conversationId").asText(null), "reason", m.path("reason").asText(null));
                }
                default -> log(at, "in", type, m.path("conversationId").asText(null), null, null);
            }
        }

        void onResult(JsonNode m, long at) {
            String requestId = m.path("requestId").asText("");
            String commandType = m.path("command").asText("");
            boolean ok = m.path("ok").asBoolean(false);
            String reason = m.path("reason").asText(null);
            Pending p = pending.remove(requestId);
            Pending before = answered.get(requestId);
            log(at, "in", "command.result", p != null ? p.conversationId : before != null ? before.conversationId : null,
                    "result", commandType + " " + (ok ? "ok" : "refused: " + reason) + " " + requestId);
            if (p == null) {
                if (before == null) {
                    unknownAnswers++;
                    return;
                }
                // A command carried out again after a fault (its first run committed, the broker delivered it again):
                // two answers, in either order, since the first run's answer may wait in the hub's outbox. A close
                // answered ok by either counts.
                answersTwice.merge(before.command, 1L, Long::sum);
                againAt.add(new long[] {before.answeredNanos, at});
                notes.add(before.command + " " + requestId + " answered again: " + (ok ? "ok" : "refused: " + reason));
                Conv c = before.conversationId == null ? null : convs.get(before.conversationId);
                if (ok && before.command.equals("conversation.close") && c != null && c.stage != Stage.CLOSED) {
                    c.stage = Stage.CLOSED;
                    c.closedNanos = at;
                    c.closeRefusal = null;
                }
                return;
            }
            answered.put(requestId, p);
            p.answeredNanos = at;
            Tally t = tally(p.command);
            if (ok) {
                t.ok++;
            } else {
                t.refused++;
                refusals.merge(p.command + ": " + maskIds(reason), 1L, Long::sum);
            }
            if (p.timedOut) {
                t.late++;
            }
            Conv c = p.conversationId == null ? null : convs.get(p.conversationId);
            switch (p.command) {
                case "conversation.list" -> {
                    if (!p.timedOut) {
                        for (JsonNode held : m.path("conversations")) {
                            Conv left = conv(held.path("id").asText());
                            left.leftover = true;
                            left.psid = held.path("customerPsid").asText(null);
                            leftovers++;
                            closeNow(left);
                        }
                        setAvailable();
                    }
                }
                case "presence.set" -> {
                    if (ok && !stopping) {
                        available = true;
                    }
                }
                case "offer.accept" -> {
                    if (!ok && c != null && c.stage == Stage.ACCEPTING) {
                        c.stage = Stage.OFFERED;
                    }
                }
                case "conversation.end" -> {
                    c.endOutcome = ok ? "ok" : "refused: " + reason;
                    if (c.stage == Stage.ENDING) {
                        closeNow(c);
                    }
                }
                case "conversation.close" -> {
                    if (ok) {
                        c.stage = Stage.CLOSED;
                        c.closedNanos = at;
                        c.closeRefusal = null;
                    } else if (c.stage != Stage.CLOSED) {
                        // Refused means the hub will not close it for this agent now (not its, or not from its state);
                        // a close answered ok later (an earlier attempt's late answer) still counts.
                        c.closeRefusal = reason;
                        if (!hasPendingClose(c)) {
                            c.stage = Stage.CLOSE_REFUSED;
                        }
                    }
                }
                default -> {
                }
            }
        }

        // ---------------------------------------------------------------------------------------------- acting

        void setAvailable() {
            if (!stopping) {
                command("presence.set", null, Map.of("presence", "AVAILABLE"));
            }
        }

        void end(Conv c) {
            if (c.stage != Stage.HOLDING) {
                return;
            }
            c.stage = Stage.ENDING;
            if (command("conversation.end", c.id, Map.of("conversationId", c.id)) == null) {
                closeNow(c);
            }
        }

        void closeNow(Conv c) {
            if (c.stage == Stage.CLOSED) {
                return;
            }
            c.stage = Stage.CLOSING;
            c.closeAttempts++;
            if (command("conversation.close", c.id, Map.of("conversationId", c.id)) == null) {
                retryCloseLater(c);
            }
        }

        void retryCloseLater(Conv c) {
            if (c.closeAttempts < CLOSE_ATTEMPTS) {
                worker.schedule(() -> {
                    if (c.stage == Stage.CLOSING && !hasPendingClose(c)) {
                        closeNow(c);
                    }
                }, 2, TimeUnit.SECONDS);
            } else if (!hasPendingClose(c)) {
                c.stage = Stage.CLOSE_GAVE_UP;
            }
        }

        boolean hasPendingClose(Conv c) {
            return pending.values().stream().anyMatch(p -> !p.timedOut && p.command.equals("conversation.close")
                    && c.id.equals(p.conversationId));
        }

        /** Sends a command and remembers it; null when the send itself failed (counted). */
        String command(String type, String conversationId, Map<String, ?> fields) {
            Tally t = tally(type);
            t.sent++;
            long at = System.nanoTime();
            try {
                String requestId = client.send(type, fields);
                pending.put(requestId, new Pending(requestId, type, conversationId, at));
                log(at, "out", type, conversationId, "requestId", requestId);
                return requestId;
            } catch (Exception e) {
                t.sendFailed++;
                if (sendErrors.size() < 20) {
                    sendErrors.add(Instant.now() + " " + type + " " + e);
                }
                log(at, "out", type, conversationId, "send_failed", e.toString());
                return null;
            }
        }

        /** Once a second: commands without an answer for COMMAND_TIMEOUT_MS are counted, and the work goes on. */
        void checkTimeouts() {
            long now = System.nanoTime();
            for (Pending p : new ArrayList<>(pending.values())) {
                if (p.timedOut || now - p.sentNanos < TimeUnit.MILLISECONDS.toNanos(COMMAND_TIMEOUT_MS)) {
                    continue;
                }
                p.timedOut = true;
                tally(p.command).timedOut++;
                log(now, "timeout", p.command, p.conversationId, "requestId", p.requestId);
                Conv c = p.conversationId == null ? null : convs.get(p.conversationId);
                switch (p.command) {
                    case "conversation.list" -> setAvailable();
                    case "presence.set" -> {
                        if (!stopping && !available) {
                            setAvailable();
                        }
                    }
                    case "conversation.end" -> {
                        if (c.stage == Stage.ENDING) {
                            closeNow(c);   // close works from Active too
                        }
                    }
                    case "conversation.close" -> {
                        if (c.stage == Stage.CLOSING) {
                            retryCloseLater(c);
                        }
                    }
                    default -> {
                    }
                }
            }
        }

        /** Whether nothing is under way: no conversation between assignment and a settled close, no accept unanswered. */
        boolean settled() {
            for (Conv c : convs.values()) {
                if (c.stage == Stage.HOLDING || c.stage == Stage.ENDING || c.stage == Stage.CLOSING) {
                    return false;
                }
            }
            return pending.values().stream().noneMatch(p -> !p.timedOut && (p.command.equals("offer.accept")
                    || p.command.equals("presence.set")));
        }

        Conv conv(String id) {
            return convs.computeIfAbsent(id, Conv::new);
        }

        Tally tally(String command) {
            return tallies.computeIfAbsent(command, k -> new Tally());
        }

        void log(long nanos, String direction, String type, String conversationId, String key, String value) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("at", Instant.now().minusNanos(System.nanoTime() - nanos).toString());
            line.put("agent", login.id());
            line.put("dir", direction);
            line.put("type", type);
            if (conversationId != null) {
                line.put("conversationId", conversationId);
            }
            if (key != null) {
                line.put(key, value);
            }
            writeLog(line);
        }
    }

    // -------------------------------------------------------------------------------------------------- the agents

    final String brokerUrl;
    final String psidPrefix;
    final Path logFile;
    final List<Agent> agents = new ArrayList<>();
    final ObjectMapper json = new ObjectMapper();
    BufferedWriter logWriter;
    long origin;                                  // the load's start: times in the checks are seconds since then
    long startedNanos;
    long stopRequestedNanos;     // from then on no offers are taken: the gaps are measured until it
    long stoppedNanos;

    ChaosAgents(int count, String brokerUrl, String psidPrefix, long seed, Path logFile) {
        if (count > DEMO.size()) {
            throw new IllegalArgumentException("at most " + DEMO.size() + " agents (the demo logins anna and ben)");
        }
        this.brokerUrl = brokerUrl;
        this.psidPrefix = psidPrefix;
        this.logFile = logFile;
        for (int i = 0; i < count; i++) {
            agents.add(new Agent(DEMO.get(i), seed * 13 + i));
        }
    }

    List<String> ids() {
        return agents.stream().map(a -> a.login.id()).toList();
    }

    /** Logs the agents in; returns once each is AVAILABLE (or throws after 60 s). */
    void start() throws Exception {
        logWriter = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        startedNanos = System.nanoTime();
        for (Agent a : agents) {
            a.start();
            if (a.connectError != null) {
                throw new IllegalStateException("agent " + a.login.id() + " could not log in at " + brokerUrl + ": " + a.connectError);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Agent a : agents) {
            while (!a.available) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("agent " + a.login.id() + " is not AVAILABLE after 60 s");
                }
                Thread.sleep(100);
            }
        }
        CrashTest.say("agents " + ids() + " logged in at " + brokerUrl + " and AVAILABLE");
    }

    /**
     * Ends the agents' work: offers from now on are rejected, presence OFFLINE, and what they hold is ended and closed
     * (at most 150 s); then the clients log out.
     */
    void stop() throws Exception {
        stopRequestedNanos = System.nanoTime();
        for (Agent a : agents) {
            a.stopping = true;
            onWorker(a, () -> a.command("presence.set", null, Map.of("presence", "OFFLINE")));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        for (Agent a : agents) {
            while (!onWorker(a, a::settled) && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
        }
        // Late answers to what timed out still count; give them a moment.
        Thread.sleep(3_000);
        stoppedNanos = System.nanoTime();
        for (Agent a : agents) {
            onWorker(a, () -> {
                try {
                    a.client.close();
                } catch (Exception e) {
                    a.notes.add("closing the client: " + e);
                }
                return null;
            });
            a.worker.shutdown();
            a.worker.awaitTermination(10, TimeUnit.SECONDS);
        }
        synchronized (this) {
            logWriter.close();
        }
        CrashTest.say("agents " + ids() + " logged out");
    }

    static <T> T onWorker(Agent a, Callable<T> work) throws Exception {
        return a.worker.submit(work).get(30, TimeUnit.SECONDS);
    }

    static void onWorker(Agent a, Runnable work) throws Exception {
        a.worker.submit(work).get(30, TimeUnit.SECONDS);
    }

    synchronized void writeLog(Map<String, Object> line) {
        try {
            if (logWriter != null) {
                logWriter.write(json.writeValueAsString(line));
                logWriter.newLine();
            }
        } catch (IOException e) {
            // the log is evidence, not a check: the figures are kept in memory
        }
    }

    static String maskIds(String reason) {
        return reason == null ? "null" : reason.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>");
    }

    // -------------------------------------------------------------------------------------------------- checks

    /**
     * The agents' figures and checks. faults: the run's faults with at_nanos; open: the monitor's samples of Open
     * conversations (seconds since loadStartNanos, count; -1 unknown).
     */
    Map<String, Object> check(Connection db, List<Map<String, Object>> faults, List<double[]> open, long loadStartNanos)
            throws SQLException {
        origin = loadStartNanos;
        Set<String> ours = new HashSet<>(ids());
        // Client side: conversation -> agents that were told conversation.assigned.
        Map<String, Set<String>> assignedTo = new TreeMap<>();
        List<String> twoAgents = new ArrayList<>();
        List<String> assignedTwice = new ArrayList<>();
        List<String> notClosed = new ArrayList<>();
        Map<String, Object> perAgent = new LinkedHashMap<>();
        for (Agent a : agents) {
            long assigned = 0;
            long closed = 0;
            long accepted = a.tallies.getOrDefault("offer.accept", new Tally()).ok;
            for (Conv c : a.convs.values()) {
                if (!isRun(c) || c.assignedAts.isEmpty()) {
                    continue;
                }
                assigned++;
                assignedTo.computeIfAbsent(c.id, k -> new TreeSet<>()).add(a.login.id());
                if (c.assignedAts.size() > 1) {
                    assignedTwice.add(c.id + " to " + a.login.id() + " x" + c.assignedAts.size() + " " + c.assignedAts);
                }
                if (c.stage == Stage.CLOSED) {
                    closed++;
                } else {
                    notClosed.add(c.id + " (" + a.login.id() + ", " + c.stage + ", end " + c.endOutcome + ", close attempts "
                            + c.closeAttempts + (c.closeRefusal == null ? "" : ", refused: " + c.closeRefusal) + ")");
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("capacity", a.login.capacity());
            m.put("offers_received", a.offers);
            m.put("offers_accepted", accepted);
            m.put("offers_rejected_at_the_end", a.offersRejectedAtEnd);
            m.put("conversations_assigned", assigned);
            m.put("conversations_closed", closed);
            m.put("leftovers_from_earlier_runs_closed", a.leftovers);
            long failures = 0;
            long timeouts = 0;
            for (Tally t : a.tallies.values()) {
                failures += t.refused + t.sendFailed;
                timeouts += t.timedOut;
            }
            m.put("command_failures", failures);
            m.put("command_timeouts", timeouts);
            Map<String, Object> commands = new TreeMap<>();
            a.tallies.forEach((k, t) -> commands.put(k, t.map()));
            m.put("commands", commands);
            m.put("refusals", a.refusals);
            m.put("offers_withdrawn", a.withdrawn);
            m.put("received_by_type", a.receivedByType);
            m.put("assigned_delivered_twice", a.assignedDeliveredTwice);
            m.put("answered_again_by_command", a.answersTwice);
            m.put("answered_again_after_fault", againAfterFaults(a, faults));
            m.put("answers_unknown", a.unknownAnswers);
            m.put("send_errors_sample", a.sendErrors);
            m.put("notes", a.notes.subList(0, Math.min(20, a.notes.size())));
            m.put("longest_gap_while_work_waited", longestGap(a, faults, open));
            m.put("held_across_faults", heldAcrossFaults(a, faults));
            perAgent.put(a.login.id(), m);
        }
        assignedTo.forEach((id, who) -> {
            if (who.size() > 1) {
                twoAgents.add(id + " " + who);
            }
        });
        // An offer of a conversation some agent had already been assigned (nothing released it in this run).
        List<String> offeredAfterAssigned = new ArrayList<>();
        for (Agent a : agents) {
            for (Conv c : a.convs.values()) {
                if (!isRun(c)) {
                    continue;
                }
                for (long offered : c.offeredNanos) {
                    for (Agent holder : agents) {
                        Conv h = holder.convs.get(c.id);
                        if (h != null && !h.assignedAts.isEmpty() && h.assignedNanos < offered) {
                            offeredAfterAssigned.add(c.id + " offered to " + a.login.id() + " "
                                    + CrashTest.round((offered - h.assignedNanos) / 1e9) + " s after " + holder.login.id()
                                    + " was assigned it");
                        }
                    }
                }
            }
        }

        // Database side: accepted offers of the run's conversations, and what the agents still hold at the end.
        String run = "c.customer_psid like '" + psidPrefix + "%'";
        List<String> dbTwoAgents = list(db, "select o.conversation_id, string_agg(o.agent_id, ',') from conversation_offer o"
                + " join conversation c on c.id = o.conversation_id where " + run + " and o.state = 'ACCEPTED'"
                + " group by o.conversation_id having count(distinct o.agent_id) > 1");
        List<String> dbAcceptedTwice = list(db, "select o.conversation_id, o.agent_id || ' x' || count(*) from conversation_offer o"
                + " join conversation c on c.id = o.conversation_id where " + run + " and o.state = 'ACCEPTED'"
                + " group by o.conversation_id, o.agent_id having count(*) > 1");
        List<String> dbOfferedAfterAccepted = list(db, "select o.conversation_id, o.agent_id || ' offered at ' || o.offered_at"
                + " || ', ' || a.agent_id || ' had accepted it at ' || a.decided_at || ', offer ' || o.state"
                + " from conversation_offer a join conversation_offer o on o.conversation_id = a.conversation_id and o.id <> a.id"
                + " join conversation c on c.id = a.conversation_id where " + run + " and a.state = 'ACCEPTED'"
                + " and o.offered_at > a.decided_at");
        List<String> dbHeld = list(db, "select c.id, c.agent_id || ' ' || c.state from conversation c where " + run
                + " and c.agent_id is not null and c.state <> 'CLOSED'");
        Map<String, String> dbAccepted = new HashMap<>();
        for (String row : list(db, "select o.conversation_id, o.agent_id from conversation_offer o join conversation c on"
                + " c.id = o.conversation_id where " + run + " and o.state = 'ACCEPTED'")) {
            String[] f = row.split(" ", 2);
            dbAccepted.put(f[0], f[1]);
        }
        Map<String, Long> dbStates = new TreeMap<>();
        for (String row : list(db, "select c.state, count(*) from conversation c where " + run + " group by c.state")) {
            String[] f = row.split(" ", 2);
            dbStates.put(f[0], Long.parseLong(f[1]));
        }
        List<String> acceptedNeverTold = new ArrayList<>();
        dbAccepted.forEach((id, agent) -> {
            if (ours.contains(agent) && !assignedTo.getOrDefault(id, Set.of()).contains(agent)) {
                acceptedNeverTold.add(id + " (" + agent + ")");
            }
        });
        List<String> toldNotAccepted = new ArrayList<>();
        Set<String> dbWithTwo = ids(dbTwoAgents);
        assignedTo.forEach((id, who) -> {
            for (String agent : who) {
                if (!agent.equals(dbAccepted.get(id)) && !dbWithTwo.contains(id)) {
                    toldNotAccepted.add(id + " (" + agent + ", database: " + dbAccepted.get(id) + ")");
                }
            }
        });

        Set<String> withTwo = union(ids(twoAgents), dbWithTwo);
        Set<String> twice = union(ids(assignedTwice), ids(dbAcceptedTwice));
        Set<String> lost = union(ids(notClosed), ids(dbHeld), ids(acceptedNeverTold));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agents", ids());
        m.put("broker_url", brokerUrl);
        m.put("seconds_logged_in", CrashTest.round((stoppedNanos - startedNanos) / 1e9));
        m.put("conversations_assigned", assignedTo.size());
        m.put("conversations_accepted_in_database", dbAccepted.size());
        m.put("run_conversations_by_state", dbStates);
        m.put("conversations_with_two_agents", withTwo.size());
        m.put("conversations_assigned_twice", twice.size());
        m.put("conversations_not_closed", lost.size());
        m.put("conversations_offered_after_assignment", union(ids(offeredAfterAssigned), ids(dbOfferedAfterAccepted)).size());
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("two_agents_clients", sample(twoAgents));
        evidence.put("two_agents_database", sample(dbTwoAgents));
        evidence.put("assigned_twice_clients", sample(assignedTwice));
        evidence.put("accepted_twice_database", sample(dbAcceptedTwice));
        evidence.put("offered_after_assignment_clients", sample(offeredAfterAssigned));
        evidence.put("offered_after_accepted_database", sample(dbOfferedAfterAccepted));
        evidence.put("assigned_not_closed_clients", sample(notClosed));
        evidence.put("held_not_closed_database", sample(dbHeld));
        evidence.put("accepted_in_database_never_assigned_to_the_client", sample(acceptedNeverTold));
        evidence.put("assigned_to_a_client_without_its_accepted_offer", sample(toldNotAccepted));
        m.put("evidence", evidence);
        m.put("per_agent", perAgent);
        m.put("log", logFile.toString());
        return m;
    }

    boolean isRun(Conv c) {
        return !c.leftover && c.psid != null && c.psid.startsWith(psidPrefix);
    }

    /**
     * The longest time the agent received nothing while conversations waited for an agent (every monitor sample in
     * it saw Open conversations), until the agents were asked to stop: a lost connection or a hub that stopped
     * answering would show here.
     */
    Map<String, Object> longestGap(Agent a, List<Map<String, Object>> faults, List<double[]> open) {
        List<Long> times;
        synchronized (a.received) {
            times = new ArrayList<>(a.received);
        }
        times.removeIf(t -> t > stopRequestedNanos);
        Collections.sort(times);
        times.add(stopRequestedNanos);
        double best = 0;
        double bestAt = 0;
        long from = startedNanos;
        for (long to : times) {
            double fromS = (from - origin) / 1e9;
            double toS = (to - origin) / 1e9;
            boolean waited = false;
            boolean idle = false;
            for (double[] s : open) {
                if (s[0] >= fromS && s[0] <= toS && s[1] >= 0) {
                    waited = true;
                    idle |= s[1] == 0;
                }
            }
            if (waited && !idle && toS - fromS > best) {
                best = toS - fromS;
                bestAt = fromS;
            }
            from = to;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", CrashTest.round(best));
        m.put("from_s", CrashTest.round(bestAt));
        m.put("last_fault_before_its_end", lastFaultBefore(faults, bestAt + best));
        return m;
    }

    static String lastFaultBefore(List<Map<String, Object>> faults, double atS) {
        String last = null;
        for (Map<String, Object> f : faults) {
            if (((Number) f.get("at_s")).doubleValue() <= atS) {
                last = "#" + f.get("number") + " " + f.get("kind") + " " + f.get("target") + " at " + f.get("at_s") + " s";
            }
        }
        return last;
    }

    /** Per fault: conversations the agent was assigned before it and closed after it (or not at all), and how many closed. */
    Map<String, Object> heldAcrossFaults(Agent a, List<Map<String, Object>> faults) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map<String, Object> f : faults) {
            long at = (Long) f.get("at_nanos");
            long held = 0;
            long closed = 0;
            for (Conv c : a.convs.values()) {
                if (isRun(c) && !c.assignedAts.isEmpty() && c.assignedNanos < at && (c.stage != Stage.CLOSED || c.closedNanos > at)) {
                    held++;
                    if (c.stage == Stage.CLOSED) {
                        closed++;
                    }
                }
            }
            m.put("#" + f.get("number") + " " + f.get("kind") + " " + f.get("target"), held + " held, " + closed + " closed");
        }
        return m;
    }

    /**
     * Commands answered again, by the last fault (or broker failback) before the further answer, with whether the
     * first answer came before that fault and the longest time between the two answers.
     */
    static Map<String, Object> againAfterFaults(Agent a, List<Map<String, Object>> faults) {
        Map<String, long[]> by = new TreeMap<>();   // {count, first answer before the fault, longest ms between}
        for (long[] again : a.againAt) {
            String key = "before any fault";
            long switchAt = Long.MIN_VALUE;
            for (Map<String, Object> f : faults) {
                for (String at : List.of("at_nanos", "failback_at_nanos")) {
                    Object v = f.get(at);
                    if (v instanceof Long n && n <= again[1] && n > switchAt) {
                        switchAt = n;
                        key = "#" + f.get("number") + " " + f.get("kind") + " " + f.get("target")
                                + (at.equals("failback_at_nanos") ? " (failback)" : "");
                    }
                }
            }
            long[] t = by.computeIfAbsent(key, k -> new long[3]);
            t[0]++;
            if (again[0] < switchAt) {
                t[1]++;
            }
            t[2] = Math.max(t[2], TimeUnit.NANOSECONDS.toMillis(again[1] - again[0]));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        by.forEach((k, t) -> m.put(k, t[0] + " (first answer before it: " + t[1] + ", at most " + t[2] + " ms between the answers)"));
        return m;
    }

    static List<String> list(Connection db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return rows;
    }

    static Set<String> ids(Collection<String> rows) {
        Set<String> s = new TreeSet<>();
        rows.forEach(r -> s.add(r.split(" ", 2)[0]));
        return s;
    }

    @SafeVarargs
    static Set<String> union(Set<String>... sets) {
        Set<String> u = new TreeSet<>();
        for (Set<String> s : sets) {
            u.addAll(s);
        }
        return u;
    }

    static List<String> sample(List<String> l) {
        return new ArrayList<>(l.subList(0, Math.min(30, l.size())));
    }
}
