package io.messengerhub.transcript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.messengerhub.api.ApiNotFoundException;
import io.messengerhub.attachment.CustomerAttachments;
import io.messengerhub.conversation.Consent;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.conversation.ConversationState;
import io.messengerhub.conversation.TranscriptMessage;
import io.messengerhub.workspace.Notes;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The archived form of a closed conversation: a JSON document with everything the hub knows about it, and a text
 * a person can read. The transcript-archive route writes both through camel-file under a dated folder.
 */
@Component("transcriptArchive")
public class TranscriptArchive {

    private static final Logger LOG = LoggerFactory.getLogger(TranscriptArchive.class);

    private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final ConversationRepository conversations;
    private final Notes notes;
    private final CustomerAttachments attachments;
    private final ObjectMapper json;
    private final Path archiveDir;

    public TranscriptArchive(ConversationRepository conversations, Notes notes, CustomerAttachments attachments, ObjectMapper json,
                             @Value("${hub.transcripts.archive-dir}") Path archiveDir) {
        this.archiveDir = archiveDir;
        this.conversations = conversations;
        this.notes = notes;
        this.attachments = attachments;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** What the archive route writes for a closed conversation, all from one reading of it. */
    public record Archived(Conversation conversation, String baseName, String json, String text) {
    }

    /**
     * Reads the conversation, its transcript, notes and files once, and renders both archive documents; null when
     * there is nothing to archive: the conversation was erased meanwhile, or its customer declined consent to recording
     * (it is not kept once it has ended; privacy/Retention deletes it).
     */
    public Archived prepare(@Header("conversationId") String conversationId) throws JsonProcessingException {
        Optional<Conversation> found = conversations.findById(conversationId);
        if (found.isEmpty()) {
            LOG.info("Conversation {} is not archived: it was erased before its archiving", conversationId);
            return null;
        }
        Conversation conversation = found.get();
        Consent consent = conversations.consent(conversationId);
        if (Consent.DECLINED.equals(consent.state())) {
            LOG.info("Conversation {} is not archived: its customer declined consent to recording", conversationId);
            return null;
        }
        List<TranscriptMessage> transcript = conversations.transcript(conversationId);
        List<Map<String, Object>> conversationNotes = notes.of(conversationId);
        var document = new LinkedHashMap<String, Object>();
        document.put("conversation", conversation);
        document.put("transcript", transcript);
        document.put("notes", conversationNotes);
        document.put("attachments", attachments.of(conversationId));
        document.put("consent", consent);
        return new Archived(conversation, baseName(conversation), json.writeValueAsString(document),
                text(conversation, transcript, conversationNotes));
    }

    /** The archive's file names for a conversation: {@code yyyy/MM/dd/<id>} (closing day, UTC), no extension. */
    public static String baseName(Conversation conversation) {
        return FOLDER.format(conversation.closedOrLastInteraction()) + "/" + conversation.id();
    }

    /** The archive's file names for a conversation still in the database. */
    public String baseName(String conversationId) {
        return baseName(conversations.findById(conversationId)
                .orElseThrow(() -> new IllegalStateException("no conversation " + conversationId)));
    }

    private static String text(Conversation conversation, List<TranscriptMessage> transcript, List<Map<String, Object>> notes) {
        var text = new StringBuilder();
        String customer = conversation.customer() == null ? "" : conversation.customer().fullName();
        text.append("Conversation ").append(conversation.id()).append('\n')
                .append("Page ").append(conversation.pageId()).append(", queue ").append(conversation.queue())
                .append(", agent ").append(conversation.agentId() == null ? "-" : conversation.agentId()).append('\n')
                .append("Customer ").append(customer.isEmpty() ? conversation.customerPsid() : customer + " (" + conversation.customerPsid() + ")")
                .append('\n')
                .append("Opened ").append(TIME.format(conversation.openedAt()))
                .append(conversation.closedAt() == null ? "" : ", closed " + TIME.format(conversation.closedAt())).append("\n\n");
        for (TranscriptMessage message : transcript) {
            text.append('[').append(TIME.format(message.sentAt())).append("] ")
                    .append(message.direction() == TranscriptMessage.Direction.IN ? "Customer" : "Page").append(": ")
                    .append(message.text() == null ? "" : message.text());
            if (message.attachments() != null && message.attachments().size() > 0) {
                message.attachments().forEach(a -> text.append(" [").append(a.path("type").asText()).append(']'));
            }
            text.append('\n');
        }
        for (Map<String, Object> note : notes) {
            text.append("Note by ").append(note.get("agentId")).append(": ").append(note.get("text")).append('\n');
        }
        return text.toString();
    }

    /**
     * The archived JSON document of a closed conversation, the link of a search result: for API token holders and
     * agents (HTTP Basic with their broker login), who may all search transcripts.
     */
    public String read(@Header("id") String conversationId) throws IOException {
        Conversation conversation = conversations.findById(conversationId)
                .orElseThrow(() -> ApiNotFoundException.conversation(conversationId));
        if (conversation.state() != ConversationState.CLOSED) {
            throw new ApiNotFoundException("conversation " + conversationId + " has no archived transcript (yet)");
        }
        Path file = archiveDir.resolve(baseName(conversation) + ".json");
        if (Files.isRegularFile(file)) {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        // Archived by another hub instance (each writes its own archive directory), or not written yet: the same
        // document from the shared database.
        Archived archived = prepare(conversationId);
        if (archived == null) {
            throw new ApiNotFoundException("conversation " + conversationId + " has no archived transcript: its customer declined recording");
        }
        return archived.json();
    }
}
