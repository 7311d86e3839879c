package io.messengerhub.supervisor;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.messengerhub.agent.AgentAccounts;
import io.messengerhub.agent.AgentDirectory;
import io.messengerhub.agent.AgentProperties.Agent;
import io.messengerhub.agent.AgentStates;
import io.messengerhub.agent.ConversationAssigned;
import io.messengerhub.agent.Presence;
import io.messengerhub.agent.WorkDistribution;
import io.messengerhub.api.ApiBadRequestException;
import io.messengerhub.api.ApiConflictException;
import io.messengerhub.api.ApiException;
import io.messengerhub.api.ApiNotFoundException;
import io.messengerhub.api.PrintableText;
import io.messengerhub.attachment.CustomerAttachments;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.conversation.ConversationState;
import io.messengerhub.conversation.ConversationTransition;
import io.messengerhub.outbox.DomainEvents;
import io.messengerhub.workspace.Consults;
import io.messengerhub.workspace.ConversationView;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a supervisor does with a conversation through the hub (routes/supervisor.camel.yaml): monitor it, consult
 * beside its agent, assign it to a named agent or transfer it to a queue, and acknowledge alerts. Each action is
 * checked, done in one transaction with its messages (domain events) and its line in table supervisor_action; a
 * refused one changes nothing and leaves only its line.
 * <p>
 * An assignment is a force-assign, as in Dynamics 365: the agent's capacity is not asked (a supervisor decides to
 * overbook), but the agent must be one who can take it: known, enabled, not Offline.
 */
@Component("supervisorActions")
public class SupervisorActions {

    private static final Logger LOG = LoggerFactory.getLogger(SupervisorActions.class);

    /** The body of a consult: what the supervisor writes to the agent. */
    public record ConsultRequest(String text) {
    }

    /** The body of an assignment: the agent to take the conversation. */
    public record AssignRequest(String agentId) {
    }

    /** The body of a transfer: the queue the conversation is to wait in. */
    public record TransferRequest(String queue) {
    }

    private final ConversationRepository conversations;
    private final ConversationView views;
    private final Consults consults;
    private final SupervisorAlerts alerts;
    private final AgentDirectory agents;
    private final AgentAccounts accounts;
    private final AgentStates states;
    private final WorkDistribution distribution;
    private final CustomerAttachments attachments;
    private final DomainEvents events;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final TransactionTemplate separately;
    private final Clock clock;

