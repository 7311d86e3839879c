package io.messengerhub.attachment;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The organisation's file policy, as config/attachment-policy.yaml says (each setting is documented there). */
public record AttachmentPolicy(@JsonProperty("customers-may-send") boolean customersMaySend,
                               @JsonProperty("agents-may-send") boolean agentsMaySend,
                               @JsonProperty("max-size-bytes") long maxSizeBytes,
                               @JsonProperty("blocked-extensions") List<String> blockedExtensions,
                               @JsonProperty("allowed-content-types") List<String> allowedContentTypes,
                               @JsonProperty("download") Download download) {

    public AttachmentPolicy {
        if (maxSizeBytes <= 0) {
            throw new WrongValueException("max-size-bytes", "must be positive, not " + maxSizeBytes);
        }
        blockedExtensions = blockedExtensions == null ? List.of()
                : blockedExtensions.stream().map(e -> e.toLowerCase(Locale.ROOT).replaceFirst("^\\.", "")).toList();
        allowedContentTypes = allowedContentTypes == null ? List.of() : List.copyOf(allowedContentTypes);
        download = download == null ? new Download(null, null, 5000, 15000) : download;
    }

    /** Where files may be fetched from and how long a download may take. */
    public record Download(@JsonProperty("allowed-hosts") List<String> allowedHosts,
                           @JsonProperty("private-address-hosts") List<String> privateAddressHosts,
                           @JsonProperty("connect-timeout-ms") int connectTimeoutMs,
                           @JsonProperty("read-timeout-ms") int readTimeoutMs) {
        public Download {
            allowedHosts = allowedHosts == null ? List.of() : allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
            privateAddressHosts = privateAddressHosts == null ? List.of()
                    : privateAddressHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
            connectTimeoutMs = connectTimeoutMs <= 0 ? 5000 : connectTimeoutMs;
            readTimeoutMs = readTimeoutMs <= 0 ? 15000 : readTimeoutMs;
        }

        /** Whether the host is one of the allowed ones or a subdomain of one. */
        public boolean allows(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            return allowedHosts.stream().anyMatch(allowed -> h.equals(allowed) || h.endsWith("." + allowed));
        }
    }

    /** A setting with a value the policy cannot work with; {@code setting} is its path, as written in the file. */
    public static class WrongValueException extends IllegalArgumentException {

        private final String setting;

        public WrongValueException(String setting, String problem) {
            super(setting + " " + problem);
            this.setting = setting;
        }

        public String setting() {
            return setting;
        }
    }

    public boolean blocks(String extension) {
        return extension != null && blockedExtensions.contains(extension.toLowerCase(Locale.ROOT));
    }

    public boolean allowsType(String contentType) {
        return allowedContentTypes.contains(contentType);
    }
}
