package io.messengerhub.send;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.messengerhub.outbox.DomainEvents;
import io.messengerhub.conversation.AgentCommandException;
import io.messengerhub.attachment.AttachmentPolicy;
import io.messengerhub.attachment.AttachmentPolicyFile;
import io.messengerhub.attachment.FileInspector;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationRepository;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Files agents send to customers (over the broker, on {@code contact-center.files}): the organisation's policy
 * (agents may send, size, blocked extensions, allowed types detected from the bytes) and Facebook's limits (25 MB,
 * audio must be audio/*) are checked before anything is sent; the file then goes out as a multipart upload to the
 * Send API and the agent hears {@code message.sent} or {@code message.failed} like for text.
 */
@Component("outboundFiles")
public class OutboundFiles {

    /** Facebook's limit for an uploaded attachment. */
    static final long FACEBOOK_MAX_BYTES = 25L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(OutboundFiles.class);

    private final AttachmentPolicyFile policyFile;
    private final FileInspector inspector;
    private final ConversationRepository conversations;
    private final Replies replies;
    private final DomainEvents events;
    private final Clock clock;
    private final ObjectMapper json;
    private final Path outboundDir;

    public OutboundFiles(AttachmentPolicyFile policyFile, FileInspector inspector, ConversationRepository conversations,
                         Replies replies, DomainEvents events, Clock clock, ObjectMapper json,
                         @Value("${hub.attachments.store-dir}") Path storeDir) {
        this.policyFile = policyFile;
        this.inspector = inspector;
        this.conversations = conversations;
        this.replies = replies;
        this.events = events;
        this.clock = clock;
        this.json = json;
        this.outboundDir = storeDir.resolve("outbound");
    }

    /**
     * What an agent's file must be to be sent, for a client to show before the agent picks one: whether agents may send
     * files at all, the largest size (the policy's, at most Facebook's 25 MiB), the blocked extensions and the allowed
     * content types (config/attachment-policy.yaml, as it is now).
     */
    public Map<String, Object> agentPolicy() {
        AttachmentPolicy policy = policyFile.current();
        return Map.of("agentsMaySend", policy.agentsMaySend(),
                "maxSizeBytes", Math.min(policy.maxSizeBytes(), FACEBOOK_MAX_BYTES),
                "blockedExtensions", policy.blockedExtensions(),
                "allowedContentTypes", policy.allowedContentTypes());
    }

    /** Checks and queues an agent's file; a refusal goes back to the agent as message.failed, nothing is sent. */
    public void accept(@Body byte[] content, @Header("_AMQ_VALIDATED_USER") String validatedUser,
                                      @Header("JMSXUserID") String jmsxUser,
                                      @Header("conversationId") String conversationId, @Header("fileName") String fileName,
                                      @Header("requestId") String requestId) throws IOException {
        // Who sent it is who the broker authenticated (populate-validated-user), never a header of the message.
        String agentId = validatedUser != null ? validatedUser : jmsxUser;
        if (agentId == null) {
            LOG.warn("Ignored a file without an authenticated sender");
            return;
        }
        String request = requestId == null ? UUID.randomUUID().toString() : requestId;
        Path stored = null;
        try {
            Conversation conversation = conversations.findById(conversationId == null ? "" : conversationId)
                    .filter(c -> agentId.equals(c.agentId()))
                    .orElseThrow(() -> new AgentCommandException("conversation " + conversationId + " is not yours"));
            AttachmentPolicy policy = policyFile.current();
            if (!policy.agentsMaySend()) {
                throw new AgentCommandException("agents may not send attachments (config/attachment-policy.yaml)");
            }
            long limit = Math.min(policy.maxSizeBytes(), FACEBOOK_MAX_BYTES);
            if (content == null || content.length == 0) {
                throw new AgentCommandException("the file is empty");
            }
            if (content.length > limit) {
                throw new AgentCommandException("the file has " + content.length + " bytes; at most " + limit + " may be sent");
            }
            replies.checkSendable(conversation);
            Files.createDirectories(outboundDir);
            stored = Files.createTempFile(outboundDir, "file-", ".partial");
            Files.write(stored, content);
            String name = FileInspector.displayName(fileName);
            String type;
            try {
                type = inspector.inspect(stored, "file", name, policy);
            } catch (io.messengerhub.attachment.DownloadRefusedException refused) {
                throw new AgentCommandException("not sent: " + refused.getMessage());
            }
            String attachmentType = type.startsWith("image/") ? "image" : type.startsWith("audio/") ? "audio"
                    : type.startsWith("video/") ? "video" : "file";
            // One folder per conversation, so retention and erasure find a conversation's files.
            String storedName = conversation.id() + "/" + UUID.randomUUID() + inspector.extensionFor(type);
            Files.createDirectories(outboundDir.resolve(conversation.id()));
            Files.move(stored, outboundDir.resolve(storedName));
            stored = null;
            replies.queueFile(agentId, conversation, request,
                    new SendRequest.OutboundFile(name == null ? storedName : name, storedName, type, attachmentType, content.length));
        } catch (AgentCommandException refused) {
            LOG.info("File of agent {} for conversation {} refused: {}", agentId, conversationId, refused.getMessage());
            events.record(new MessageFailed(agentId, conversationId, request, refused.getMessage(), null, clock.instant()));
        } finally {
            if (stored != null) {
                Files.deleteIfExists(stored);
            }
        }
    }

    /** The Send API's multipart upload: recipient, messaging type, the attachment's type, and the file itself. */
    public HttpEntity multipart(SendRequest request) {
        try {
            ObjectNode message = json.createObjectNode();
            message.putObject("attachment").put("type", request.file().attachmentType()).putObject("payload").put("is_reusable", false);
            var form = MultipartEntityBuilder.create()
                    .addTextBody("recipient", json.writeValueAsString(Map.of("id", request.customerPsid())), ContentType.APPLICATION_JSON)
                    .addTextBody("messaging_type", request.messagingType())
                    .addTextBody("message", json.writeValueAsString(message), ContentType.APPLICATION_JSON);
            if (request.tag() != null) {
                form.addTextBody("tag", request.tag());
            }
            form.addBinaryBody("filedata", outboundDir.resolve(request.file().storedName()).toFile(),
                    ContentType.create(request.file().contentType()), request.file().name());
            return form.build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the upload's fields", e);
        }
    }
}