    public SupervisorActions(ConversationRepository conversations, ConversationView views, Consults consults,
                             SupervisorAlerts alerts, AgentDirectory agents, AgentAccounts accounts, AgentStates states,
                             WorkDistribution distribution, CustomerAttachments attachments, DomainEvents events,
                             JdbcClient jdbc, TransactionTemplate transaction, Clock clock) {
        this.conversations = conversations;
        this.views = views;
        this.consults = consults;
        this.alerts = alerts;
        this.agents = agents;
        this.accounts = accounts;
        this.states = states;
        this.distribution = distribution;
        this.attachments = attachments;
        this.events = events;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
        this.separately = new TransactionTemplate(transaction.getTransactionManager());
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Monitoring, read-only: the conversation view an agent gets (transcript, files, notes, sentiment, the customer's
     * other conversations), the consult thread, and the conversation's alerts.
     */
    public Map<String, Object> conversation(@Header("id") String conversationId) {
        var view = new LinkedHashMap<>(views.of(existing(conversationId)));
        view.put("alerts", alerts.of(conversationId));
        return view;
    }

    /** Writes to the agent holding the conversation, beside the customer's chat; the customer never sees it. */
    public Consults.Message consult(@Variable("supervisor") String supervisor, @Header("id") String conversationId,
                                    @Body ConsultRequest request) {
        String text = request == null ? null : request.text();
        return recorded(supervisor, "consult", conversationId, null, null, () -> {
            String refusal = Consults.refusal(text);
            if (refusal != null) {
                throw new ApiBadRequestException(refusal);
            }
            Conversation conversation = existing(conversationId);
            if (conversation.agentId() == null || conversation.state() == ConversationState.OPEN
                    || conversation.state() == ConversationState.CLOSED) {
                throw new ApiConflictException("no agent holds conversation " + conversationId + ": nobody to consult");
            }
            return consults.write(conversationId, supervisor, Consults.Role.SUPERVISOR, conversation.agentId(), text);
        });
    }

    /**
     * Gives the conversation to the named agent, whether it waits in a queue or another agent holds it: pending offers
     * of it are withdrawn, the agent who held it gets {@code conversation.reassigned}, the new one
     * {@code conversation.assigned}. 400 for an agent nobody knows, 409 for a disabled or Offline one, one who holds it
     * already, or a conversation in Wrap-up or Closed.
     */
    public Map<String, Object> assign(@Variable("supervisor") String supervisor, @Header("id") String conversationId,
                                      @Body AssignRequest request) {
        String agentId = request == null ? null : request.agentId();
        return recorded(supervisor, "assign", conversationId, null, "to agent " + agentId, () -> {
            Conversation conversation = movable(conversationId);
            Agent agent = enabledAgent(agentId);
            if (agent.id().equals(conversation.agentId())) {
                throw new ApiConflictException("agent " + agentId + " holds conversation " + conversationId + " already");
            }
            if (states.lock(agent.id()).orElse(Presence.OFFLINE) == Presence.OFFLINE) {
                throw new ApiConflictException("agent " + agentId + " is Offline: nobody there to take the conversation");
            }
            Instant now = clock.instant();
            distribution.withdrawOffersOf(conversationId, "WITHDRAWN", "assigned by a supervisor");
            if (!conversations.move(conversationId, ConversationTransition.ASSIGN_BY_SUPERVISOR, agent.id(), null, now)) {
                throw new ApiConflictException("conversation " + conversationId + " changed meanwhile; look again");
            }
            states.assigned(agent.id());
            Conversation assigned = conversations.findById(conversationId).orElseThrow();
            if (conversation.agentId() != null) {
                events.record(new ConversationReassigned(conversationId, conversation.agentId(), agent.id(), null, now));
            }
            events.record(new ConversationAssigned(agent.id(), assigned, conversations.transcript(conversationId),
                    attachments.of(conversationId), now));
            events.record(new SupervisorActed("assign", supervisor, conversationId, null, agent.id(), assigned.queue(), now));
            LOG.info("Supervisor {} assigned conversation {} to agent {} (held by {})", supervisor, conversationId, agent.id(),
                    conversation.agentId());
            return Map.<String, Object>of("conversation", assigned);
        });
    }

    /**
     * Moves the conversation to a queue, where it waits (Open) and is offered afresh; the agent who held it gets
     * {@code conversation.reassigned}. 400 for a queue nobody knows, 409 for a conversation in Wrap-up or Closed, or
     * one that waits in that queue already.
     */
    public Map<String, Object> transfer(@Variable("supervisor") String supervisor, @Header("id") String conversationId,
                                        @Body TransferRequest request) {
        String queue = request == null ? null : request.queue();
        return recorded(supervisor, "transfer", conversationId, null, "to queue " + queue, () -> {
            Conversation conversation = movable(conversationId);
            if (queue == null || queue.isBlank()) {
                throw new ApiBadRequestException("body must be {\"queue\": \"...\"}");
            }
            if (agents.membersOf(queue).isEmpty() && agents.queues().stream().noneMatch(known -> known.name().equals(queue))) {
                throw new ApiBadRequestException("no queue '" + queue + "'");
            }
            if (conversation.state() == ConversationState.OPEN && queue.equals(conversation.queue())) {
                throw new ApiConflictException("conversation " + conversationId + " waits in queue " + queue + " already");
            }
            Instant now = clock.instant();
            distribution.withdrawOffersOf(conversationId, "WITHDRAWN", "transferred by a supervisor");
            if (!conversations.move(conversationId, ConversationTransition.TRANSFER_BY_SUPERVISOR, null, queue, now)) {
                throw new ApiConflictException("conversation " + conversationId + " changed meanwhile; look again");
            }
            if (conversation.agentId() != null) {
                events.record(new ConversationReassigned(conversationId, conversation.agentId(), null, queue, now));
            }
            events.record(new SupervisorActed("transfer", supervisor, conversationId, null, null, queue, now));
            LOG.info("Supervisor {} transferred conversation {} to queue {}", supervisor, conversationId, queue);
            return Map.<String, Object>of("conversation", conversations.findById(conversationId).orElseThrow());
        });
    }

    /** Takes the alert off every supervisor's at-risk list, recording who and when; 409 when acknowledged already. */
    public SupervisorAlerts.Alert acknowledge(@Variable("supervisor") String supervisor, @Header("id") String alertId) {
        long id = alertId(alertId);
        return recorded(supervisor, "acknowledge", null, id, null, () -> {
            SupervisorAlerts.Alert alert = alerts.acknowledge(id, supervisor);
            events.record(new SupervisorActed("acknowledge", supervisor, alert.conversationId(), id, alert.agentId(),
                    alert.queue(), clock.instant()));
            return alert;
        });
    }

    private Conversation existing(String conversationId) {
        // An id with control characters names no conversation, and PostgreSQL would refuse to look it up (NUL).
        return (conversationId.chars().anyMatch(Character::isISOControl) ? java.util.Optional.<Conversation>empty()
                : conversations.findById(conversationId)).orElseThrow(() -> ApiNotFoundException.conversation(conversationId));
    }

    /** A conversation a supervisor may still move: waiting, or held and not yet ended. */
    private Conversation movable(String conversationId) {
        Conversation conversation = existing(conversationId);
        if (conversation.state() == ConversationState.CLOSED || conversation.state() == ConversationState.WRAP_UP) {
            throw new ApiConflictException("conversation " + conversationId + " is " + conversation.state()
                    + ": it can no longer be assigned or transferred");
        }
        return conversation;
    }

    private Agent enabledAgent(String agentId) {
        if (agentId == null || agentId.isBlank()) {
            throw new ApiBadRequestException("body must be {\"agentId\": \"...\"}");
        }
        // An id with control characters names nobody, and PostgreSQL would refuse to look it up (NUL).
        boolean askable = agentId.chars().noneMatch(Character::isISOControl);
        // The accounts table, not the directory's copy (renewed within hub.agents.directory-refresh), says who is disabled.
        if (askable && accounts.find(agentId).filter(account -> !account.enabled()).isPresent()) {
            throw new ApiConflictException("agent " + agentId + " is disabled");
        }
        return agents.agent(agentId).orElseThrow(() -> new ApiBadRequestException("no agent '" + agentId + "'"));
    }

    private static long alertId(String alertId) {
        try {
            return Long.parseLong(alertId);
        } catch (NumberFormatException e) {
            throw new ApiNotFoundException("alert " + alertId + " not found");
        }
    }

    /** Does the action with its line in supervisor_action ("done"); a refusal is rolled back and recorded on its own. */
    private <T> T recorded(String supervisor, String action, String conversationId, Long alertId, String detail, Supplier<T> work) {
        try {
            return transaction.execute(status -> {
                T result = work.get();
                write(supervisor, action, conversationId, alertId, detail, "done");
                return result;
            });
        } catch (ApiException refused) {
            separately.executeWithoutResult(status -> write(supervisor, action, conversationId, alertId, detail,
                    "refused (" + refused.status() + "): " + refused.getMessage()));
            throw refused;
        }
    }

    private void write(String supervisor, String action, String conversationId, Long alertId, String detail, String outcome) {
        jdbc.sql("insert into supervisor_action (at, supervisor, action, conversation_id, alert_id, detail, outcome)"
                        + " values (:at, :supervisor, :action, :conversation, :alert, :detail, :outcome)")
                .param("at", SupervisorFloor.utc(clock.instant())).param("supervisor", supervisor).param("action", action)
                .param("conversation", clip(conversationId, 36)).param("alert", alertId).param("detail", clip(detail, 1000))
                .param("outcome", clip(outcome, 512)).update();
    }

    /** Fits the column, and keeps control characters (PostgreSQL refuses NUL) out of the record. */
    private static String clip(String text, int length) {
        if (text == null) {
            return null;
        }
        String printable = PrintableText.of(text);
        return printable.length() <= length ? printable : printable.substring(0, length);
    }
}
