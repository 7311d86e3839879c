package io.messengerhub.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The hub's own login on the embedded broker ({@code hub.broker.user}, role {@code hub}: every right), for TCP
 * clients that act as the hub (benchmarks, tools). Its password is {@code HUB_BROKER_PASSWORD}; when that is not
 * set there is no known default: the hub generates a random one on first start and keeps it, readable only by its
 * owner, in {@code <hub.data-dir>/hub-broker-password}, and says so in the log.
 */
@Component
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded", matchIfMissing = true)
public class HubBrokerLogin {

    static final String PASSWORD_FILE = "hub-broker-password";

    private static final Logger LOG = LoggerFactory.getLogger(HubBrokerLogin.class);

    private final String user;
    private final String password;

    public HubBrokerLogin(@Value("${hub.broker.user}") String user, @Value("${hub.broker.password:}") String configured,
                          @Value("${hub.data-dir}") Path dataDir) {
        this.user = user;
        this.password = configured.isBlank() ? generated(dataDir.resolve(PASSWORD_FILE)) : configured;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    private String generated(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!kept.isEmpty()) {
                    LOG.info("The broker login '{}' uses the generated password in {} (set HUB_BROKER_PASSWORD to choose one)", user, file);
                    return kept;
                }
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
            LOG.warn("HUB_BROKER_PASSWORD is not set: generated a random password for the broker login '{}', kept in {}", user, file);
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the generated broker password in " + file
                    + "; set HUB_BROKER_PASSWORD instead", e);
        }
    }
}
