package io.messengerhub.conversation;

/**
 * The states of a conversation, as Dynamics 365 defines them: Open (queued, no agent), Active (an agent has it),
 * Waiting (the agent closed the session without ending it), Wrap-up (ended, after-call work), Closed (final).
 */
public enum ConversationState {
    OPEN, ACTIVE, WAITING, WRAP_UP, CLOSED
}
