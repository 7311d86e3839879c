package io.messengerhub.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.messengerhub.event.FacebookEvent;
import io.messengerhub.event.FacebookEventParser;

/** A webhook's body as the processing route hands it to the recorder: its typed events. */
final class ParsedWebhook {

    private ParsedWebhook() {
    }

    static List<FacebookEvent> events(FacebookEventParser parser, String webhook) {
        try {
            return parser.parse(webhook.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
