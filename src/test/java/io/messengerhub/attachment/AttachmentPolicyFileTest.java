package io.messengerhub.attachment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttachmentPolicyFileTest {

    private static final String POLICY = """
            customers-may-send: true
            agents-may-send: true
            # the largest file, in bytes
            max-size-bytes: %s
            blocked-extensions: [exe]
            allowed-content-types: [image/png]
            download:
              allowed-hosts: [fbcdn.net]
              connect-timeout-ms: 1000
              read-timeout-ms: 1000
            """;

    @TempDir
    Path dir;

    @Test
    void shouldNameTheLineOfAWrongValueNotTheLastLine() throws Exception {
        Path file = write("-5");

        assertThatThrownBy(() -> new AttachmentPolicyFile(file))
                .hasMessageContaining("line 4: max-size-bytes must be positive, not -5");
    }

    @Test
    void shouldKeepThePreviousPolicyAndReportTheLineWhenAChangeHasAWrongValue() throws Exception {
        Path file = write("1000");
        var policyFile = new AttachmentPolicyFile(file);
        assertThat(policyFile.current().maxSizeBytes()).isEqualTo(1000);

        Files.writeString(file, POLICY.formatted("0"));
        policyFile.reload();

        assertThat(policyFile.current().maxSizeBytes()).isEqualTo(1000);
        assertThat(policyFile.lastError()).startsWith("line 4: max-size-bytes must be positive");
    }

    @Test
    void shouldNameTheLineOfASyntaxError() throws Exception {
        Path file = write("[oops");

        assertThatThrownBy(() -> new AttachmentPolicyFile(file)).hasMessageContaining("line ");
    }

    private Path write(String maxSize) throws Exception {
        Path file = dir.resolve("attachment-policy.yaml");
        Files.writeString(file, POLICY.formatted(maxSize));
        return file;
    }
}
