package io.messengerhub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.messengerhub.attachment.AttachmentPolicyFile;
import org.awaitility.Awaitility;

/** Changes a running hub's attachment policy file and waits until the hub has read it (its file-watch route). */
public final class PolicyFiles {

    private PolicyFiles() {
    }

    public static void write(AttachmentPolicyFile policy, Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> content.equals(policy.lastRead()));
    }
}
