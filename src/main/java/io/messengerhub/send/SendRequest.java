package io.messengerhub.send;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message or sender action on its way to the Send API, as queued on {@code hub.send.outbound}.
 *
 * @param kind          {@code message}, {@code file}, {@code template}, {@code disclosure} (the hub's own notice at the
 *                      start of a conversation, with no agent; with consent quick replies when the Page asks),
 *                      {@code consent-answer} (the hub's answer to a customer who declined recording),
 *                      {@code automatic-answer} (the operator's answer to a
 *                      conversation that opened outside its queue's hours or with nobody there, with no agent) or
 *                      {@code action}
 * @param requestId     the agent's command requestId, echoed in message.sent / message.failed
 * @param messagingType RESPONSE or MESSAGE_TAG, decided by {@link SendWindow} when the agent sent it
 * @param action        typing_on, typing_off or mark_seen for actions
 * @param file          for {@code file}: the agent's file, already checked and kept in the outbound store
 * @param richMessage   for {@code template}: the whole Messenger {@code message} object (a button template, a text with
 *                      quick replies); {@code text} then says in words what the customer was sent, for the transcript
 */
public record SendRequest(String kind, String requestId, String agentId, String conversationId, String pageId,
                          String customerPsid, String text, String messagingType, String tag, String action, OutboundFile file,
                          JsonNode richMessage) {

    public static final String DISCLOSURE = "disclosure";
    public static final String TEMPLATE = "template";
    public static final String AUTOMATIC_ANSWER = "automatic-answer";
    public static final String CONSENT_ANSWER = "consent-answer";

    /** Messages, files and templates are reported back to the agent and kept in the transcript; sender actions are best effort. */
    public boolean isMessage() {
        return "message".equals(kind) || "file".equals(kind) || TEMPLATE.equals(kind) || DISCLOSURE.equals(kind)
                || AUTOMATIC_ANSWER.equals(kind) || CONSENT_ANSWER.equals(kind);
    }

    /** Jackson reads a JSON null into a JsonNode field as a NullNode, not as null. */
    public boolean hasRichMessage() {
        return richMessage != null && !richMessage.isNull() && !richMessage.isMissingNode();
    }

    /** The kind of its transcript entry: the hub's own messages keep theirs, an agent's are all {@code message}. */
    public String transcriptKind() {
        return DISCLOSURE.equals(kind) || AUTOMATIC_ANSWER.equals(kind) || CONSENT_ANSWER.equals(kind) ? kind : "message";
    }

    /**
     * An agent's file on its way to the customer.
     *
     * @param attachmentType Facebook's attachment type: image, audio, video or file
     */
    public record OutboundFile(String name, String storedName, String contentType, String attachmentType, long size) {
    }
}
