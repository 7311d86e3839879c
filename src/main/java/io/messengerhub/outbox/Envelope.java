package io.messengerhub.outbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The envelope of a message to an agent's inbox (docs/asyncapi.yaml): {@code type}, {@code at}, then its fields. */
public final class Envelope {

    private Envelope() {
    }

    /** The fields as name, value, name, value, ...; a value may be null (it is then written as null). */
    public static Map<String, Object> of(String type, Instant at, Object... namesAndValues) {
        var fields = new LinkedHashMap<String, Object>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return of(type, at, fields);
    }

    public static Map<String, Object> of(String type, Instant at, Map<String, ?> fields) {
        var message = new LinkedHashMap<String, Object>();
        message.put("type", type);
        message.put("at", at);
        message.putAll(fields);
        return message;
    }
}
