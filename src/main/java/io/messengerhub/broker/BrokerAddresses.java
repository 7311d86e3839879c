package io.messengerhub.broker;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The broker addresses of the agent protocol (docs/asyncapi.yaml), named in one place. */
@Component("brokerAddresses")
public class BrokerAddresses {

    /** On the browsers' (STOMP over WebSocket) acceptor a destination with this prefix names an anycast queue. */
    public static final String STOMP_QUEUE_PREFIX = "/queue/";
    /** ... and one with this prefix a topic (a multicast address, each subscriber gets every message). */
    public static final String STOMP_TOPIC_PREFIX = "/topic/";

    private final String agentInboxPrefix;
    private final String commandsQueue;
    private final String filesQueue;

    public BrokerAddresses(@Value("${hub.agents.inbox-prefix:contact-center.agents.}") String agentInboxPrefix,
                           @Value("${hub.agents.commands-queue:contact-center.commands}") String commandsQueue,
                           @Value("${hub.agents.files-queue:contact-center.files}") String filesQueue) {
        this.agentInboxPrefix = agentInboxPrefix;
        this.commandsQueue = commandsQueue;
        this.filesQueue = filesQueue;
    }

    /** Where agents send files for their customers. */
    public String files() {
        return filesQueue;
    }

    /** Where one agent receives offers, conversations, messages and command results. */
    public String inbox(String agentId) {
        return agentInboxPrefix + agentId;
    }

    /** Where every agent sends its commands; the broker stamps the authenticated user on each. */
    public String commands() {
        return commandsQueue;
    }
}
