package io.messengerhub.transcript;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.search.TranscriptIndex;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps this instance's transcript index equal to every other's. Each hub instance has an index of its own (Lucene
 * wants one writer), and every instance follows the index topic through a durable subscription of its own
 * (routes/transcripts.camel.yaml): {@code transcript.archived} after any instance archived a conversation,
 * {@code transcript.removed} after any instance erased or expired some. What it indexes it reads from the shared
 * database, so it needs nothing of the archiving instance's disk. An instance that starts with an empty index
 * (new, or its index lost) first indexes every archived conversation the database holds.
 */
@Component("transcriptFollower")
public class TranscriptFollower {

    static final String ARCHIVED = "transcript.archived";
    static final String REMOVED = "transcript.removed";

    private static final Logger LOG = LoggerFactory.getLogger(TranscriptFollower.class);
    private static final int BATCH = 500;

    private final ObjectMapper json;
    private final TranscriptArchive archive;
    private final TranscriptIndex index;
    private final ArchivedConversations archived;

    public TranscriptFollower(ObjectMapper json, TranscriptArchive archive, TranscriptIndex index, ArchivedConversations archived) {
        this.json = json;
        this.archive = archive;
        this.index = index;
        this.archived = archived;
    }

    /** One message of the index topic: {@code {"type": "transcript.archived", "conversationId"}} or {@code "transcript.removed", "conversationIds"}. */
    public void follow(@Body String message) throws JsonProcessingException {
        JsonNode event = json.readTree(message);
        switch (event.path("type").asText()) {
            case ARCHIVED -> indexArchived(event.path("conversationId").asText());
            case REMOVED -> {
                List<String> ids = new ArrayList<>();
                event.path("conversationIds").forEach(id -> ids.add(id.asText()));
                index.delete(ids);
            }
            default -> throw new IllegalArgumentException("not an index topic message: " + message);
        }
    }

    /** Indexes a conversation as archived now; one erased meanwhile is not indexed. */
    void indexArchived(String conversationId) throws JsonProcessingException {
        if (archived.stillArchived(List.of(conversationId)).isEmpty()) {
            LOG.debug("Conversation {} is no longer archived: not indexed", conversationId);
            return;
        }
        index(conversationId);
    }

    private void index(String conversationId) throws JsonProcessingException {
        TranscriptArchive.Archived prepared = archive.prepare(conversationId);
        index.index(prepared.conversation(), prepared.text());
    }

    /** On start: an empty index gets every archived conversation the database holds. */
    @EventListener(ApplicationReadyEvent.class)
    public void rebuildIfEmpty() throws JsonProcessingException {
        if (index.size() > 0) {
            return;
        }
        List<String> closed = archived.all();
        if (closed.isEmpty()) {
            return;
        }
        LOG.info("The transcript index is empty: indexing the {} archived conversations of the database", closed.size());
        int indexed = 0;
        for (String id : closed) {
            // Listed as archived just now: no need to ask again per conversation.
            index(id);
            if (++indexed % BATCH == 0) {
                LOG.info("Indexed {} of {} archived conversations", indexed, closed.size());
            }
        }
        LOG.info("Indexed the {} archived conversations", indexed);
    }
}
