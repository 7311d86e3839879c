package io.messengerhub.attachment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
 * config/attachment-policy.yaml, read again whenever it changes so operators never restart the hub for it.
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
    private volatile FileTime loadedVersion;
    private volatile String lastError;

    public AttachmentPolicyFile(@Value("${hub.attachments.policy-file}") Path file) {
        this.file = file;
        try {
            this.loadedVersion = Files.getLastModifiedTime(file);
            this.current = parse();
        } catch (IOException | PolicyFileException e) {
            throw new IllegalStateException("the attachment policy " + file + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** The policy in force, reloaded first if the file changed. */
    public AttachmentPolicy current() {
        try {
            FileTime version = Files.getLastModifiedTime(file);
            if (!version.equals(loadedVersion)) {
                reload(version);
            }
        } catch (IOException e) {
            LOG.warn("Cannot read {} ({}); the previous attachment policy stays in force", file, e.getMessage());
        }
        return current;
    }

    /** Why the last change was refused, if it was. */
    public String lastError() {
        return lastError;
    }

    private synchronized void reload(FileTime version) {
        if (version.equals(loadedVersion)) {
            return;
        }
        loadedVersion = version;
        try {
            current = parse();
            lastError = null;
            LOG.info("Attachment policy reloaded from {}", file);
        } catch (PolicyFileException e) {
            lastError = e.getMessage();
            LOG.error("Refused the changed attachment policy {}: {}. The previous policy stays in force.", file, e.getMessage());
        }
    }

    private AttachmentPolicy parse() {
        try {
            return yaml.readValue(file.toFile(), AttachmentPolicy.class);
        } catch (JsonProcessingException e) {
            // A wrong value is found once the whole policy is read, where the parser stands at the end of the file:
            // its line is the line of the setting it names.
            var wrong = ObjectHelper.getException(AttachmentPolicy.WrongValueException.class, e);
            Integer line = wrong != null ? lineOf(wrong.setting())
                    : e.getLocation() == null ? null : e.getLocation().getLineNr();
            throw new PolicyFileException((line == null ? "" : "line " + line + ": ") + rootMessage(e));
        } catch (IOException e) {
            throw new PolicyFileException(e.getMessage());
        }
    }

    /** The line of a setting ({@code download.read-timeout-ms}), or null if the file does not name it. */
    private Integer lineOf(String setting) {
        try (JsonParser parser = yaml.getFactory().createParser(file.toFile())) {
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
