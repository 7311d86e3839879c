package io.messengerhub.send;

import java.time.Clock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.messengerhub.outbox.DomainEvents;
import io.messengerhub.channel.PageTokens;
import io.messengerhub.conversation.ConversationRepository.NewMessage;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.conversation.TranscriptMessage.Direction;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns queued send requests into Send API calls and Facebook's answers into outcomes: the message goes into the
 * transcript and the agent hears {@code message.sent}; a final error ({@code 190} token rejected, {@code 2018278}
 * outside the window, {@code 551} person not available, invalid parameter or permission) is reported as
 * {@code message.failed}; rate limits and temporary errors throw {@link RetryableSendException} so the broker
 * retries with back-off, and after the last attempt {@link #gaveUp} reports it.
 */
@Component("facebookSender")
public class FacebookSender {

    private static final Logger LOG = LoggerFactory.getLogger(FacebookSender.class);

    private final ObjectMapper json;
    private final PageTokens tokens;
    private final PageStatus pages;
    private final ConversationRepository conversations;
    private final DomainEvents events;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final OutboundFiles outboundFiles;

    public FacebookSender(ObjectMapper json, PageTokens tokens, PageStatus pages, ConversationRepository conversations,
                          DomainEvents events, TransactionTemplate transaction, Clock clock,
                          OutboundFiles outboundFiles) {
        this.outboundFiles = outboundFiles;
        this.json = json;
        this.tokens = tokens;
        this.pages = pages;
        this.conversations = conversations;
        this.events = events;
        this.transaction = transaction;
        this.clock = clock;
    }

    public SendRequest read(String queued) throws JsonProcessingException {
        return json.readValue(queued, SendRequest.class);
    }

    public String write(SendRequest request) throws JsonProcessingException {
        return json.writeValueAsString(request);
    }

    /** The Graph API request for a queued message or action. */
    public GraphCall call(SendRequest request) {
        String token = tokens.tokenFor(request.pageId())
                .orElseThrow(() -> new IllegalStateException("no access token configured for page " + request.pageId()));
        if ("file".equals(request.kind())) {
            return new GraphCall(request.pageId(), token, outboundFiles.multipart(request), null);
        }
        ObjectNode body = json.createObjectNode();
        body.putObject("recipient").put("id", request.customerPsid());
        if (request.isMessage()) {
            body.put("messaging_type", request.messagingType());
            if (request.tag() != null) {
                body.put("tag", request.tag());
            }
            if (request.hasRichMessage()) {
                body.set("message", request.richMessage());
            } else {
                body.putObject("message").put("text", request.text());
            }
        } else {
            body.put("sender_action", request.action());
        }
        return new GraphCall(request.pageId(), token, body.toString(), "application/json");
    }

    /** What Facebook's answer means for the agent and the transcript. */
    public void outcome(SendRequest request, @Header("CamelHttpResponseCode") Integer status,
                                       @org.apache.camel.Body String answer) {
        JsonNode body = parse(answer);
        if (status != null && status == 200) {
            if (request.isMessage()) {
                sent(request, body.path("message_id").asText(null));
            }
            return;
        }
        JsonNode error = body.path("error");
        int code = error.path("code").asInt(0);
        int subcode = error.path("error_subcode").asInt(0);
        String message = error.path("message").asText("HTTP " + status);
        if (!request.isMessage()) {
            LOG.debug("Sender action {} for conversation {} failed: {}", request.action(), request.conversationId(), message);
            return;
        }
        if (code == 190) {
            LOG.error("Facebook rejected the access token of page {} (190): it needs re-authorisation", request.pageId());
            pages.needsReauthorisation(request.pageId(), message);
            transaction.executeWithoutResult(tx -> {
                events.record(new PageReauthorisationRequired(request.pageId(), message, clock.instant()));
                failed(request, "page " + request.pageId() + " needs re-authorisation: " + message, code);
            });
            return;
        }
        if (subcode == 2018278) {
            failed(request, "outside the allowed messaging window (2018278): " + message, code);
            return;
        }
        if (code == 551 || subcode == 1545041) {
            failed(request, "this person is not available right now (551): " + message, code);
            return;
        }
        if (code == 4 || code == 32 || code == 613 || code == 2 || status == null || status >= 500) {
            throw new RetryableSendException("Facebook " + (status == null ? "did not answer" : "answered HTTP " + status)
                    + (code != 0 ? " error " + code : "") + ": " + message);
        }
        failed(request, "Facebook refused the message (" + code + "): " + message, code);
    }

    /** The last attempt failed too: the agent learns the message was not sent. */
    public void gaveUp(SendRequest request, String reason) {
        if (request.isMessage()) {
            failed(request, "not sent, gave up after retrying: " + reason, null);
        }
    }

    private void sent(SendRequest request, String mid) {
        transaction.executeWithoutResult(status -> {
            // The echo may have arrived first; it is then already in the transcript.
            if (mid == null || !conversations.hasMessage(request.conversationId(), mid)) {
                conversations.append(new NewMessage(request.conversationId(), null, Direction.OUT,
                        request.transcriptKind(), mid,
                        request.text(), null, null, request.file() != null ? attachmentJson(request.file())
                                : request.hasRichMessage() && request.richMessage().has("attachment")
                                        ? json.createArrayNode().add(request.richMessage().get("attachment")).toString() : null,
                        clock.instant(), clock.instant(), "SENT"));
            }
            conversations.pageWrote(request.conversationId(), clock.instant());
            if (request.agentId() != null) {
                conversations.agentAnswered(request.conversationId(), clock.instant());
            }
            events.record(new MessageSent(request.agentId(), request.conversationId(), request.requestId(), mid,
                    request.messagingType(), clock.instant()));
        });
    }

    private String attachmentJson(SendRequest.OutboundFile file) {
        ObjectNode attachment = json.createObjectNode();
        attachment.put("type", file.attachmentType());
        attachment.put("title", file.name());
        attachment.put("contentType", file.contentType());
        attachment.put("size", file.size());
        return json.createArrayNode().add(attachment).toString();
    }

    private void failed(SendRequest request, String reason, Integer code) {
        if (request.agentId() == null) {
            // The hub's own message (the disclosure, an automatic answer): no agent to tell; operators see it in the log.
            LOG.error("The hub's {} in conversation {} was not sent: {}", request.kind(), request.conversationId(), reason);
            return;
        }
        LOG.warn("Message of agent {} in conversation {} not sent: {}", request.agentId(), request.conversationId(), reason);
        events.record(new MessageFailed(request.agentId(), request.conversationId(), request.requestId(), reason, code, clock.instant()));
    }

    private JsonNode parse(String answer) {
        try {
            return answer == null || answer.isBlank() ? json.createObjectNode() : json.readTree(answer);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

}
