package io.messengerhub.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

/**
 * A STOMP 1.2 client over the JDK's WebSocket, writing frames as a browser's STOMP client does, and remembering
 * every frame the broker sent. Enough for tests; no client library.
 */
public final class StompOverWebSocket implements AutoCloseable {

    /** One frame: its command, its headers (in order, unescaped) and its body. */
    public record Frame(String command, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name);
        }
    }

    private final List<Frame> received = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;
    private volatile boolean closed;

    private StompOverWebSocket(URI broker, String origin) throws Exception {
        var builder = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("v12.stomp")
                .connectTimeout(Duration.ofSeconds(10));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        this.socket = builder.buildAsync(broker, new Listener()).get(10, TimeUnit.SECONDS);
    }

    /** Opens the WebSocket as a page of this origin would (null: as a client that is no browser). */
    public static StompOverWebSocket open(String brokerUrl, String origin) throws Exception {
        return new StompOverWebSocket(URI.create(brokerUrl), origin);
    }

    /** Sends CONNECT and returns the broker's answer: CONNECTED, or ERROR. */
    public Frame connect(String login, String passcode) {
        var headers = new LinkedHashMap<String, String>();
        headers.put("accept-version", "1.2");
        headers.put("host", "localhost");
        headers.put("login", login);
        headers.put("passcode", passcode);
        send("CONNECT", headers, "");
        return await(frame -> frame.command().equals("CONNECTED") || frame.command().equals("ERROR"));
    }

    /** Subscribes with a receipt and returns the broker's answer: RECEIPT, or ERROR. */
    public Frame subscribe(String id, String destination) {
        send("SUBSCRIBE", Map.of("id", id, "destination", destination, "ack", "auto", "receipt", "sub-" + id), "");
        return await(frame -> "sub-".concat(id).equals(frame.header("receipt-id")) || frame.command().equals("ERROR"));
    }

    /** SEND as browsers' clients do it: with content-length (the broker makes it a BytesMessage). */
    public void sendJson(String destination, String json, Map<String, String> extraHeaders) {
        var headers = new LinkedHashMap<String, String>();
        headers.put("destination", destination);
        headers.put("content-type", "application/json");
        headers.put("content-length", String.valueOf(json.getBytes(StandardCharsets.UTF_8).length));
        headers.putAll(extraHeaders);
        send("SEND", headers, json);
    }

    /** SEND without content-length (the broker makes it a TextMessage). */
    public void sendText(String destination, String json) {
        send("SEND", Map.of("destination", destination, "content-type", "application/json"), json);
    }

    public void send(String command, Map<String, String> headers, String body) {
        var frame = new StringBuilder(command).append('\n');
        headers.forEach((name, value) -> frame.append(escape(name)).append(':').append(escape(value)).append('\n'));
        frame.append('\n').append(body).append('\0');
        socket.sendText(frame, true).join();
    }

    /** The first frame received so far or within 15 s that matches. */
    public Frame await(Predicate<Frame> matching) {
        return Awaitility.await().atMost(Duration.ofSeconds(15)).until(
                () -> received.stream().filter(matching).findFirst().orElse(null), frame -> frame != null);
    }

    /** The first MESSAGE whose body contains this text. */
    public Frame message(String containing) {
        return await(frame -> frame.command().equals("MESSAGE") && frame.body().contains(containing));
    }

    public List<Frame> received() {
        return List.copyOf(received);
    }

    /** Whether the broker closed the WebSocket. */
    public boolean closed() {
        return closed;
    }

    /** DISCONNECT first, as a polite client does: the broker then closes without logging a lost connection. */
    @Override
    public void close() {
        if (!closed && !socket.isOutputClosed()) {
            try {
                send("DISCONNECT", Map.of("receipt", "bye"), "");
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> closed
                        || received.stream().anyMatch(frame -> "bye".equals(frame.header("receipt-id"))));
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            } catch (RuntimeException alreadyGone) {
                // The broker closed first (after an ERROR frame); nothing left to say.
            }
        }
        socket.abort();
    }

    private synchronized void receive(CharSequence text) {
        partial.append(text);
        int end;
        while ((end = partial.indexOf("\0")) >= 0) {
            String frame = partial.substring(0, end);
            partial.delete(0, end + 1);
            // Heart-beats and the EOLs STOMP allows between frames.
            frame = frame.replaceFirst("^[\r\n]+", "");
            if (!frame.isEmpty()) {
                received.add(parse(frame));
            }
        }
    }

    private static Frame parse(String frame) {
        int headersEnd = frame.indexOf("\n\n");
        String head = headersEnd < 0 ? frame : frame.substring(0, headersEnd);
        String body = headersEnd < 0 ? "" : frame.substring(headersEnd + 2);
        String[] lines = head.split("\r?\n");
        var headers = new LinkedHashMap<String, String>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            // STOMP 1.2: the first occurrence of a repeated header counts.
            headers.putIfAbsent(unescape(lines[i].substring(0, colon)), unescape(lines[i].substring(colon + 1)));
        }
        return new Frame(lines[0], headers, body);
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace(":", "\\c");
    }

    private static String unescape(String value) {
        return value.replace("\\c", ":").replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\");
    }

    private final class Listener implements WebSocket.Listener {

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            receive(data);
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            receive(StandardCharsets.UTF_8.decode(data));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed = true;
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed = true;
        }
    }
}
