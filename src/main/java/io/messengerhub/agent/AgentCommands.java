package io.messengerhub.agent;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.api.ApiBadRequestException;
import io.messengerhub.attachment.CustomerAttachments;
import io.messengerhub.broker.BrokerSecurity;
import io.messengerhub.channel.ChannelProperties;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationEvents;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.conversation.ConversationState;
import io.messengerhub.outbox.OutboxMessage;
import io.messengerhub.search.KnowledgeBase;
import io.messengerhub.search.SearchQueries;
import io.messengerhub.search.TranscriptIndex;
import io.messengerhub.search.TranscriptSearch;
import io.messengerhub.send.Replies;
import io.messengerhub.workspace.CallOptions;
import io.messengerhub.workspace.Cases;
import io.messengerhub.workspace.ConversationView;
import io.messengerhub.workspace.Notes;
import io.messengerhub.workspace.QuickReplies;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Carries out the commands agents send to {@code contact-center.commands}. Who sent a command is the user the
 * broker authenticated ({@code _AMQ_VALIDATED_USER}), never a field of the message. Every command is answered on
 * the agent's inbox with {@code command.result}, echoing its {@code requestId}.
 */
@Component("agentCommands")
public class AgentCommands {

    private static final Logger LOG = LoggerFactory.getLogger(AgentCommands.class);

    private final AgentProperties agents;
    private final AgentStates states;
    private final WorkDistribution distribution;
    private final ConversationRepository conversations;
    private final AgentInbox inbox;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final Clock clock;
    private final Replies replies;
    private final ConversationEvents conversationEvents;
    private final CustomerAttachments attachments;
    private final Notes notes;
    private final QuickReplies quickReplies;
    private final ChannelProperties channels;
    private final KnowledgeBase knowledge;
    private final TranscriptIndex transcripts;
    private final Cases cases;
    private final CallOptions calls;
    private final ConversationView views;

    public AgentCommands(AgentProperties agents, AgentStates states, WorkDistribution distribution,
                         ConversationRepository conversations, AgentInbox inbox, TransactionTemplate transaction,
                         ObjectMapper json, Clock clock, Replies replies,
                         ConversationEvents conversationEvents,
                         CustomerAttachments attachments, Notes notes,
                         QuickReplies quickReplies, ChannelProperties channels,
                         KnowledgeBase knowledge, TranscriptIndex transcripts,
                         Cases cases, CallOptions calls,
                         ConversationView views) {
        this.cases = cases;
        this.calls = calls;
        this.views = views;
        this.knowledge = knowledge;
        this.transcripts = transcripts;
        this.notes = notes;
        this.quickReplies = quickReplies;
        this.channels = channels;
        this.attachments = attachments;
        this.conversationEvents = conversationEvents;
        this.replies = replies;
        this.agents = agents;
        this.states = states;
        this.distribution = distribution;
        this.conversations = conversations;
        this.inbox = inbox;
        this.transaction = transaction;
        this.json = json;
        this.clock = clock;
    }

    /** Handles one command; returns the inbox messages to send (always at least the command's result). */
    public List<OutboxMessage> handle(@Body String body, @Header("_AMQ_VALIDATED_USER") String validatedUser,
                                      @Header("JMSXUserID") String jmsxUser) {
        String agentId = BrokerSecurity.sender(validatedUser, jmsxUser);
        if (agentId == null || agents.agent(agentId).isEmpty()) {
            LOG.warn("Ignored a command from '{}', who is not an agent", agentId);
            return List.of();
        }
        if (states.seen(agentId)) {
            LOG.info("Agent {} is back within the grace period", agentId);
        }
        JsonNode command;
        try {
            command = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            return List.of(result(agentId, null, "unknown", false, "command is not JSON"));
        }
        String type = command.path("type").asText("");
        String requestId = command.path("requestId").asText(null);
        if (type.equals("heartbeat")) {
            return List.of();
        }
        var toSend = new ArrayList<OutboxMessage>();
        try {
            Map<String, Object> data = execute(agentId, type, command, toSend);
            toSend.add(0, result(agentId, requestId, type, true, null, data));
        } catch (AgentCommandException refused) {
            LOG.info("Agent {} command {} refused: {}", agentId, type, refused.getMessage());
            toSend.add(result(agentId, requestId, type, false, refused.getMessage()));
        }
        return toSend;
    }

