package io.messengerhub.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.messengerhub.outbox.DomainEvents;
import io.messengerhub.search.TranscriptIndex;
import io.messengerhub.transcript.TranscriptArchive;
import io.messengerhub.transcript.TranscriptsRemoved;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Everything the hub keeps of a conversation, in every store, and how to delete all of it: the database rows
 * (transcript, notes, attachments, offers, events, the consent record), the customers' and agents' files, the archived transcript and
 * its search index entry. Retention and erasure both delete through here, so neither can forget a store.
 */
@Component
public class ConversationData {

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final TranscriptArchive archive;
    private final TranscriptIndex index;
    private final Path attachmentStore;
    private final Path archiveDir;
    private final DomainEvents events;

    public ConversationData(JdbcClient jdbc, TransactionTemplate transaction, TranscriptArchive archive, TranscriptIndex index,
                            @Value("${hub.attachments.store-dir}") Path attachmentStore,
                            @Value("${hub.transcripts.archive-dir}") Path archiveDir, DomainEvents events) {
        this.events = events;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.archive = archive;
        this.index = index;
        this.attachmentStore = attachmentStore;
        this.archiveDir = archiveDir;
    }

    /** What a deletion removed, by store; the record of an erasure keeps these numbers and nothing personal. */
    public record Deleted(int conversations, int messages, int notes, int attachments, int files, int events, int indexEntries,
                          int consents) {

        public static final Deleted NOTHING = new Deleted(0, 0, 0, 0, 0, 0, 0, 0);

        public Deleted(int conversations, int messages, int notes, int attachments, int files, int events, int indexEntries) {
            this(conversations, messages, notes, attachments, files, events, indexEntries, 0);
        }

        public Deleted plus(Deleted other) {
            return new Deleted(conversations + other.conversations, messages + other.messages, notes + other.notes,
                    attachments + other.attachments, files + other.files, events + other.events, indexEntries + other.indexEntries,
                    consents + other.consents);
        }

        public Map<String, Integer> asMap() {
            return Map.of("conversations", conversations, "messages", messages, "notes", notes, "attachments", attachments,
                    "files", files, "events", events, "indexEntries", indexEntries, "consents", consents);
        }
    }

    /**
     * Deletes the conversations from every store. Files go first and the rows last: if the hub stops half-way, the
     * rows still name what is left, and the next run deletes it.
     */
    public Deleted delete(Collection<String> conversationIds) {
        // One index change for all of them: each change commits and merges the index.
        Deleted deleted = new Deleted(0, 0, 0, 0, 0, 0, index.delete(conversationIds));
        for (String id : conversationIds) {
            deleted = deleted.plus(deleteOne(id));
        }
        if (!conversationIds.isEmpty()) {
            // The other hub instances' indexes let them go too (each has its own).
            events.record(new TranscriptsRemoved(List.copyOf(conversationIds)));
        }
        return deleted;
    }

    private Deleted deleteOne(String conversationId) {
        int files = 0;
        for (String storedName : jdbc.sql("select stored_name from attachment where conversation_id = :id and stored_name is not null")
                .param("id", conversationId).query(String.class).list()) {
            files += deleteFile(attachmentStore.resolve(storedName));
        }
        files += deleteTree(attachmentStore.resolve("outbound").resolve(conversationId));
        String baseName = archive.baseName(conversationId);
        files += deleteFile(archiveDir.resolve(baseName + ".json")) + deleteFile(archiveDir.resolve(baseName + ".txt"));
        Integer[] rows = transaction.execute(status -> new Integer[] {
                update("delete from message where conversation_id = :id", conversationId),
                update("delete from conversation_note where conversation_id = :id", conversationId),
                update("delete from attachment where conversation_id = :id", conversationId),
                update("delete from facebook_event where conversation_id = :id", conversationId),
                update("delete from conversation_offer where conversation_id = :id", conversationId)
                        + update("delete from pending_offer where conversation_id = :id", conversationId)
                        + update("delete from enrichment_retry where conversation_id = :id", conversationId)
                        + update("delete from open_conversation where conversation_id = :id", conversationId),
                update("delete from conversation where id = :id", conversationId),
                update("delete from conversation_consent where conversation_id = :id", conversationId)});
        return new Deleted(rows[5], rows[0], rows[1], rows[2], files, rows[3], 0, rows[6]);
    }

    private int update(String sql, String conversationId) {
        return jdbc.sql(sql).param("id", conversationId).update();
    }

    private static int deleteFile(Path file) {
        try {
            return Files.deleteIfExists(file) ? 1 : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + file, e);
        }
    }

    static int deleteTree(Path directory) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            int files = 0;
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                files += Files.isRegularFile(path) ? 1 : 0;
                Files.delete(path);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + directory, e);
        }
    }
}
