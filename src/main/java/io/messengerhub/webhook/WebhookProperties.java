package io.messengerhub.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param maxBodyBytes     larger webhook bodies are refused with 413 (Facebook batches, so leave room)
 * @param inboundQueue     where admitted raw webhooks are stored before the 200
 * @param deadLetterQueue  where raw webhooks go that could not be processed after every retry
 */
@ConfigurationProperties("hub.webhook")
public record WebhookProperties(long maxBodyBytes, String inboundQueue, String deadLetterQueue) {
}
