package io.messengerhub.webhook;

/**
 * A webhook request the hub refuses; carries the HTTP status Facebook (or an attacker) gets and a short reason.
 * Thrown before anything is stored, so a refusal never changes state.
 */
public class WebhookRejectedException extends RuntimeException {

    private final int status;

    public WebhookRejectedException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int getStatus() {
        return status;
    }

    static WebhookRejectedException forbidden(String reason) {
        return new WebhookRejectedException(403, reason);
    }

    static WebhookRejectedException badRequest(String reason) {
        return new WebhookRejectedException(400, reason);
    }

    static WebhookRejectedException tooLarge(long limit) {
        return new WebhookRejectedException(413, "body larger than " + limit + " bytes");
    }
}
