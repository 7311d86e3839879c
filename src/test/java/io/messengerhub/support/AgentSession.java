package io.messengerhub.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.client.AgentClient;
import org.awaitility.Awaitility;

/** An agent logged in through the real client library, remembering everything its inbox received. */
public final class AgentSession implements AutoCloseable {

    private final List<JsonNode> inbox = new CopyOnWriteArrayList<>();
    private final AgentClient client;

    public AgentSession(String brokerUrl, String agentId, String password) throws Exception {
        this(brokerUrl, agentId, password, AgentClient.DEFAULT_HEARTBEAT);
    }

    public AgentSession(String brokerUrl, String agentId, String password, Duration heartbeat) throws Exception {
        this.client = AgentClient.connect(brokerUrl, agentId, password, inbox::add, heartbeat);
    }

    public AgentClient client() {
        return client;
    }

    /** Everything the inbox received so far, in the order it arrived. */
    public List<JsonNode> inbox() {
        return List.copyOf(inbox);
    }

    public List<JsonNode> received(String type) {
        return inbox.stream().filter(m -> type.equals(m.path("type").asText())).toList();
    }

    public JsonNode await(String type, Predicate<JsonNode> matching) {
        return Awaitility.await().atMost(Duration.ofSeconds(15)).until(
                () -> received(type).stream().filter(matching).findFirst().orElse(null), m -> m != null);
    }

    /** Waits for the result of a command and returns it. */
    public JsonNode result(String requestId) {
        return await("command.result", m -> requestId.equals(m.path("requestId").asText()));
    }

    public JsonNode offerFor(String psid) {
        return await("conversation.offered", m -> psid.equals(m.path("customerPsid").asText()));
    }

    /** Waits until the broker has closed this session (an admin disabled the agent, say): a command sent then fails. */
    public void awaitClosedByBroker() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            try {
                client.setPresence("OFFLINE");
                return false;
            } catch (Exception closed) {
                return true;
            }
        });
    }

    /** Closes every conversation the agent holds, goes Offline and disconnects: the next test starts clean. */
    public void leave() throws Exception {
        for (JsonNode conversation : result(client.send("conversation.list", java.util.Map.of())).path("conversations")) {
            result(client.conversation("close", conversation.path("id").asText()));
        }
        result(client.setPresence("OFFLINE"));
        close();
    }

    @Override
    public void close() throws Exception {
        client.close();
    }
}
