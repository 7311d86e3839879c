package io.messengerhub.attachment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
            JsonLocation where = e.getLocation();
            String line = where == null ? "" : "line " + where.getLineNr() + ": ";
            throw new PolicyFileException(line + rootMessage(e));
        } catch (IOException e) {
            throw new PolicyFileException(e.getMessage());
        }
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
