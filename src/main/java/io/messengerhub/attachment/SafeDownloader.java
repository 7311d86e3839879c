package io.messengerhub.attachment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

import org.apache.commons.codec.digest.DigestUtils;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.stereotype.Component;

/**
 * Fetches a customer's file from Facebook's CDN without letting a hostile URL reach anything else: only allowed
 * hosts, every resolved address checked (loopback, private, link-local, metadata and unspecified addresses are
 * refused unless the policy names the host), redirects followed by hand and checked the same way, connect and
 * per-read timeouts, and the body streamed to disk with its SHA-256 and cut at the size limit.
 * <p>
 * The addresses are checked inside the HTTP client's own name resolution, so the connection goes to exactly the
 * addresses that were checked: a name that resolves to a public address for the check and to an internal one for
 * the connection (DNS rebinding) gets nowhere.
 */
@Component
public class SafeDownloader {

    private static final int MAX_REDIRECTS = 3;
    /** Far above any sensible hub.attachments.fetch-consumers: the consumers, not the pool, set how many run at once. */
    private static final int MAX_CONNECTIONS = 64;

    /** The HTTP client and the download rules it was made for. */
    private record Client(AttachmentPolicy.Download rules, CloseableHttpClient http) {
    }

    private Client client;

    /** A downloaded file on disk (a temporary one the caller moves or deletes). */
    public record Downloaded(Path file, long size, String sha256) {
    }

    public Downloaded download(String url, AttachmentPolicy policy, Path into) throws IOException, DownloadRefusedException {
        URI target = parse(url);
        AttachmentPolicy.Download rules = policy.download();
        CloseableHttpClient http = client(rules);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            checkHost(target, rules);
            try (ClassicHttpResponse response = http.executeOpen(null, new HttpGet(target), null)) {
                int status = response.getCode();
                if (status >= 300 && status < 400) {
                    Header location = response.getFirstHeader("Location");
                    if (location == null) {
                        throw new IOException("redirect without Location from " + target.getHost());
                    }
                    target = target.resolve(location.getValue());
                    continue;
                }
                if (status != 200) {
                    throw new IOException("HTTP " + status + " from " + target.getHost());
                }
                HttpEntity entity = response.getEntity();
                if (entity == null) {
                    throw new IOException("no body from " + target.getHost());
                }
                long declared = entity.getContentLength();
                if (declared > policy.maxSizeBytes()) {
                    throw new DownloadRefusedException("too-large", declared + " bytes, the limit is " + policy.maxSizeBytes());
                }
                try (InputStream body = entity.getContent()) {
                    return stream(body, policy.maxSizeBytes(), into);
                }
            } catch (InternalAddressException refused) {
                throw new DownloadRefusedException("private-address", refused.getMessage());
            }
        }
        throw new DownloadRefusedException("blocked-host", "more than " + MAX_REDIRECTS + " redirects");
    }

    /**
     * The client for these download rules, made once and kept while they are in force: building one reads the
     * system's trust store and the library's version file from the class path, which cost more than a download.
     */
    private synchronized CloseableHttpClient client(AttachmentPolicy.Download rules) {
        if (client == null || !client.rules().equals(rules)) {
            // The one made for the rules before stays open for downloads still using it; rules change when an operator
            // edits the policy, so few are ever made.
            client = new Client(rules, newClient(rules));
        }
        return client.http();
    }

    /** A client for these rules: the policy's timeouts, no redirects of its own, internal addresses refused. */
    private static CloseableHttpClient newClient(AttachmentPolicy.Download rules) {
        ConnectionConfig timeouts = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.ofMilliseconds(rules.connectTimeoutMs()))
                .setSocketTimeout(Timeout.ofMilliseconds(rules.readTimeoutMs()))
                .build();
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckingResolver(rules))
                        .setDefaultConnectionConfig(timeouts)
                        // The fetch consumers (hub.attachments.fetch-consumers) bound the downloads, not the pool,
                        // whose default of 5 connections per host would hold a busy CDN host to 5.
                        .setMaxConnPerRoute(MAX_CONNECTIONS)
                        .setMaxConnTotal(MAX_CONNECTIONS)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
    }

    /** Resolves names for the HTTP client and refuses internal addresses, unless the policy names the host. */
    static final class CheckingResolver implements DnsResolver {

        private final AttachmentPolicy.Download rules;

        CheckingResolver(AttachmentPolicy.Download rules) {
            this.rules = rules;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            if (!rules.privateAddressHosts().contains(host.toLowerCase(Locale.ROOT))) {
                for (InetAddress address : addresses) {
                    if (isInternal(address)) {
                        throw new InternalAddressException(host + " resolves to " + address.getHostAddress());
                    }
                }
            }
            return addresses;
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
        }
    }

    /** Raised inside the HTTP client's name resolution, which may only throw UnknownHostException. */
    static final class InternalAddressException extends UnknownHostException {
        InternalAddressException(String message) {
            super(message);
        }
    }

    private static Downloaded stream(InputStream body, long limit, Path into) throws IOException, DownloadRefusedException {
        Files.createDirectories(into);
        Path partial = Files.createTempFile(into, "download-", ".partial");
        MessageDigest sha256 = DigestUtils.getSha256Digest();
        long size = 0;
        boolean complete = false;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), sha256)) {
            byte[] buffer = new byte[16 * 1024];
            int read;
            while ((read = body.read(buffer)) != -1) {
                size += read;
                if (size > limit) {
                    throw new DownloadRefusedException("too-large", "more than " + limit + " bytes");
                }
                out.write(buffer, 0, read);
            }
            complete = true;
        } finally {
            if (!complete) {
                Files.deleteIfExists(partial);
            }
        }
        return new Downloaded(partial, size, HexFormat.of().formatHex(sha256.digest()));
    }

    private static void checkHost(URI target, AttachmentPolicy.Download rules) throws DownloadRefusedException {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new DownloadRefusedException("blocked-host", "scheme " + scheme + " is not fetched");
        }
        String host = target.getHost();
        if (host == null || !rules.allows(host)) {
            throw new DownloadRefusedException("blocked-host", host + " is not an allowed host");
        }
    }

    /** Loopback, private, link-local (cloud metadata lives there), unique-local IPv6, unspecified, multicast. */
    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc;
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        // 100.64.0.0/10 (carrier-grade NAT) and 0.0.0.0/8 are not reachable public addresses either.
        return first == 0 || (first == 100 && second >= 64 && second <= 127);
    }

    private static URI parse(String url) throws DownloadRefusedException {
        try {
            return new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new DownloadRefusedException("blocked-host", "not a URL");
        }
    }
}
