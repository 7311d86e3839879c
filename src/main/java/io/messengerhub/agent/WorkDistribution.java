package io.messengerhub.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.messengerhub.agent.AgentProperties.Agent;
import io.messengerhub.agent.AgentProperties.Assignment;
import io.messengerhub.agent.AgentProperties.Mode;
import io.messengerhub.attachment.CustomerAttachments;
import io.messengerhub.channel.Channels;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationOffer;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.conversation.ConversationTransition;
import io.messengerhub.hours.OperatingHours;
import io.messengerhub.outbox.DomainEvents;
import io.messengerhub.workspace.ConversationView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import io.messengerhub.conversation.AgentCommandException;

/**
 * Push-mode work distribution as Dynamics 365 does it: each Open conversation is offered to one eligible agent
 * of its queue (presence allows, capacity left, not offered it before), chosen by the queue's assignment method,
 * preferring the agent a returning customer had last. The agent accepts or rejects within the countdown; reject or
 * timeout offers it to the next one. All state is in the database: the pending_offer key lets exactly one offer
 * per conversation exist, and the agent's row is locked while its capacity is counted, so several hub instances
 * can distribute side by side.
 */
@Component("workDistribution")
public class WorkDistribution {

    private static final Logger LOG = LoggerFactory.getLogger(WorkDistribution.class);

    private final AgentDirectory agents;
    private final AgentStates states;
    private final ConversationRepository conversations;
    private final DomainEvents events;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final Duration reofferAfter;
    private final CustomerAttachments attachments;
    private final ConversationView views;
    private final Channels channels;
    private final OperatingHours hours;

