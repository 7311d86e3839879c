package io.messengerhub.conversation;

import java.util.List;

import io.messengerhub.outbox.OutboxMessage;

/** A changed conversation and the messages its change committed to the outbox, to send right away. */
public record CommandResult(Conversation conversation, List<OutboxMessage> toSend) {
}
