package io.messengerhub.attachment;

/**
 * A file the hub will not fetch or keep, with a machine-readable reason code (blocked-host, private-address,
 * too-large, blocked-extension, type-not-allowed, type-mismatch, customer-attachments-off). Final: not retried.
 */
public class DownloadRefusedException extends Exception {

    private final String reason;

    public DownloadRefusedException(String reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
