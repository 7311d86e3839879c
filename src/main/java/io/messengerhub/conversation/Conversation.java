package io.messengerhub.conversation;

import java.time.Instant;

/** A conversation between one customer and one Page, as the read API and later capabilities see it. */
public record Conversation(String id, String pageId, String customerPsid, ConversationState state, String queue,
                           Instant openedAt, Instant lastCustomerMessageAt, Instant lastInteractionAt,
                           Instant closedAt) {
}
