package io.messengerhub.outbox;

/**
 * A broker message decided inside a database transaction, waiting to be sent.
 *
 * @param id          the outbox row, deleted once the broker has the message
 * @param destination the Artemis address (a JMS queue name)
 * @param dedupId     sent as {@code _AMQ_DUPL_ID}: the broker drops a second copy
 * @param body        JSON text
 * @param deadLetterReason  for a message to a dead-letter queue: why, sent as {@code hubDeadLetterReason}; else null
 */
public record OutboxMessage(long id, String destination, String dedupId, String body, String deadLetterReason) {
}
