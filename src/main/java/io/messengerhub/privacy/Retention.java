package io.messengerhub.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import io.messengerhub.agent.CommandsCarriedOut;
import io.messengerhub.search.TranscriptIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deletes what is older than the retention period: closed conversations with their transcripts, notes,
 * attachments and files, their archive documents and index entries, and events that belong to no conversation.
 * Open conversations are kept however old they are; they are still someone's work. A closed conversation whose
 * customer declined consent to recording goes once {@code hub.privacy.consent.declined-max-age} (0: the next run) has
 * passed since it closed.
 */
@Component("retention")
public class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final JdbcClient jdbc;
    private final ConversationData data;
    private final TranscriptIndex index;
    private final CommandsCarriedOut commandsCarriedOut;
    private final Clock clock;
    private final Duration maxAge;
    private final Path archiveDir;
    private final Duration declinedMaxAge;

    public Retention(JdbcClient jdbc, ConversationData data, TranscriptIndex index, CommandsCarriedOut commandsCarriedOut,
                     Clock clock, Disclosures.Settings privacy,
                     @Value("${hub.privacy.retention.max-age}") Duration maxAge,
                     @Value("${hub.transcripts.archive-dir}") Path archiveDir) {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("hub.privacy.retention.max-age must be positive, not " + maxAge);
        }
        this.jdbc = jdbc;
        this.data = data;
        this.index = index;
        this.commandsCarriedOut = commandsCarriedOut;
        this.clock = clock;
        this.maxAge = maxAge;
        this.archiveDir = archiveDir;
        this.declinedMaxAge = privacy.consent().declinedMaxAge();
    }

    public ConversationData.Deleted purge() {
        Instant cutoff = clock.instant().minus(maxAge);
        OffsetDateTime cutoffTime = OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        List<String> expired = jdbc.sql("select id from conversation where state = 'CLOSED' and closed_at < :cutoff")
                .param("cutoff", cutoffTime).query(String.class).list();
        var declined = jdbc.sql("""
                select c.id from conversation c join conversation_consent k on k.conversation_id = c.id
                where k.answer = 'declined' and c.state = 'CLOSED' and c.closed_at <= :cutoff""")
                .param("cutoff", OffsetDateTime.ofInstant(clock.instant().minus(declinedMaxAge), ZoneOffset.UTC))
                .query(String.class).list();
        var gone = new java.util.LinkedHashSet<>(expired);
        gone.addAll(declined);
        ConversationData.Deleted deleted = data.delete(List.copyOf(gone));
        // Index entries and archive days whose rows are already gone (an earlier run stopped half-way).
        int strayIndexEntries = index.deleteClosedBefore(cutoff);
        int strayFiles = deleteArchiveDaysBefore(LocalDate.ofInstant(cutoff, ZoneOffset.UTC));
        int events = jdbc.sql("delete from facebook_event where conversation_id is null and received_at < :cutoff")
                .param("cutoff", cutoffTime).update();
        // Agents' commands are remembered against a second delivery; a day is plenty.
        commandsCarriedOut.forgetBefore(clock.instant().minus(Duration.ofDays(1)));
        deleted = deleted.plus(new ConversationData.Deleted(0, 0, 0, 0, strayFiles, events, strayIndexEntries));
        if (deleted.conversations() + deleted.events() + deleted.files() + deleted.indexEntries() > 0) {
            LOG.info("Retention: deleted what was older than {} ({}): {}", maxAge, cutoff, deleted.asMap());
        }
        return deleted;
    }

    /** Archive folders are {@code yyyy/MM/dd}; whole days before the cutoff day go. */
    private int deleteArchiveDaysBefore(LocalDate cutoffDay) {
        if (!Files.isDirectory(archiveDir)) {
            return 0;
        }
        try (Stream<Path> days = Files.find(archiveDir, 3, (path, attributes) -> attributes.isDirectory()
                && archiveDir.relativize(path).getNameCount() == 3)) {
            int files = 0;
            for (Path day : days.toList()) {
                LocalDate date = dayOf(archiveDir.relativize(day));
                if (date != null && date.isBefore(cutoffDay)) {
                    files += ConversationData.deleteTree(day);
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("could not clean the archive " + archiveDir, e);
        }
    }

    private static LocalDate dayOf(Path relative) {
        try {
            return LocalDate.of(Integer.parseInt(relative.getName(0).toString()), Integer.parseInt(relative.getName(1).toString()),
                    Integer.parseInt(relative.getName(2).toString()));
        } catch (RuntimeException notADay) {
            return null;
        }
    }
}
