package io.messengerhub.send;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import io.messengerhub.outbox.DomainEvent;

/** Facebook rejected a Page's token (190): integrations and operators must re-authorise it. */
public record PageReauthorisationRequired(String pageId, String reason, Instant at) implements DomainEvent {

    @JsonValue
    public Map<String, Object> integrationEvent() {
        var event = new LinkedHashMap<String, Object>();
        event.put("type", "page.reauthorisation-required");
        event.put("pageId", pageId);
        event.put("reason", reason);
        event.put("occurredAt", at);
        return event;
    }
}
