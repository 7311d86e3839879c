package io.messengerhub.outbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The envelope of a message to an agent's inbox (docs/asyncapi.yaml): {@code type}, {@code at}, then its fields. */
public final class Envelope {

    private Envelope() {
    }

    public static Map<String, Object> of(String type, Instant at, Map<String, ?> fields) {
        var message = new LinkedHashMap<String, Object>();
        message.put("type", type);
        message.put("at", at);
        message.putAll(fields);
        return message;
    }
}
