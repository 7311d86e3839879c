package io.messengerhub.intake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.messengerhub.event.FacebookEvent;
import io.messengerhub.event.FacebookEventParser;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Reads the stored webhooks a processing consumer took together (routes/conversation-processing.camel.yaml). */
@Component("webhookBatches")
public class WebhookBatches {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookBatches.class);

    private final FacebookEventParser parser;

    public WebhookBatches(FacebookEventParser parser) {
        this.parser = parser;
    }

    /**
     * The events of each stored webhook; {@link WebhookBatch#UNREADABLE} when one cannot be read. That one fails
     * again on its own path, where its attempts are counted and it is dead-lettered with the reason.
     */
    public WebhookBatch read(List<Message> stored) {
        var webhooks = new ArrayList<List<FacebookEvent>>(stored.size());
        for (Message webhook : stored) {
            try {
                webhooks.add(parser.parse(webhook.getMandatoryBody(byte[].class)));
            } catch (IOException | RuntimeException | InvalidPayloadException unreadable) {
                LOG.debug("A stored webhook cannot be read, so its batch is recorded webhook by webhook: {}", unreadable.toString());
                return WebhookBatch.UNREADABLE;
            }
        }
        return new WebhookBatch(webhooks);
    }
}
