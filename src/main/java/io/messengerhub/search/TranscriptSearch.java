package io.messengerhub.search;

import java.time.Instant;

/**
 * What a person looks for in the archived transcripts: words, and filters that must all hold. Null means "any".
 *
 * @param from conversations closed at or after this instant
 * @param to   conversations closed before this instant
 */
public record TranscriptSearch(String text, String psid, String contactId, String agent, String page, String queue,
                               String status, Instant from, Instant to, int limit) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public TranscriptSearch {
        limit = limit <= 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
    }

    /**
     * One search result, linking to the full transcript.
     *
     * @param snippet the first transcript line that matches the words (or the first line when there are none)
     */
    public record Hit(String conversationId, String customerPsid, String contactId, String customerName, String agentId,
                      String pageId, String queue, String status, Instant openedAt, Instant closedAt, String snippet,
                      float score, String transcript) {
    }
}
