package io.messengerhub.conversation;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of a conversation's transcript.
 *
 * @param sequence    the hub's own order number; the transcript is ordered by {@code sentAt}, then this
 * @param direction   {@code IN} from the customer, {@code OUT} from the Page (agents, echoes)
 * @param kind        message, postback or reaction
 * @param attachments the attachments as Facebook described them (type, url, title, payload), an empty array if none
 * @param status      for outbound messages SENT, DELIVERED or READ; RECEIVED for inbound ones
 */
public record TranscriptMessage(long sequence, Direction direction, String kind, String mid, String text,
                                String quickReplyPayload, String replyToMid, JsonNode attachments, Instant sentAt,
                                Instant recordedAt, String status) {

    /** Which way a message went. */
    public enum Direction { IN, OUT }
}
