package io.messengerhub.send;

/**
 * A message or sender action on its way to the Send API, as queued on {@code hub.send.outbound}.
 *
 * @param kind          {@code message} or {@code action}
 * @param requestId     the agent's command requestId, echoed in message.sent / message.failed
 * @param messagingType RESPONSE or MESSAGE_TAG, decided by {@link SendWindow} when the agent sent it
 * @param action        typing_on, typing_off or mark_seen for actions
 * @param file          for {@code file}: the agent's file, already checked and kept in the outbound store
 */
public record SendRequest(String kind, String requestId, String agentId, String conversationId, String pageId,
                          String customerPsid, String text, String messagingType, String tag, String action, OutboundFile file) {

    /** Messages and files are reported back to the agent; sender actions are best effort. */
    public boolean isMessage() {
        return "message".equals(kind) || "file".equals(kind);
    }

    /**
     * An agent's file on its way to the customer.
     *
     * @param attachmentType Facebook's attachment type: image, audio, video or file
     */
    public record OutboundFile(String name, String storedName, String contentType, String attachmentType, long size) {
    }
}
