package io.messengerhub.supervisor;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.agent.AgentDirectory;
import io.messengerhub.agent.AgentProperties.Agent;
import io.messengerhub.agent.AgentStates;
import io.messengerhub.agent.Presence;
import io.messengerhub.customer.Customer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The contact center's floor as a supervisor sees it at one moment, read from the hub's database: every queue (who
 * waits, for how long, offers pending), every agent (presence, capacity, its conversations and their states), and
 * the conversations at risk: open alerts ({@link SupervisorAlerts}) and conversations waiting for an agent longer
 * than {@code hub.supervisor.waiting-threshold}.
 */
@Component("supervisorFloor")
public class SupervisorFloor {

    /**
     * The floor; {@code at} is when it was read, so the page counts waits on from there; {@code waiting} every
     * conversation waiting for an agent, longest waiting first.
     */
    public record Floor(Instant at, long waitingThresholdSeconds, List<QueueLine> queues, List<AgentLine> agents,
                        List<Risk> atRisk, List<ConversationLine> waiting) {
    }

    /** A queue: conversations waiting for an agent (Open), since when the longest waits, offers awaiting an answer. */
    public record QueueLine(String name, String mode, int waiting, Instant longestWaitingSince, long longestWaitSeconds,
                            int offersPending, int agentsReady) {
    }

    /** An agent: presence as others see it and as chosen, capacity used of total, and what it holds or is offered. */
    public record AgentLine(String id, String name, String presence, String chosen, int used, int capacity,
                            List<String> queues, List<ConversationLine> conversations, List<ConversationLine> offered) {
    }

    /** A conversation as the floor lists it; {@code since}: when it came into its state (into the queue when Open). */
    public record ConversationLine(String id, String customer, String customerPsid, String state, String queue,
                                   String agentId, Instant since, String sentiment) {
    }

    /**
     * A conversation at risk, or a Page: {@code kind} sentiment, message-failed or page-reauthorisation (an alert
     * with its {@code alertId}, to acknowledge), or waiting (longer than the threshold; it goes when an agent takes it).
     */
    public record Risk(String kind, Long alertId, String conversationId, String customer, String customerPsid, String queue,
                       String agentId, String state, String pageId, String detail, Instant since) {
    }

    private static final String LINE_COLUMNS = "id, customer, customer_psid, state, queue, agent_id,"
            + " coalesce(state_changed_at, opened_at) as since, sentiment_level";

    private final AgentDirectory agents;
    private final AgentStates states;
    private final SupervisorAlerts alerts;
    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration waitingThreshold;

    public SupervisorFloor(AgentDirectory agents, AgentStates states, SupervisorAlerts alerts, JdbcClient jdbc,
                           ObjectMapper json, Clock clock,
                           @Value("${hub.supervisor.waiting-threshold:2m}") Duration waitingThreshold) {
        this.agents = agents;
        this.states = states;
        this.alerts = alerts;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.waitingThreshold = waitingThreshold;
    }

