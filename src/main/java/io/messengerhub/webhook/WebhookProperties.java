package io.messengerhub.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param port             the webhook's own HTTP port (Vert.x, WebhookServer); 0 picks a free one
 * @param bindAddress      the address it listens on
 * @param workers          threads that run the webhook routes, each with one durable send at a time
 * @param requestTimeout   milliseconds a webhook may take, its durable send included, before it is answered 503
 * @param maxConcurrentPerClient webhooks one address may have in progress at once; more are answered 429
 * @param maxBodyBytes     larger webhook bodies are refused with 413 (Facebook batches, so leave room)
 * @param inboundQueue     where admitted raw webhooks are stored before the 200
 * @param deadLetterQueue  where raw webhooks go that could not be processed after every retry
 */
@ConfigurationProperties("hub.webhook")
public record WebhookProperties(int port, String bindAddress, int workers, long requestTimeout,
                                int maxConcurrentPerClient, long maxBodyBytes, String inboundQueue,
                                String deadLetterQueue) {
}
