package io.messengerhub.send;

import java.time.Duration;
import java.time.Instant;

/**
 * Facebook's messaging windows: a standard reply within 24 h of the customer's last message; between 24 h and
 * 7 days only a human agent, with the HUMAN_AGENT tag, and only if the Page allows it; after 7 days nothing
 * until the customer writes again. Decided before Facebook is called.
 */
public final class SendWindow {

    static final Duration STANDARD = Duration.ofHours(24);
    static final Duration HUMAN_AGENT = Duration.ofDays(7);

    private SendWindow() {
    }

    /** How a message may go out now, or why it may not. */
    public record Decision(String messagingType, String tag, String refusal) {
        public boolean allowed() {
            return refusal == null;
        }
    }

    public static Decision decide(Instant lastCustomerMessageAt, Instant now, boolean pageAllowsHumanAgentTag) {
        if (lastCustomerMessageAt == null) {
            return new Decision(null, null, "the customer has not written yet, so the Page may not message them");
        }
        Duration since = Duration.between(lastCustomerMessageAt, now);
        if (since.compareTo(STANDARD) <= 0) {
            return new Decision("RESPONSE", null, null);
        }
        if (since.compareTo(HUMAN_AGENT) > 0) {
            return new Decision(null, null, "more than 7 days since the customer's last message: Facebook allows no reply"
                    + " until the customer writes again");
        }
        if (!pageAllowsHumanAgentTag) {
            return new Decision(null, null, "more than 24 hours since the customer's last message and this Page does not"
                    + " allow the HUMAN_AGENT tag (human-agent-tag in config/channels.yaml)");
        }
        return new Decision("MESSAGE_TAG", "HUMAN_AGENT", null);
    }
}
