package io.messengerhub.send;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.conversation.AgentCommandException;
import io.messengerhub.channel.ChannelProperties;
import io.messengerhub.channel.Channels;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationState;
import io.messengerhub.outbox.DomainEvents;
import org.springframework.stereotype.Component;

/**
 * Checks an agent's reply before anything is sent (conversation state, text, the Page's token and the messaging
 * window) and queues it durably for the facebook-send route. A refusal names the reason.
 */
@Component
public class Replies {

    /** Facebook's limit for a text message. */
    static final int MAX_TEXT = 2000;

    private final PageStatus pages;
    private final Channels channels;
    private final DomainEvents events;
    private final Clock clock;
    
    public Replies(PageStatus pages, Channels channels, DomainEvents events, Clock clock) {
        this.pages = pages;
        this.channels = channels;
        this.events = events;
        this.clock = clock;
    }

    public void queueMessage(String agentId, Conversation conversation, String requestId, String text) {
        if (text == null || text.isBlank()) {
            throw new AgentCommandException("text is required");
        }
        if (text.length() > MAX_TEXT) {
            throw new AgentCommandException("text is " + text.length() + " characters; Facebook allows " + MAX_TEXT);
        }
        SendWindow.Decision window = checkSendable(conversation);
        queue(new SendRequest("message", requestId == null ? UUID.randomUUID().toString() : requestId, agentId,
                conversation.id(), conversation.pageId(), conversation.customerPsid(), text, window.messagingType(),
                window.tag(), null, null, null));
    }

    /**
     * Queues a Messenger message beyond plain text (a button template, quick replies); {@code description} is what
     * the transcript and the agent see of it. The same conversation, Page and window rules as for text apply.
     */
    public void queueRichMessage(String agentId, Conversation conversation, String requestId, String description,
                                          JsonNode message) {
        SendWindow.Decision window = checkSendable(conversation);
        queue(new SendRequest(SendRequest.TEMPLATE, requestId == null ? UUID.randomUUID().toString() : requestId, agentId,
                conversation.id(), conversation.pageId(), conversation.customerPsid(), description, window.messagingType(),
                window.tag(), null, null, message));
    }

    /**
     * Queues the Page's disclosure notice for a conversation that just opened: the customer has just written, so it
     * goes as a response, before any agent is involved. {@code message}, when not null, is the whole Messenger message
     * (the text with the consent quick replies). Whether it was queued.
     */
    public boolean queueDisclosure(Conversation conversation, String text, JsonNode message) {
        return queueNotice(SendRequest.DISCLOSURE, conversation, text, message);
    }

    /** Queues what the Page tells a customer who declined consent to recording; whether it was queued. */
    public boolean queueConsentAnswer(Conversation conversation, String text) {
        return queueNotice(SendRequest.CONSENT_ANSWER, conversation, text, null);
    }

    private boolean queueNotice(String kind, Conversation conversation, String text, JsonNode message) {
        if (text == null || text.isBlank() || pages.blocked(conversation.pageId()).isPresent()) {
            return false;
        }
        SendWindow.Decision window = window(conversation);
        if (!window.allowed()) {
            return false;
        }
        queue(new SendRequest(kind, kind + "-" + conversation.id(), null,
                conversation.id(), conversation.pageId(), conversation.customerPsid(), text, window.messagingType(), window.tag(),
                null, null, message));
        return true;
    }

    /**
     * Queues the operator's automatic answer for a conversation that opened while its queue was closed or nobody was
     * there; empty when queued, else why not. An automated message may only go out as a response, within 24 hours of
     * the customer's message: the HUMAN_AGENT tag is for people.
     */
    public Optional<String> queueAutomaticAnswer(Conversation conversation, String text) {
        Optional<String> blocked = pages.blocked(conversation.pageId());
        if (blocked.isPresent()) {
            return blocked;
        }
        SendWindow.Decision window = window(conversation);
        if (!"RESPONSE".equals(window.messagingType())) {
            return Optional.of("more than 24 hours since the customer's message: only a person may answer now");
        }
        queue(new SendRequest(SendRequest.AUTOMATIC_ANSWER, SendRequest.AUTOMATIC_ANSWER + "-" + conversation.id(), null,
                conversation.id(), conversation.pageId(), conversation.customerPsid(), text, window.messagingType(), null,
                null, null, null));
        return Optional.empty();
    }

    /** Queues a checked file of the agent's; the same conversation, Page and window rules as for text apply. */
    public void queueFile(String agentId, Conversation conversation, String requestId, SendRequest.OutboundFile file) {
        SendWindow.Decision window = checkSendable(conversation);
        queue(new SendRequest("file", requestId == null ? UUID.randomUUID().toString() : requestId, agentId,
                conversation.id(), conversation.pageId(), conversation.customerPsid(), null, window.messagingType(),
                window.tag(), null, file, null));
    }

    /** Refuses (with the reason) what cannot be sent in this conversation now; else how it may go out. */
    public SendWindow.Decision checkSendable(Conversation conversation) {
        if (!List.of(ConversationState.ACTIVE, ConversationState.WAITING).contains(conversation.state())) {
            throw new AgentCommandException("conversation " + conversation.id() + " is " + conversation.state() + ": nothing can be sent");
        }
        pages.blocked(conversation.pageId()).ifPresent(reason -> {
            throw new AgentCommandException(reason);
        });
        SendWindow.Decision window = window(conversation);
        if (!window.allowed()) {
            throw new AgentCommandException(window.refusal());
        }
        return window;
    }

    /** How a message may go out now: the 24 h / 7 day windows, and whether the Page may use the HUMAN_AGENT tag. */
    private SendWindow.Decision window(Conversation conversation) {
        boolean humanAgentTag = channels.page(conversation.pageId()).map(ChannelProperties.Page::humanAgentTag).orElse(false);
        return SendWindow.decide(conversation.lastCustomerMessageAt(), clock.instant(), humanAgentTag);
    }

    public void queueAction(String agentId, Conversation conversation, String action) {
        if (conversation.state() == ConversationState.CLOSED) {
            throw new AgentCommandException("conversation " + conversation.id() + " is closed");
        }
        pages.blocked(conversation.pageId()).ifPresent(reason -> {
            throw new AgentCommandException(reason);
        });
        queue(new SendRequest("action", UUID.randomUUID().toString(), agentId, conversation.id(),
                conversation.pageId(), conversation.customerPsid(), null, null, null, action, null, null));
    }

    private void queue(SendRequest request) {
        events.record(new ReplyRequested(request));
    }
}