    public WorkDistribution(AgentDirectory agents, AgentStates states, ConversationRepository conversations, DomainEvents events,
                            JdbcClient jdbc, TransactionTemplate transaction, Clock clock,
                            @org.springframework.beans.factory.annotation.Value("${hub.agents.reoffer-after}") Duration reofferAfter,
                            CustomerAttachments attachments, ConversationView views, Channels channels,
                            OperatingHours hours) {
        this.hours = hours;
        this.views = views;
        this.channels = channels;
        this.attachments = attachments;
        this.reofferAfter = reofferAfter;
        this.agents = agents;
        this.states = states;
        this.conversations = conversations;
        this.events = events;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** Offers every waiting conversation it can. */
    public void distribute() {
        for (String queue : queuesWithAgentsReady()) {
            for (Conversation conversation : conversations.awaitingAgent(queue, 100)) {
            try {
                transaction.executeWithoutResult(status -> offer(conversation));
            } catch (org.springframework.dao.DataIntegrityViolationException anotherInstanceWasFaster) {
                LOG.debug("Conversation {} was offered by another hub instance", conversation.id());
            } catch (org.springframework.dao.PessimisticLockingFailureException contended) {
                // Another distributor (or hub instance) holds the agent rows; the database broke the tie. The
                // conversation is still waiting and the next pass offers it.
                LOG.debug("Offering conversation {} met a concurrent distributor: {}", conversation.id(), contended.getMessage());
            }
            }
        }
    }

    /**
     * Push queues within their operating hours with at least one member whose presence and capacity allow an offer now.
     * A closed queue's conversations wait; the first pass after it opens offers them.
     */
    private List<String> queuesWithAgentsReady() {
        Instant now = clock.instant();
        return agents.members().stream()
                .filter(agent -> states.chosen(agent.id()).acceptsWork() && states.used(agent.id()) < agent.capacity())
                .flatMap(agent -> agent.queues().stream()).distinct()
                .filter(queue -> agents.queue(queue).mode() == Mode.PUSH)
                .filter(queue -> hours.isOpen(queue, now))
                .toList();
    }

    private void offer(Conversation conversation) {
        // Read once per pass: an agent may have accepted it since (its pending offer gone, no longer Open).
        if (!conversations.stillAwaitingAgent(conversation.id())) {
            return;
        }
        // Agents who had an offer of it since it last became Open (a release or transfer starts afresh) and not
        // longer ago than hub.agents.reoffer-after: once everybody declined, it goes round again after that.
        Set<String> alreadyAsked = Set.copyOf(jdbc.sql("select o.agent_id from conversation_offer o join conversation c"
                        + " on c.id = o.conversation_id where c.id = :id and o.offered_at >= :since"
                        + " and (c.state_changed_at is null or o.offered_at >= c.state_changed_at)")
                .param("id", conversation.id()).param("since", utc(clock.instant().minus(reofferAfter)))
                .query(String.class).list());
        Optional<String> previousAgent = conversations.lastAgentOf(conversation.pageId(), conversation.customerPsid(), conversation.id());
        List<Agent> unasked = agents.membersOf(conversation.queue()).stream()
                .filter(agent -> !alreadyAsked.contains(agent.id())).toList();
        List<Agent> candidates = unasked.stream()
                .sorted(order(unasked, agents.queue(conversation.queue()).assignment(), previousAgent))
                .toList();
        // Every candidate's row is locked first, in one order (by id) for every distributor and hub instance: locking
        // them one by one in each conversation's order of preference made distributors deadlock (chaos run).
        Map<String, Optional<Presence>> locked = new HashMap<>();
        candidates.stream().map(Agent::id).sorted().forEach(id -> locked.put(id, states.lock(id)));
        for (Agent agent : candidates) {
            Optional<Presence> presence = locked.get(agent.id());
            if (presence.isEmpty() || !presence.get().acceptsWork() || states.used(agent.id()) >= agent.capacity()) {
                continue;
            }
            String offerId = UUID.randomUUID().toString();
            Instant now = clock.instant();
            Instant expiresAt = now.plus(agents.offerTimeout());
            jdbc.sql("insert into pending_offer (conversation_id, offer_id) values (:conversation, :offer)")
                    .param("conversation", conversation.id()).param("offer", offerId).update();
            jdbc.sql("insert into conversation_offer (id, conversation_id, agent_id, state, offered_at, expires_at)"
                            + " values (:id, :conversation, :agent, 'PENDING', :now, :expires)")
                    .param("id", offerId).param("conversation", conversation.id()).param("agent", agent.id())
                    .param("now", utc(now)).param("expires", utc(expiresAt)).update();
            states.assigned(agent.id());
            LOG.info("Offered conversation {} of queue '{}' to agent {}", conversation.id(), conversation.queue(), agent.id());
            // The same message as on the queue's address, plus the countdown and the customer's other active and
            // recent conversations and the mood so far, so the agent knows the history before accepting.
            var offer = ConversationOffer.forQueue(conversation, channels, now,
                    conversations.firstMessage(conversation.id()).orElse(null), conversations.consent(conversation.id()))
                    .toAgent(offerId, expiresAt, agents.offerTimeout().toSeconds(), views.others(conversation),
                            views.sentiment(conversation.id()));
            events.record(new OfferMade(agent.id(), offer, now));
            return;
        }
    }

    /** Highest remaining capacity first (ties: longest since last assignment), or plain round robin. */
    private Comparator<Agent> order(List<Agent> candidates, Assignment assignment, Optional<String> previousAgent) {
        // Each agent's load and last assignment are read once per decision, not once per comparison.
        Map<String, Instant> lastAssigned = new HashMap<>();
        Map<String, Integer> free = new HashMap<>();
        for (Agent agent : candidates) {
            lastAssigned.put(agent.id(), states.lastAssigned(agent.id()).map(OffsetDateTime::toInstant).orElse(Instant.EPOCH));
            if (assignment == Assignment.HIGHEST_CAPACITY) {
                free.put(agent.id(), agent.capacity() - states.used(agent.id()));
            }
        }
        Comparator<Agent> returningFirst = Comparator.comparing(agent -> previousAgent.map(agent.id()::equals).orElse(false) ? 0 : 1);
        Comparator<Agent> longestIdle = Comparator.comparing(agent -> lastAssigned.get(agent.id()));
        Comparator<Agent> byMethod = assignment == Assignment.HIGHEST_CAPACITY
                ? Comparator.<Agent>comparingInt(agent -> -free.get(agent.id())).thenComparing(longestIdle)
                : longestIdle;
        return returningFirst.thenComparing(byMethod).thenComparing(Agent::id);
    }

    /**
     * The agent takes the conversation: it becomes Active. Returns what tells the agent (the conversation with its
     * transcript), for the caller to record once it has answered the command.
     */
    public ConversationAssigned accept(String agentId, String offerId) {
        return transaction.execute(status -> {
            Map<String, Object> offer = pendingOffer(agentId, offerId);
            String conversationId = (String) offer.get("conversation_id");
            decide(offerId, "ACCEPTED");
            if (!conversations.move(conversationId, ConversationTransition.ACCEPT, agentId, null, clock.instant())) {
                throw new AgentCommandException("conversation " + conversationId + " is no longer open");
            }
            LOG.info("Agent {} accepted conversation {}", agentId, conversationId);
            return assigned(agentId, conversationId);
        });
    }

    /** Pick mode: the Open conversations of the agent's pick queues, longest waiting first. */
    public List<Conversation> pickable(String agentId) {
        Agent agent = agents.agent(agentId).orElseThrow();
        return agent.queues().stream().filter(queue -> agents.queue(queue).mode() == Mode.PICK)
                .flatMap(queue -> conversations.awaitingAgent(queue, 100).stream())
                .sorted(Comparator.comparing(Conversation::lastInteractionAt)).toList();
    }

    /** Pick mode: the agent takes an Open conversation of one of its pick queues, capacity permitting; as {@link #accept}. */
    public ConversationAssigned pick(String agentId, String conversationId) {
        Agent agent = agents.agent(agentId).orElseThrow();
        return transaction.execute(status -> {
            Conversation conversation = conversations.findById(conversationId)
                    .filter(c -> agent.queues().contains(c.queue()) && agents.queue(c.queue()).mode() == Mode.PICK)
                    .orElseThrow(() -> new AgentCommandException("conversation " + conversationId + " is not in a pick queue of yours"));
            // Picking is taking work, which an Offline agent is not there to do; Busy, Away and Do not disturb may
            // still choose to (their presence only stops the hub from pushing work to them).
            if (states.lock(agentId).orElse(Presence.OFFLINE) == Presence.OFFLINE) {
                throw new AgentCommandException("you are Offline: set your presence before picking work");
            }
            if (states.used(agentId) >= agent.capacity()) {
                throw new AgentCommandException("your capacity is full (" + agent.capacity() + ")");
            }
            if (!conversations.move(conversationId, ConversationTransition.ACCEPT, agentId, null, clock.instant())) {
                throw new AgentCommandException("conversation " + conversationId + " was taken meanwhile");
            }
            LOG.info("Agent {} picked conversation {} from queue '{}'", agentId, conversationId, conversation.queue());
            return assigned(agentId, conversationId);
        });
    }

    /** The conversation is the agent's now (accepted or picked): it gets it with its transcript and files. */
    private ConversationAssigned assigned(String agentId, String conversationId) {
        return new ConversationAssigned(agentId, conversations.findById(conversationId).orElseThrow(),
                conversations.transcript(conversationId), attachments.of(conversationId), clock.instant());
    }

    /** The agent declines: the offer moves to the next agent. */
    public void reject(String agentId, String offerId) {
        transaction.executeWithoutResult(status -> {
            pendingOffer(agentId, offerId);
            decide(offerId, "REJECTED");
            LOG.info("Agent {} rejected offer {}", agentId, offerId);
        });
    }

    /** Offers whose countdown ran out: withdrawn from the agent, offered to the next. */
    public void expire() {
        List<Map<String, Object>> expired = jdbc.sql("select id, agent_id, conversation_id from conversation_offer"
                        + " where state = 'PENDING' and expires_at <= :now")
                .param("now", utc(clock.instant())).query().listOfRows();
        for (Map<String, Object> offer : expired) {
            transaction.executeWithoutResult(status -> withdraw((String) offer.get("id"),
                    (String) offer.get("agent_id"), (String) offer.get("conversation_id"), "EXPIRED", "timeout"));
        }
    }

    /**
     * Withdraws a pending offer (countdown over, agent gone, conversation closed) and tells the agent; nothing if
     * it was decided meanwhile. Call inside a transaction.
     */
    public void withdraw(String offerId, String agentId, String conversationId, String state, String reason) {
        if (!settle(offerId, state)) {
            return;
        }
        LOG.info("Offer {} to agent {} withdrawn ({})", offerId, agentId, reason);
        events.record(new OfferWithdrawn(agentId, offerId, conversationId, reason, clock.instant()));
    }

    /** Withdraws every pending offer to the agent (it went away). Call inside a transaction. */
    public void withdrawOffersTo(String agentId, String state, String reason) {
        withdrawPending("agent_id", agentId, state, reason);
    }

    /** Withdraws every pending offer of the conversation (it closed). Call inside a transaction. */
    public void withdrawOffersOf(String conversationId, String state, String reason) {
        withdrawPending("conversation_id", conversationId, state, reason);
    }

    private void withdrawPending(String column, String value, String state, String reason) {
        for (var offer : jdbc.sql("select id, agent_id, conversation_id from conversation_offer where state = 'PENDING' and "
                        + column + " = :value").param("value", value).query().listOfRows()) {
            withdraw((String) offer.get("id"), (String) offer.get("agent_id"), (String) offer.get("conversation_id"), state, reason);
        }
    }

    private Map<String, Object> pendingOffer(String agentId, String offerId) {
        return jdbc.sql("select conversation_id from conversation_offer where id = :id and agent_id = :agent and state = 'PENDING'"
                        + " and expires_at > :now")
                .param("id", offerId).param("agent", agentId).param("now", utc(clock.instant()))
                .query().listOfRows().stream().findFirst()
                .orElseThrow(() -> new AgentCommandException("offer " + offerId + " is not pending for you (expired or already decided)"));
    }

    private void decide(String offerId, String state) {
        if (!settle(offerId, state)) {
            throw new AgentCommandException("offer " + offerId + " was decided meanwhile");
        }
    }

    /** Ends a pending offer in the state; false when it was no longer pending. */
    private boolean settle(String offerId, String state) {
        if (jdbc.sql("update conversation_offer set state = :state, decided_at = :now where id = :id and state = 'PENDING'")
                .param("state", state).param("now", utc(clock.instant())).param("id", offerId).update() != 1) {
            return false;
        }
        jdbc.sql("delete from pending_offer where offer_id = :id").param("id", offerId).update();
        return true;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
