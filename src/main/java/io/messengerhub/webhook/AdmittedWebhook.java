package io.messengerhub.webhook;

/**
 * A webhook body that passed the gate: signed by Facebook, JSON, {@code object: page}.
 *
 * @param raw    the bytes exactly as received; stored as they are, parsed again after the answer
 * @param pageId the first entry's Page id; used as the broker's message group, so one Page's events are
 *               processed in the order Facebook sent them
 */
public record AdmittedWebhook(byte[] raw, String pageId) {
}
