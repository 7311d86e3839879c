package io.messengerhub.webhook;

/**
 * A webhook body that passed the gate: signed by Facebook, JSON, {@code object: page}.
 *
 * @param raw          the bytes exactly as received; stored as they are, parsed again after the answer
 * @param orderingKey  the first event's Page and customer; used as the broker's message group, so one customer's
 *                     events are processed in the order Facebook sent them while different customers' events are
 *                     processed in parallel
 */
public record AdmittedWebhook(byte[] raw, String orderingKey) {
}
