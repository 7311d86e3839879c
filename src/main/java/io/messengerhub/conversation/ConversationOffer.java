package io.messengerhub.conversation;

import java.time.Instant;

/**
 * The {@code conversation.offered} message an agent queue receives for a new conversation
 * (documented in docs/asyncapi.yaml).
 */
public record ConversationOffer(String type, String conversationId, String pageId, String pageName, String customerPsid,
                                String queue, Instant offeredAt, TranscriptMessage firstMessage) {

    public static final String TYPE = "conversation.offered";

    public ConversationOffer(String conversationId, String pageId, String pageName, String customerPsid, String queue,
                             Instant offeredAt, TranscriptMessage firstMessage) {
        this(TYPE, conversationId, pageId, pageName, customerPsid, queue, offeredAt, firstMessage);
    }
}
