package io.messengerhub.attachment;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationRepository.NewMessage;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.conversation.TranscriptMessage.Direction;
import io.messengerhub.event.Attachment;
import io.messengerhub.outbox.DomainEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Customers' files, from Facebook's CDN to the attachment store: each file of a message is queued on its own
 * (a slow download holds up nothing else), fetched safely, inspected against the policy, and kept under a
 * generated name; or refused, in which case the transcript and the agent get
 * {@value #UNSUPPORTED} with the machine-readable reason beside it.
 */
@Component("customerAttachments")
public class CustomerAttachments {

    /** What Dynamics 365 shows the agent for a file it does not deliver, word for word. */
    public static final String UNSUPPORTED = "Error: The customer sent an unsupported message type.";

    private static final Logger LOG = LoggerFactory.getLogger(CustomerAttachments.class);

    private final JdbcClient jdbc;
    private final AttachmentPolicyFile policyFile;
    private final SafeDownloader downloader;
    private final FileInspector inspector;
    private final ConversationRepository conversations;
    private final DomainEvents events;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final Path workDir;
    private final ObjectMapper json;

    public CustomerAttachments(JdbcClient jdbc, AttachmentPolicyFile policyFile, SafeDownloader downloader, FileInspector inspector,
                               ConversationRepository conversations, DomainEvents events,
                               TransactionTemplate transaction, Clock clock,
                               @Value("${hub.attachments.store-dir}") Path storeDir,
                               ObjectMapper json) {
        this.json = json;
        this.jdbc = jdbc;
        this.policyFile = policyFile;
        this.downloader = downloader;
        this.inspector = inspector;
        this.conversations = conversations;
        this.events = events;
        this.transaction = transaction;
        this.clock = clock;
        this.workDir = storeDir.resolve(".incoming");
    }

    /** A file waiting to be written to the store (by the attachment-fetch route, through camel-file). */
    public record Accepted(String attachmentId, Path file, String storedName) {
    }

    /**
     * Queues the message's files for fetching; call inside the transaction that records the message. Returns the
     * attachment id of each of the message's attachments that is a file, by position; null for the others
     * (locations, links, ...).
     */
    public List<String> queue(Conversation conversation, String mid, List<Attachment> attachments) {
        var ids = new ArrayList<String>();
        for (Attachment attachment : attachments) {
            if (!attachment.isFile()) {
                ids.add(null);
                continue;
            }
            String id = UUID.randomUUID().toString();
            ids.add(id);
            jdbc.sql("insert into attachment (id, conversation_id, message_mid, claimed_type, source_url, original_name, status, created_at)"
                            + " values (:id, :conversation, :mid, :type, :url, :name, 'PENDING', :now)")
                    .param("id", id).param("conversation", conversation.id()).param("mid", mid).param("type", attachment.type())
                    .param("url", attachment.url()).param("name", FileInspector.displayName(nameOf(attachment.url())))
                    .param("now", OffsetDateTime.now(clock)).update();
            events.record(new AttachmentReceived(id, conversation.id()));
        }
        return ids;
    }

    /**
     * Fetches and inspects one file. Returns {@link Accepted} when it may be kept, or null when it was refused (and
     * the refusal recorded) or was no longer pending. Throws IOException for failures worth retrying (network, timeouts, server errors).
     */
    public Object fetch(String attachmentId) throws IOException {
        Map<String, Object> row = jdbc.sql("select claimed_type, source_url, original_name, status from attachment where id = :id")
                .param("id", attachmentId).query().singleRow();
        if (!"PENDING".equals(row.get("status"))) {
            return null;
        }
        AttachmentPolicy policy = policyFile.current();
        if (!policy.customersMaySend()) {
            refuse(attachmentId, new DownloadRefusedException("customer-attachments-off", "customers may not send attachments"));
            return null;
        }
        SafeDownloader.Downloaded downloaded;
        try {
            downloaded = downloader.download((String) row.get("source_url"), policy, workDir);
        } catch (DownloadRefusedException refused) {
            refuse(attachmentId, refused);
            return null;
        }
        try {
            String type = inspector.inspect(downloaded.file(), (String) row.get("claimed_type"), (String) row.get("original_name"), policy);
            jdbc.sql("update attachment set detected_type = :type, size_bytes = :size, sha256 = :sha where id = :id")
                    .param("type", type).param("size", downloaded.size()).param("sha", downloaded.sha256()).param("id", attachmentId)
                    .update();
            return new Accepted(attachmentId, downloaded.file(), attachmentId + inspector.extensionFor(type));
        } catch (DownloadRefusedException refused) {
            Files.deleteIfExists(downloaded.file());
            refuse(attachmentId, refused);
            return null;
        }
    }

    /** The store has the file: the agent holding the conversation can fetch it now. */
    public void stored(String attachmentId, String storedName, Path temporary) throws IOException {
        Files.deleteIfExists(temporary);
        transaction.executeWithoutResult(status -> {
            jdbc.sql("update attachment set status = 'STORED', stored_name = :name where id = :id")
                    .param("name", storedName).param("id", attachmentId).update();
            Map<String, Object> row = jdbc.sql("select conversation_id, original_name, detected_type, size_bytes from attachment where id = :id")
                    .param("id", attachmentId).query().singleRow();
            Conversation conversation = conversations.findById((String) row.get("conversation_id")).orElseThrow();
            LOG.info("Stored attachment {} of conversation {} ({}, {} bytes)", attachmentId, conversation.id(),
                    row.get("detected_type"), row.get("size_bytes"));
            events.record(new AttachmentStored(conversation.id(), conversation.agentId(), attachmentId, row.get("original_name"),
                    row.get("detected_type"), row.get("size_bytes"), clock.instant()));
        });
    }

    /** The last download attempt failed too. */
    public void failed(String attachmentId, String why) {
        refuse(attachmentId, new DownloadRefusedException("download-failed", why));
    }

    private void refuse(String attachmentId, DownloadRefusedException refused) {
        LOG.warn("Refused attachment {}: {}", attachmentId, refused.getMessage());
        transaction.executeWithoutResult(status -> {
            jdbc.sql("update attachment set status = 'REFUSED', reason = :reason, detail = :detail where id = :id")
                    .param("reason", refused.reason()).param("detail", abbreviate(refused.getMessage())).param("id", attachmentId)
                    .update();
            Map<String, Object> row = jdbc.sql("select conversation_id, message_mid from attachment where id = :id")
                    .param("id", attachmentId).query().singleRow();
            Conversation conversation = conversations.findById((String) row.get("conversation_id")).orElseThrow();
            String reasonJson = "[{\"type\":\"error\",\"reason\":\"" + refused.reason() + "\",\"attachmentId\":\"" + attachmentId + "\"}]";
            var entry = new NewMessage(conversation.id(), null, Direction.IN, "error", null, UNSUPPORTED, null,
                    (String) row.get("message_mid"), reasonJson, clock.instant(), clock.instant(), "REFUSED");
            long sequence = conversations.append(entry);
            events.record(new AttachmentRefused(conversation.id(), conversation.agentId(), attachmentId, refused.reason(),
                    conversations.transcriptMessage(entry, sequence), clock.instant()));
        });
    }

    /** The files of a conversation as its agent sees them: stored ones can be fetched, refused ones say why. */
    public List<Map<String, Object>> of(String conversationId) {
        return jdbc.sql("select id as \"attachmentId\", message_mid as \"mid\", original_name as \"name\","
                        + " detected_type as \"contentType\", size_bytes as \"size\", status as \"status\", reason as \"reason\""
                        + " from attachment where conversation_id = :id order by created_at")
                .param("id", conversationId).query().listOfRows();
    }

    private static String nameOf(String url) {
        try {
            String path = URI.create(url).getPath();
            return path == null ? null : path.substring(path.lastIndexOf('/') + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String abbreviate(String detail) {
        return detail.length() > 500 ? detail.substring(0, 500) : detail;
    }
}
