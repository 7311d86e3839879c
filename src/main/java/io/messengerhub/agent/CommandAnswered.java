package io.messengerhub.agent;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;
import io.messengerhub.outbox.Envelope;

/** An agent's command was carried out or refused ({@code reason}): {@code command.result}, echoing its requestId. */
public record CommandAnswered(String agentId, String requestId, String command, boolean ok, String reason,
                              Map<String, Object> data, Instant at) implements DomainEvent {

    @JsonValue
    public Map<String, Object> message() {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("requestId", requestId);
        fields.put("command", command);
        fields.put("ok", ok);
        if (reason != null) {
            fields.put("reason", reason);
        }
        fields.putAll(data);
        return Envelope.of("command.result", at, fields);
    }
}
