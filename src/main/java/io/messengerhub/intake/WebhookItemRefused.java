package io.messengerhub.intake;

import io.messengerhub.outbox.DomainEvent;

/**
 * One item of a webhook could not be recorded ({@code reason}); {@code webhook} is a webhook holding just that item,
 * kept aside for people to look at. {@code refusalId} is made from the item, so however often Facebook sends it, it
 * is kept once.
 */
public record WebhookItemRefused(String refusalId, String webhook, String reason) implements DomainEvent {

    @Override
    public String dedupKey() {
        return refusalId;
    }
}