    public Floor floor() {
        Instant now = clock.instant();
        List<ConversationLine> waiting = lines("state = 'OPEN'");
        List<ConversationLine> held = lines("state in ('ACTIVE', 'WAITING', 'WRAP_UP') and agent_id is not null");
        Map<String, List<ConversationLine>> offered = new HashMap<>();
        Map<String, Integer> offersPerQueue = new HashMap<>();
        Map<String, ConversationLine> waitingById = new HashMap<>();
        waiting.forEach(line -> waitingById.put(line.id(), line));
        for (var offer : jdbc.sql("select o.agent_id, o.conversation_id from conversation_offer o"
                + " join pending_offer p on p.offer_id = o.id order by o.offered_at").query().listOfRows()) {
            ConversationLine line = waitingById.get((String) offer.get("conversation_id"));
            if (line != null) {
                offered.computeIfAbsent((String) offer.get("agent_id"), id -> new ArrayList<>()).add(line);
                offersPerQueue.merge(line.queue(), 1, Integer::sum);
            }
        }

        var agentLines = new ArrayList<AgentLine>();
        Map<String, Integer> readyPerQueue = new HashMap<>();
        for (Agent agent : agents.members()) {
            int used = states.used(agent.id());
            Presence chosen = states.chosen(agent.id());
            if (chosen.acceptsWork() && used < agent.capacity()) {
                agent.queues().forEach(queue -> readyPerQueue.merge(queue, 1, Integer::sum));
            }
            agentLines.add(new AgentLine(agent.id(), agent.name(), chosen.shown(used, agent.capacity()).name(), chosen.name(),
                    used, agent.capacity(), agent.queues(),
                    held.stream().filter(line -> agent.id().equals(line.agentId())).toList(),
                    offered.getOrDefault(agent.id(), List.of())));
        }

        var queueNames = new TreeSet<String>();
        agents.queues().forEach(queue -> queueNames.add(queue.name()));
        agents.members().forEach(agent -> queueNames.addAll(agent.queues()));
        waiting.forEach(line -> queueNames.add(line.queue()));
        var queueLines = new ArrayList<QueueLine>();
        for (String queue : queueNames) {
            List<ConversationLine> inQueue = waiting.stream().filter(line -> queue.equals(line.queue())).toList();
            Instant longest = inQueue.stream().map(ConversationLine::since).min(Instant::compareTo).orElse(null);
            queueLines.add(new QueueLine(queue, agents.queue(queue).mode().name(), inQueue.size(), longest,
                    longest == null ? 0 : Math.max(0, Duration.between(longest, now).toSeconds()),
                    offersPerQueue.getOrDefault(queue, 0), readyPerQueue.getOrDefault(queue, 0)));
        }

        var atRisk = new ArrayList<Risk>();
        Map<String, ConversationLine> known = new HashMap<>(waitingById);
        held.forEach(line -> known.put(line.id(), line));
        for (var alert : alerts.open()) {
            ConversationLine line = alert.conversationId() == null ? null : known.get(alert.conversationId());
            atRisk.add(new Risk(alert.kind().code(), alert.id(), alert.conversationId(), line == null ? null : line.customer(),
                    line == null ? null : line.customerPsid(), alert.queue(), line == null ? alert.agentId() : line.agentId(),
                    alert.state(), alert.pageId(), alert.detail(), alert.raisedAt()));
        }
        Instant tooLong = now.minus(waitingThreshold);
        for (ConversationLine line : waiting) {
            if (!line.since().isAfter(tooLong)) {
                atRisk.add(new Risk("waiting", null, line.id(), line.customer(), line.customerPsid(), line.queue(), null,
                        line.state(), null, "waiting for an agent for more than " + waitingThreshold.toSeconds() + " s",
                        line.since()));
            }
        }
        return new Floor(now, waitingThreshold.toSeconds(), queueLines, agentLines, atRisk, waiting);
    }

    private List<ConversationLine> lines(String where) {
        return jdbc.sql("select " + LINE_COLUMNS + " from conversation where " + where + " order by since, id")
                .query(this::line).list();
    }

    private ConversationLine line(ResultSet rs, int row) throws SQLException {
        return new ConversationLine(rs.getString("id"), name(rs.getString("customer"), rs.getString("customer_psid")),
                rs.getString("customer_psid"), rs.getString("state"), rs.getString("queue"), rs.getString("agent_id"),
                rs.getObject("since", OffsetDateTime.class).toInstant(), rs.getString("sentiment_level"));
    }

    /** The customer's name as the CRM or Facebook gave it; null when neither did (the page shows the PSID). */
    private String name(String storedCustomer, String psid) {
        if (storedCustomer == null) {
            return null;
        }
        try {
            Customer customer = json.readValue(storedCustomer, Customer.class);
            String name = String.join(" ", java.util.stream.Stream.of(customer.firstName(), customer.lastName())
                    .filter(part -> part != null && !part.isBlank()).toList());
            return name.isEmpty() ? null : name;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored customer of " + psid + " is not JSON", e);
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
