package io.messengerhub.attachment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * config/attachment-policy.yaml, read again whenever it changes (the attachment-policy-reload route, Camel's
 * file-watch) so operators never restart the hub for it.
 * A file that does not parse or holds a wrong value is refused with the line it failed on, and the previous
 * policy stays in force; at start-up a broken file stops the hub, since there is no previous policy.
 */
@Component
public class AttachmentPolicyFile {

    private static final Logger LOG = LoggerFactory.getLogger(AttachmentPolicyFile.class);

    private final Path file;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private volatile AttachmentPolicy current;
    private volatile String loadedContent;
    private volatile String lastError;

    public AttachmentPolicyFile(@Value("${hub.attachments.policy-file}") Path file) {
        this.file = file;
        try {
            this.loadedContent = Files.readString(file);
            this.current = parse(loadedContent);
        } catch (IOException | PolicyFileException e) {
            throw new IllegalStateException("the attachment policy " + file + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** The policy in force. */
    public AttachmentPolicy current() {
        return current;
    }

    /** Why the last change was refused, if it was. */
    public String lastError() {
        return lastError;
    }

    /** The content of the file as last read (in force, or refused with {@link #lastError}). */
    public String lastRead() {
        return loadedContent;
    }

    /** The directory the file is in, for the attachment-policy-reload route's watcher. */
    public String directory() {
        return file.toAbsolutePath().getParent().toString();
    }

    public String fileName() {
        return file.getFileName().toString();
    }

    /**
     * The file changed on disk (the attachment-policy-reload route, Camel's file-watch): the new policy is put in force,
     * or refused with its line while the one in force stays. The same content read again changes nothing.
     */
    public synchronized void reload() {
        String content;
        try {
            content = Files.readString(file);
        } catch (IOException e) {
            LOG.warn("Cannot read {} ({}); the previous attachment policy stays in force", file, e.getMessage());
            return;
        }
        if (content.equals(loadedContent)) {
            return;
        }
        if (content.isBlank()) {
            // Also what the watcher may see for a moment while an editor writes the file.
            LOG.warn("{} is empty; the attachment policy in force stays", file);
            return;
        }
        try {
            current = parse(content);
            lastError = null;
            LOG.info("Attachment policy reloaded from {}", file);
        } catch (PolicyFileException e) {
            lastError = e.getMessage();
            LOG.error("Refused the changed attachment policy {}: {}. The previous policy stays in force.", file, e.getMessage());
        }
        // Last: whoever sees this content as read also sees the policy or the error it gave.
        loadedContent = content;
    }

    private AttachmentPolicy parse(String content) {
        try {
            return yaml.readValue(content, AttachmentPolicy.class);
        } catch (JsonProcessingException e) {
            // A wrong value is found once the whole policy is read, where the parser stands at the end of the file:
            // its line is the line of the setting it names.
            var wrong = ObjectHelper.getException(AttachmentPolicy.WrongValueException.class, e);
            Integer line = wrong != null ? lineOf(wrong.setting(), content)
                    : e.getLocation() == null ? null : e.getLocation().getLineNr();
            throw new PolicyFileException((line == null ? "" : "line " + line + ": ") + rootMessage(e));
        } catch (IOException e) {
            throw new PolicyFileException(e.getMessage());
        }
    }

    /** The line of a setting ({@code download.read-timeout-ms}), or null if the file does not name it. */
    private Integer lineOf(String setting, String content) {
        try (JsonParser parser = yaml.getFactory().createParser(content)) {
            var path = new ArrayDeque<String>();
            String field = null;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case FIELD_NAME -> {
                        field = parser.currentName();
                        String here = path.isEmpty() ? field : String.join(".", reversed(path)) + "." + field;
                        if (here.equals(setting)) {
                            return parser.currentTokenLocation().getLineNr();
                        }
                    }
                    case START_OBJECT -> {
                        if (field != null) {
                            path.push(field);
                        }
                        field = null;
                    }
                    case END_OBJECT -> {
                        if (!path.isEmpty()) {
                            path.pop();
                        }
                    }
                    default -> { }
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static List<String> reversed(ArrayDeque<String> stack) {
        var list = new ArrayList<>(stack);
        Collections.reverse(list);
        return list;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root instanceof JsonProcessingException json ? json.getOriginalMessage() : root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }

    /** The policy file is not usable. */
    static class PolicyFileException extends RuntimeException {
        PolicyFileException(String message) {
            super(message);
        }
    }
}