    private Map<String, Object> execute(String agentId, String type, JsonNode command, List<OutboxMessage> toSend) {
        switch (type) {
            case "presence.set" -> {
                Presence presence = presence(command.path("presence").asText(""));
                states.choose(agentId, presence);
                return presenceOf(agentId);
            }
            case "presence.get" -> {
                return presenceOf(agentId);
            }
            case "offer.accept" -> toSend.addAll(distribution.accept(agentId, required(command, "offerId")));
            case "offer.reject" -> toSend.addAll(distribution.reject(agentId, required(command, "offerId")));
            case "queue.list" -> {
                return Map.of("conversations", distribution.pickable(agentId));
            }
            case "conversation.pick" -> toSend.addAll(distribution.pick(agentId, required(command, "conversationId")));
            case "conversation.list" -> {
                return Map.of("conversations", conversations.heldBy(agentId));
            }
            case "conversation.open" -> {
                return views.of(held(agentId, required(command, "conversationId")));
            }
            case "conversation.end" -> move(agentId, command, List.of(ConversationState.ACTIVE, ConversationState.WAITING),
                    ConversationState.WRAP_UP, agentId, null, toSend);
            case "conversation.wait" -> move(agentId, command, List.of(ConversationState.ACTIVE), ConversationState.WAITING, agentId, null, toSend);
            case "conversation.close" -> move(agentId, command,
                    List.of(ConversationState.ACTIVE, ConversationState.WAITING, ConversationState.WRAP_UP), ConversationState.CLOSED, agentId, null, toSend);
            case "conversation.release" -> move(agentId, command, List.of(ConversationState.ACTIVE, ConversationState.WAITING),
                    ConversationState.OPEN, null, null, toSend);
            case "conversation.transfer" -> {
                String queue = required(command, "queue");
                if (agents.membersOf(queue).isEmpty() && agents.queues().stream().noneMatch(q -> q.name().equals(queue))) {
                    throw new AgentCommandException("no queue '" + queue + "'");
                }
                move(agentId, command, List.of(ConversationState.ACTIVE, ConversationState.WAITING), ConversationState.OPEN, null, queue, toSend);
            }
            case "message.send" -> {
                toSend.add(replies.queueMessage(agentId, held(agentId, required(command, "conversationId")),
                        command.path("requestId").asText(null), command.path("text").asText("")));
                return Map.of("queued", true);
            }
            case "note.add" -> {
                Conversation conversation = held(agentId, required(command, "conversationId"));
                String text = required(command, "text");
                if (text.length() > Notes.MAX_LENGTH) {
                    throw new AgentCommandException("a note has at most " + Notes.MAX_LENGTH + " characters");
                }
                notes.add(conversation.id(), agentId, text);
                return Map.of("notes", notes.of(conversation.id()));
            }
            case "quickreply.list" -> {
                return Map.of("quickReplies", quickReplies.quickReplies());
            }
            case "quickreply.send" -> {
                Conversation conversation = held(agentId, required(command, "conversationId"));
                var template = quickReplies.template(required(command, "templateId"))
                        .orElseThrow(() -> new AgentCommandException("no quick reply '" + command.path("templateId").asText() + "'"));
                var values = new HashMap<String, String>();
                values.put("firstName", conversation.customer() == null ? null : conversation.customer().firstName());
                values.put("lastName", conversation.customer() == null ? null : conversation.customer().lastName());
                values.put("agentName", agents.agent(agentId).map(AgentProperties.Agent::name).orElse(agentId));
                values.put("pageName", channels.page(conversation.pageId()).map(ChannelProperties.Page::name).orElse(""));
                String text = QuickReplies.render(template.text(), values);
                toSend.add(replies.queueMessage(agentId, conversation, command.path("requestId").asText(null), text));
                return Map.of("queued", true, "text", text);
            }
            case "knowledge.search" -> {
                return Map.of("articles", knowledge.search(command.path("query").asText(""), command.path("limit").asInt(10)));
            }
            case "knowledge.share" -> {
                Conversation conversation = held(agentId, required(command, "conversationId"));
                var article = knowledge.article(required(command, "articleId"))
                        .orElseThrow(() -> new AgentCommandException("no knowledge article '" + command.path("articleId").asText() + "'"));
                String text = article.shareText();
                toSend.add(replies.queueMessage(agentId, conversation, command.path("requestId").asText(null), text));
                return Map.of("queued", true, "text", text);
            }
            case "transcript.search" -> {
                try {
                    return Map.of("transcripts", transcripts.search(new TranscriptSearch(
                            text(command, "query"), text(command, "psid"), text(command, "contactId"), text(command, "agent"),
                            text(command, "page"), text(command, "queue"), text(command, "status"),
                            SearchQueries.instant("from", text(command, "from"), false),
                            SearchQueries.instant("to", text(command, "to"), true),
                            command.path("limit").asInt(0))));
                } catch (ApiBadRequestException e) {
                    throw new AgentCommandException(e.getMessage());
                }
            }
            case "case.create" -> {
                return cases.create(agentId, held(agentId, required(command, "conversationId")), required(command, "title"),
                        text(command, "description"));
            }
            case "case.search" -> {
                Conversation conversation = text(command, "conversationId") == null ? null : held(agentId, text(command, "conversationId"));
                return Map.of("cases", cases.search(conversation, command.path("query").asText("")));
            }
            case "case.link" -> {
                return cases.link(agentId, held(agentId, required(command, "conversationId")), required(command, "caseId"));
            }
            case "case.resolve" -> {
                return cases.resolve(agentId, held(agentId, required(command, "conversationId")), text(command, "resolution"));
            }
            case "call.button", "call.callback" -> {
                Conversation conversation = held(agentId, required(command, "conversationId"));
                var call = type.equals("call.button")
                        ? calls.callButton(text(command, "phoneNumber"), text(command, "text"), text(command, "title"))
                        : calls.callbackRequest(text(command, "text"));
                toSend.add(replies.queueRichMessage(agentId, conversation, command.path("requestId").asText(null),
                        call.description(), call.message()));
                return Map.of("queued", true, "text", call.description());
            }
            case "typing" -> toSend.add(replies.queueAction(agentId, held(agentId, required(command, "conversationId")),
                    command.path("on").asBoolean(true) ? "typing_on" : "typing_off"));
            case "conversation.seen" -> toSend.add(replies.queueAction(agentId, held(agentId, required(command, "conversationId")),
                    "mark_seen"));
            default -> throw new AgentCommandException("unknown command '" + type + "'");
        }
        return Map.of();
    }

