package io.messengerhub.agent;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationLifecycle;
import io.messengerhub.conversation.ConversationTransition;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.conversation.ConversationStateChanged;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.DomainEvents;
import io.messengerhub.send.Replies;
import io.messengerhub.workspace.ConversationView;
import io.messengerhub.agent.WorkspaceCommands;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import io.messengerhub.conversation.AgentCommandException;

/**
 * Carries out the commands agents send to {@code contact-center.commands}. Who sent a command is the user the
 * broker authenticated ({@code _AMQ_VALIDATED_USER}), never a field of the message. Every command is answered on
 * the agent's inbox with {@code command.result}, echoing its {@code requestId}.
 */
@Component("agentCommands")
public class AgentCommands {

    private static final Logger LOG = LoggerFactory.getLogger(AgentCommands.class);

    private final AgentDirectory agents;
    private final AgentStates states;
    private final WorkDistribution distribution;
    private final ConversationRepository conversations;
    private final DomainEvents events;
    private final TransactionTemplate transaction;
    private final CommandsCarriedOut carriedOutBefore;
    private final ObjectMapper json;
    private final Clock clock;
    private final Replies replies;
    private final ConversationLifecycle lifecycle;
    private final ConversationView views;
    private final WorkspaceCommands workspace;

    public AgentCommands(AgentDirectory agents, AgentStates states, WorkDistribution distribution,
                         ConversationRepository conversations, DomainEvents events, TransactionTemplate transaction,
                         ObjectMapper json, Clock clock, Replies replies, ConversationLifecycle lifecycle,
                         ConversationView views, WorkspaceCommands workspace, CommandsCarriedOut carriedOutBefore) {
        this.agents = agents;
        this.states = states;
        this.distribution = distribution;
        this.conversations = conversations;
        this.events = events;
        this.transaction = transaction;
        this.json = json;
        this.clock = clock;
        this.replies = replies;
        this.lifecycle = lifecycle;
        this.views = views;
        this.workspace = workspace;
        this.carriedOutBefore = carriedOutBefore;
    }

    /** Commands that can free an agent's capacity or a conversation, or change who is available: work is distributed
     * again right after them. Everything else (heartbeats above all) waits for the distribution timer. */
    private static final Set<String> CHANGES_SUPPLY_OR_DEMAND = Set.of("presence.set", "offer.reject", "conversation.end",
            "conversation.close", "conversation.release", "conversation.transfer");

    /**
     * Handles one command and answers it with {@code command.result} (heartbeats excepted); true when work should be
     * distributed again at once.
     */
    public boolean handle(@Body String body, @Header("_AMQ_VALIDATED_USER") String validatedUser,
                          @Header("JMSXUserID") String jmsxUser) {
        // Who sent it is who the broker authenticated (populate-validated-user), never a field of the message.
        String agentId = validatedUser != null ? validatedUser : jmsxUser;
        if (agentId == null || agents.agent(agentId).isEmpty()) {
            LOG.warn("Ignored a command from '{}', who is not an agent", agentId);
            return false;
        }
        boolean back = states.seen(agentId);
        if (back) {
            LOG.info("Agent {} is back within the grace period", agentId);
        }
        JsonNode command;
        try {
            command = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            answer(agentId, null, "unknown", false, "command is not JSON", Map.of());
            return back;
        }
        String type = command.path("type").asText("");
        String requestId = command.path("requestId").asText(null);
        if (type.equals("heartbeat")) {
            return back;
        }
        boolean carriedOut;
        try {
            // The answer commits with what the command did; the conversation an accept or pick gave the agent follows
            // it in the inbox (docs/agent-protocol.md). A command delivered again after that commit (a fault rolled
            // its broker transaction back) is neither carried out nor answered again.
            carriedOut = Boolean.TRUE.equals(transaction.execute(status -> {
                if (!carriedOutBefore.firstTime(agentId, requestId)) {
                    status.setRollbackOnly();
                    return false;
                }
                var afterAnswer = new ArrayList<DomainEvent>(1);
                Map<String, Object> data = execute(agentId, type, command, afterAnswer::add);
                answer(agentId, requestId, type, true, null, data);
                afterAnswer.forEach(events::record);
                return true;
            }));
        } catch (AgentCommandException refused) {
            LOG.info("Agent {} command {} refused: {}", agentId, type, refused.getMessage());
            transaction.executeWithoutResult(status -> {
                if (carriedOutBefore.firstTime(agentId, requestId)) {
                    answer(agentId, requestId, type, false, refused.getMessage(), Map.of());
                } else {
                    status.setRollbackOnly();
                }
            });
            return back;
        }
        if (!carriedOut) {
            LOG.info("Agent {} command {} ({}) was carried out already: delivered again, not repeated", agentId, type, requestId);
            return back;
        }
        return back || CHANGES_SUPPLY_OR_DEMAND.contains(type);
    }

