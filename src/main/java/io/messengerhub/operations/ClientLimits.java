package io.messengerhub.operations;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps slow or greedy HTTP clients from holding the hub. Every request body is read completely, with one deadline
 * for the whole body ({@code hub.http.body-read-timeout}) and at most {@code hub.webhook.max-body-bytes}, before any
 * route sees it: a client that sends its body slowly is cut off with 408 and never holds one of the few threads that
 * run the routes. A client may have at most {@code hub.http.max-concurrent-per-client} requests in progress at
 * once; more are answered 429. Clients are told apart by their address (behind a reverse proxy, let the proxy set
 * {@code X-Forwarded-For} and set {@code server.forward-headers-strategy=native}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ClientLimits extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(ClientLimits.class);

    private final int maxConcurrentPerClient;
    private final Duration bodyReadTimeout;
    private final long maxBodyBytes;
    private final ConcurrentHashMap<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();

    public ClientLimits(@Value("${hub.http.max-concurrent-per-client}") int maxConcurrentPerClient,
                        @Value("${hub.http.body-read-timeout}") Duration bodyReadTimeout,
                        @Value("${hub.webhook.max-body-bytes}") long maxBodyBytes) {
        this.maxConcurrentPerClient = maxConcurrentPerClient;
        this.bodyReadTimeout = bodyReadTimeout;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = request.getRemoteAddr();
        AtomicInteger count = inProgress.computeIfAbsent(client, key -> new AtomicInteger());
        try {
            if (count.incrementAndGet() > maxConcurrentPerClient) {
                LOG.warn("Refused a request from {}: it has {} requests in progress already", client, maxConcurrentPerClient);
                refuse(response, 429, "too many requests in progress from this client, send again later");
                return;
            }
            HttpServletRequest toPass = request;
            if (hasBody(request)) {
                if (request.getContentLengthLong() > maxBodyBytes) {
                    refuse(response, 413, "body larger than " + maxBodyBytes + " bytes");
                    return;
                }
                byte[] body;
                try {
                    body = readWithin(request.getInputStream(), System.nanoTime() + bodyReadTimeout.toNanos());
                } catch (IOException tooSlow) {
                    LOG.warn("Cut off {} {} from {}: its body did not arrive within {}", request.getMethod(),
                            request.getRequestURI(), client, bodyReadTimeout);
                    response.setHeader("Connection", "close");
                    refuse(response, 408, "the body did not arrive within " + bodyReadTimeout.toSeconds() + " s");
                    return;
                }
                if (body.length > maxBodyBytes) {
                    refuse(response, 413, "body larger than " + maxBodyBytes + " bytes");
                    return;
                }
                toPass = new ReadBody(request, body);
            }
            chain.doFilter(toPass, response);
        } finally {
            if (count.decrementAndGet() <= 0) {
                inProgress.remove(client, count);
            }
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** Reads at most one byte more than allowed; past the deadline (checked after every read) it gives up. */
    private byte[] readWithin(InputStream in, long deadline) throws IOException {
        var body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long limit = maxBodyBytes + 1;
        while (body.size() < limit) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, limit - body.size()));
            if (read < 0) {
                break;
            }
            body.write(buffer, 0, read);
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("deadline passed");
            }
        }
        return body.toByteArray();
    }

    private static void refuse(HttpServletResponse response, int status, String reason) throws IOException {
        response.setStatus(status);
        if (status == 429) {
            response.setHeader("Retry-After", "1");
        }
        response.setContentType("text/plain");
        response.getWriter().write(reason);
    }

    /** The request with its body already read into memory. */
    private static final class ReadBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            var bytes = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return bytes.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return bytes.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return bytes.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            String encoding = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                    java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
