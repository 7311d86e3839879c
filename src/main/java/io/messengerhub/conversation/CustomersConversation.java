package io.messengerhub.conversation;

/** A customer's open conversation as their new message finds it, with the mood its row keeps. */
public record CustomersConversation(Conversation conversation, StoredMood mood) {
}
