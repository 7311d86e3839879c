package io.messengerhub.agent;

import static io.messengerhub.agent.AgentCommands.required;
import static io.messengerhub.agent.AgentCommands.text;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.conversation.AgentCommandException;
import io.messengerhub.agent.AgentCommands;
import io.messengerhub.api.ApiBadRequestException;
import io.messengerhub.channel.ChannelProperties;
import io.messengerhub.channel.Channels;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.search.KnowledgeBase;
import io.messengerhub.search.SearchQueries;
import io.messengerhub.search.TranscriptIndex;
import io.messengerhub.search.TranscriptSearch;
import io.messengerhub.send.OutboundFiles;
import io.messengerhub.send.Replies;
import org.springframework.stereotype.Component;
import io.messengerhub.workspace.Notes;
import io.messengerhub.workspace.Cases;
import io.messengerhub.workspace.CallOptions;
import io.messengerhub.workspace.Consults;
import io.messengerhub.workspace.QuickReplies;
import io.messengerhub.workspace.QuickReplyTemplates;
import io.messengerhub.workspace.Records;

/**
 * The agent's tools during a conversation, as commands: notes, quick replies, knowledge articles, transcript search,
 * CRM cases and contacts, call options, and answers to a supervisor's consult. {@link AgentCommands} hands these types
 * over; it has already checked who the agent is, and answers with what this returns (or with the refusal this throws).
 */
@Component
public class WorkspaceCommands {

    public static final Set<String> TYPES = Set.of("note.add", "quickreply.list", "quickreply.send", "knowledge.search",
            "knowledge.share", "transcript.search", "case.create", "case.search", "case.link", "case.resolve", "case.unlink",
            "contact.search", "contact.link", "contact.unlink", "contact.create", "call.button", "call.callback", "files.policy",
            "consult.send");

    private final Notes notes;
    private final QuickReplyTemplates quickReplies;
    private final KnowledgeBase knowledge;
    private final TranscriptIndex transcripts;
    private final Cases cases;
    private final Records records;
    private final CallOptions calls;
    private final Replies replies;
    private final AgentDirectory agents;
    private final Channels channels;
    private final OutboundFiles files;
    private final Consults consults;

    public WorkspaceCommands(Notes notes, QuickReplyTemplates quickReplies, KnowledgeBase knowledge, TranscriptIndex transcripts,
                             Cases cases, Records records, CallOptions calls, Replies replies, AgentDirectory agents,
                             Channels channels, OutboundFiles files, Consults consults) {
        this.consults = consults;
        this.files = files;
        this.notes = notes;
        this.quickReplies = quickReplies;
        this.knowledge = knowledge;
        this.transcripts = transcripts;
        this.cases = cases;
        this.records = records;
        this.calls = calls;
        this.replies = replies;
        this.agents = agents;
        this.channels = channels;
    }

    /**
     * Carries out one command of {@link #TYPES}; returns the result's data.
     *
     * @param held the agent's conversation by id, refused when it is not theirs
     */
    public Map<String, Object> execute(String agentId, String type, JsonNode command, Function<String, Conversation> held) {
        switch (type) {
            case "note.add" -> {
                Conversation conversation = held.apply(required(command, "conversationId"));
                String text = required(command, "text");
                if (text.length() > Notes.MAX_LENGTH) {
                    throw new AgentCommandException("a note has at most " + Notes.MAX_LENGTH + " characters");
                }
                notes.add(conversation.id(), agentId, text);
                return Map.of("notes", notes.of(conversation.id()));
            }
            case "consult.send" -> {
                // The agent answers a supervisor who consulted it; the thread stays between them, never the customer's.
                Conversation conversation = held.apply(required(command, "conversationId"));
                String text = text(command, "text");
                String refusal = Consults.refusal(text);
                if (refusal != null) {
                    throw new AgentCommandException(refusal);
                }
                if (consults.of(conversation.id()).isEmpty()) {
                    throw new AgentCommandException("no supervisor has consulted you in conversation " + conversation.id());
                }
                consults.write(conversation.id(), agentId, Consults.Role.AGENT, agentId, text);
                return Map.of("consult", consults.of(conversation.id()));
            }
            case "files.policy" -> {
                return files.agentPolicy();
            }
            case "quickreply.list" -> {
                return Map.of("quickReplies", quickReplies.templates());
            }
            case "quickreply.send" -> {
                Conversation conversation = held.apply(required(command, "conversationId"));
                var template = quickReplies.template(required(command, "templateId"))
                        .orElseThrow(() -> new AgentCommandException("no quick reply '" + command.path("templateId").asText() + "'"));
                var values = new HashMap<String, String>();
                values.put("firstName", conversation.customer() == null ? null : conversation.customer().firstName());
                values.put("lastName", conversation.customer() == null ? null : conversation.customer().lastName());
                values.put("agentName", agents.agent(agentId).map(AgentProperties.Agent::name).orElse(agentId));
                values.put("pageName", channels.page(conversation.pageId()).map(ChannelProperties.Page::name).orElse(""));
                String text = QuickReplies.render(template.text(), values);
                replies.queueMessage(agentId, conversation, command.path("requestId").asText(null), text);
                return Map.of("queued", true, "text", text);
            }
            case "knowledge.search" -> {
                return Map.of("articles", knowledge.search(command.path("query").asText(""), command.path("limit").asInt(10)));
            }
            case "knowledge.share" -> {
                Conversation conversation = held.apply(required(command, "conversationId"));
                var article = knowledge.article(required(command, "articleId"))
                        .orElseThrow(() -> new AgentCommandException("no knowledge article '" + command.path("articleId").asText() + "'"));
                String text = article.shareText();
                replies.queueMessage(agentId, conversation, command.path("requestId").asText(null), text);
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
                return cases.create(agentId, held.apply(required(command, "conversationId")), required(command, "title"),
                        text(command, "description"));
            }
            case "case.search" -> {
                Conversation conversation = text(command, "conversationId") == null ? null : held.apply(text(command, "conversationId"));
                return Map.of("cases", cases.search(conversation, command.path("query").asText("")));
            }
            case "case.link" -> {
                return cases.link(agentId, held.apply(required(command, "conversationId")), required(command, "caseId"));
            }
            case "case.resolve" -> {
                return cases.resolve(agentId, held.apply(required(command, "conversationId")), text(command, "resolution"));
            }
            case "case.unlink" -> {
                return cases.unlink(agentId, held.apply(required(command, "conversationId")));
            }
            case "contact.search" -> {
                return records.search(command.path("query").asText(""));
            }
            case "contact.link" -> {
                return records.link(agentId, held.apply(required(command, "conversationId")), required(command, "contactId"));
            }
            case "contact.unlink" -> {
                return records.unlink(agentId, held.apply(required(command, "conversationId")));
            }
            case "contact.create" -> {
                return records.create(agentId, held.apply(required(command, "conversationId")));
            }
            case "call.button", "call.callback" -> {
                Conversation conversation = held.apply(required(command, "conversationId"));
                var call = type.equals("call.button")
                        ? calls.callButton(text(command, "phoneNumber"), text(command, "text"), text(command, "title"))
                        : calls.callbackRequest(text(command, "text"));
                replies.queueRichMessage(agentId, conversation, command.path("requestId").asText(null),
                        call.description(), call.message());
                return Map.of("queued", true, "text", call.description());
            }
            default -> throw new AgentCommandException("unknown command '" + type + "'");
        }
    }
}
