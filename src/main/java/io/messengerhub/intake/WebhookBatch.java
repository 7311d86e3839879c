package io.messengerhub.intake;

import java.util.List;

import io.messengerhub.event.FacebookEvent;

/**
 * The stored webhooks one processing consumer took from the broker together, each read into its events, in the
 * order the broker delivered them (one customer's webhooks in the order Facebook sent them).
 */
public record WebhookBatch(List<List<FacebookEvent>> webhooks) {

    /** A batch one of whose webhooks could not be read: nothing is recorded together, each webhook goes its own way. */
    static final WebhookBatch UNREADABLE = new WebhookBatch(List.of());

    public WebhookBatch {
        webhooks = List.copyOf(webhooks);
    }

    /** Whether every webhook of the batch could be read. */
    public boolean readable() {
        return !webhooks.isEmpty();
    }

    /** The events of all the webhooks, in order. */
    public List<FacebookEvent> events() {
        return webhooks.stream().flatMap(List::stream).toList();
    }
}