    private void move(String agentId, JsonNode command, List<ConversationState> from, ConversationState to, String newAgent,
                      String newQueue, List<OutboxMessage> toSend) {
        String conversationId = required(command, "conversationId");
        List<OutboxMessage> events = transaction.execute(status -> {
            held(agentId, conversationId);
            if (!conversations.changeState(conversationId, from, to, newAgent, newQueue, clock.instant())) {
                throw new AgentCommandException("conversation " + conversationId + " cannot go to " + to + " from its state");
            }
            return to == ConversationState.CLOSED
                    ? conversationEvents.closed(conversations.findById(conversationId).orElseThrow())
                    : List.<OutboxMessage>of();
        });
        toSend.addAll(events == null ? List.of() : events);
        LOG.info("Agent {} moved conversation {} to {}{}", agentId, conversationId, to, newQueue == null ? "" : " in queue " + newQueue);
    }

    private static String text(JsonNode command, String field) {
        return command.path(field).isTextual() ? command.path(field).asText() : null;
    }

    private Conversation held(String agentId, String conversationId) {
        return conversations.findById(conversationId).filter(c -> agentId.equals(c.agentId()))
                .orElseThrow(() -> new AgentCommandException("conversation " + conversationId + " is not yours"));
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

    private static String required(JsonNode command, String field) {
        String value = command.path(field).asText(null);
        if (value == null || value.isBlank()) {
            throw new AgentCommandException(field + " is required");
        }
        return value;
    }

    private OutboxMessage result(String agentId, String requestId, String type, boolean ok, String reason) {
        return result(agentId, requestId, type, ok, reason, Map.of());
    }

    private OutboxMessage result(String agentId, String requestId, String type, boolean ok, String reason, Map<String, Object> data) {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("requestId", requestId);
        fields.put("command", type);
        fields.put("ok", ok);
        if (reason != null) {
            fields.put("reason", reason);
        }
        fields.putAll(data);
        return inbox.send(agentId, "command.result", fields);
    }
}
