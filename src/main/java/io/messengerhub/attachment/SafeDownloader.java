package io.messengerhub.attachment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
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
import org.springframework.stereotype.Component;

/**
 * Fetches a customer's file from Facebook's CDN without letting a hostile URL reach anything else: only allowed
 * hosts, every resolved address checked (loopback, private, link-local, metadata and unspecified addresses are
 * refused unless the policy names the host), redirects followed by hand and checked the same way, connect and
 * per-read timeouts, and the body streamed to disk with its SHA-256 and cut at the size limit.
 */
@Component
public class SafeDownloader {

    private static final int MAX_REDIRECTS = 3;

    /** A downloaded file on disk (a temporary one the caller moves or deletes). */
    public record Downloaded(Path file, long size, String sha256) {
    }

    public Downloaded download(String url, AttachmentPolicy policy, Path into) throws IOException, DownloadRefusedException {
        URI target = parse(url);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            check(target, policy.download());
            HttpURLConnection connection = (HttpURLConnection) target.toURL().openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout(policy.download().connectTimeoutMs());
            connection.setReadTimeout(policy.download().readTimeoutMs());
            try {
                int status = connection.getResponseCode();
                if (status >= 300 && status < 400) {
                    String location = connection.getHeaderField("Location");
                    if (location == null) {
                        throw new IOException("redirect without Location from " + target.getHost());
                    }
                    target = target.resolve(location);
                    continue;
                }
                if (status != 200) {
                    throw new IOException("HTTP " + status + " from " + target.getHost());
                }
                long declared = connection.getContentLengthLong();
                if (declared > policy.maxSizeBytes()) {
                    throw new DownloadRefusedException("too-large", declared + " bytes, the limit is " + policy.maxSizeBytes());
                }
                try (InputStream body = connection.getInputStream()) {
                    return stream(body, policy.maxSizeBytes(), into);
                }
            } finally {
                connection.disconnect();
            }
        }
        throw new DownloadRefusedException("blocked-host", "more than " + MAX_REDIRECTS + " redirects");
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

    private static void check(URI target, AttachmentPolicy.Download rules) throws DownloadRefusedException, UnknownHostException {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new DownloadRefusedException("blocked-host", "scheme " + scheme + " is not fetched");
        }
        String host = target.getHost();
        if (host == null || !rules.allows(host)) {
            throw new DownloadRefusedException("blocked-host", host + " is not an allowed host");
        }
        if (rules.privateAddressHosts().contains(host.toLowerCase(Locale.ROOT))) {
            return;
        }
        for (InetAddress address : InetAddress.getAllByName(host)) {
            if (isInternal(address)) {
                throw new DownloadRefusedException("private-address", host + " resolves to " + address.getHostAddress());
            }
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