    private Map<String, Object> execute(String agentId, String type, JsonNode command, Consumer<DomainEvent> afterAnswer) {
        switch (type) {
            case "presence.set" -> {
                Presence presence = presence(command.path("presence").asText(""));
                states.choose(agentId, presence);
                return presenceOf(agentId);
            }
            case "presence.get" -> {
                return presenceOf(agentId);
            }
            case "offer.accept" -> afterAnswer.accept(distribution.accept(agentId, required(command, "offerId")));
            case "offer.reject" -> distribution.reject(agentId, required(command, "offerId"));
            case "queue.list" -> {
                return Map.of("conversations", distribution.pickable(agentId));
            }
            case "conversation.pick" -> afterAnswer.accept(distribution.pick(agentId, required(command, "conversationId")));
            case "conversation.list" -> {
                return Map.of("conversations", conversations.heldBy(agentId));
            }
            case "conversation.open" -> {
                // Read-only for the customer's other conversations; every other command still needs a held one.
                String conversationId = required(command, "conversationId");
                return views.forAgent(agentId, conversationId).orElseThrow(() -> notYours(conversationId));
            }
            case "conversation.end" -> move(agentId, command, ConversationTransition.END, agentId, null);
            case "conversation.wait" -> move(agentId, command, ConversationTransition.WAIT, agentId, null);
            case "conversation.close" -> close(agentId, required(command, "conversationId"));
            case "conversation.release" -> move(agentId, command, ConversationTransition.RELEASE, null, null);
            case "conversation.transfer" -> {
                String queue = required(command, "queue");
                if (agents.membersOf(queue).isEmpty() && agents.queues().stream().noneMatch(q -> q.name().equals(queue))) {
                    throw new AgentCommandException("no queue '" + queue + "'");
                }
                move(agentId, command, ConversationTransition.RELEASE, null, queue);
            }
            case "message.send" -> {
                replies.queueMessage(agentId, held(agentId, required(command, "conversationId")),
                        command.path("requestId").asText(null), command.path("text").asText(""));
                return Map.of("queued", true);
            }
            case "typing" -> replies.queueAction(agentId, held(agentId, required(command, "conversationId")),
                    command.path("on").asBoolean(true) ? "typing_on" : "typing_off");
            case "conversation.seen" -> replies.queueAction(agentId, held(agentId, required(command, "conversationId")), "mark_seen");
            default -> {
                if (WorkspaceCommands.TYPES.contains(type)) {
                    return workspace.execute(agentId, type, command, conversationId -> held(agentId, conversationId));
                }
                throw new AgentCommandException("unknown command '" + type + "'");
            }
        }
        return Map.of();
    }

    private void close(String agentId, String conversationId) {
        if (lifecycle.close(held(agentId, conversationId), ConversationTransition.CLOSE_BY_AGENT).isEmpty()) {
            throw new AgentCommandException("conversation " + conversationId + " cannot go to CLOSED from its state");
        }
    }

    private void move(String agentId, JsonNode command, ConversationTransition transition, String newAgent, String newQueue) {
        String conversationId = required(command, "conversationId");
        transaction.executeWithoutResult(status -> {
            held(agentId, conversationId);
            if (!conversations.move(conversationId, transition, newAgent, newQueue, clock.instant())) {
                throw new AgentCommandException("conversation " + conversationId + " cannot go to " + transition.to() + " from its state");
            }
            events.record(new ConversationStateChanged(conversationId, agentId, transition.to(), "agent", clock.instant()));
        });
        LOG.info("Agent {} moved conversation {} to {}{}", agentId, conversationId, transition.to(), newQueue == null ? "" : " in queue " + newQueue);
    }

    /** A command's optional text field; null when absent or not text. */
    public static String text(JsonNode command, String field) {
        return command.path(field).isTextual() ? command.path(field).asText() : null;
    }

    private Conversation held(String agentId, String conversationId) {
        return conversations.findById(conversationId).filter(c -> agentId.equals(c.agentId()))
                .orElseThrow(() -> notYours(conversationId));
    }

    private static AgentCommandException notYours(String conversationId) {
        return new AgentCommandException("conversation " + conversationId + " is not yours");
    }

    private Map<String, Object> presenceOf(String agentId) {
        var agent = agents.agent(agentId).orElseThrow();
        int used = states.used(agentId);
        Presence chosen = states.chosen(agentId);
        return Map.of("presence", chosen.shown(used, agent.capacity()).name(), "chosen", chosen.name(),
                "capacity", agent.capacity(), "used", used);
    }

    private static Presence presence(String value) {
        try {
            return Presence.valueOf(value.toUpperCase(Locale.ROOT).replace(' ', '_'));
        } catch (IllegalArgumentException e) {
            throw new AgentCommandException("presence must be one of AVAILABLE, BUSY, DO_NOT_DISTURB, AWAY, OFFLINE");
        }
    }

    /** A command's required text field; refused with "... is required" when absent or blank. */
    public static String required(JsonNode command, String field) {
        String value = command.path(field).asText(null);
        if (value == null || value.isBlank()) {
            throw new AgentCommandException(field + " is required");
        }
        return value;
    }

    private void answer(String agentId, String requestId, String type, boolean ok, String reason, Map<String, Object> data) {
        events.record(new CommandAnswered(agentId, requestId, type, ok, reason, data, clock.instant()));
    }
}
