package io.messengerhub.outbox;

/**
 * Something the hub decided, recorded with {@link DomainEvents#record} inside the transaction that decided it.
 * Where it goes (queues, topics, agents' inboxes, follow-up actions) is not the business of the code that decides
 * it: {@code routes/events.camel.yaml} relays each event type, by its simple class name, from
 * {@code direct:<SimpleName>} to its destinations.
 */
public interface DomainEvent {

    /**
     * What makes this event the same when it is decided again (a webhook or command delivered twice), so that its
     * messages are sent once: it is the broker duplicate id of each of its messages (kept per address by Artemis).
     * Null when every decision is a new event.
     */
    default String dedupKey() {
        return null;
    }
}
