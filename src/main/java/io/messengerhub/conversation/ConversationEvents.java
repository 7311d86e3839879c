package io.messengerhub.conversation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.messengerhub.customer.Customer;
import io.messengerhub.outbox.Outbox;
import io.messengerhub.outbox.OutboxMessage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Messages about a conversation, decided inside the transaction that changed it and sent through the outbox:
 * integration events for CRMs on the {@code contact-center.events} topic, and updates for whoever holds the
 * conversation (docs/asyncapi.yaml).
 */
@Component
public class ConversationEvents {

    private final Outbox outbox;
    private final Clock clock;
    private final String integrationTopic;
    private final String offerAddressPrefix;
    private final io.messengerhub.agent.AgentInbox agentInbox;
    private final String archiveQueue;

    public ConversationEvents(Outbox outbox, Clock clock, io.messengerhub.agent.AgentInbox agentInbox,
                              @Value("${hub.integration.events-topic}") String integrationTopic,
                              @Value("${hub.dispatch.offer-address-prefix}") String offerAddressPrefix,
                              @Value("${hub.transcripts.archive-queue}") String archiveQueue) {
        this.archiveQueue = archiveQueue;
        this.outbox = outbox;
        this.clock = clock;
        this.integrationTopic = integrationTopic;
        this.offerAddressPrefix = offerAddressPrefix;
        this.agentInbox = agentInbox;
    }

    /** An integration event: conversation.opened, conversation.closed or conversation.linked. */
    public record IntegrationEvent(String type, String conversationId, String pageId, String customerPsid, String contactId,
                                   String queue, String state, Instant occurredAt) {
    }

    /** Tells whoever holds a conversation that its customer data changed. */
    public record CustomerUpdated(String type, String conversationId, String pageId, String customerPsid,
                                  Customer customer, boolean customerDataIncomplete, Instant occurredAt) {
    }

    public OutboxMessage opened(Conversation conversation) {
        return integration("conversation.opened", conversation);
    }

    /** The integration event, and the order to archive the transcript (hub.transcripts.archive-queue). */
    public List<OutboxMessage> closed(Conversation conversation) {
        return List.of(integration("conversation.closed", conversation),
                outbox.add(archiveQueue, "archive:" + conversation.id(), conversation.id()));
    }

    public OutboxMessage linked(Conversation conversation) {
        return integration("conversation.linked", conversation);
    }

    /** Facebook rejected a Page's token (190): integrations and operators must re-authorise it. */
    public OutboxMessage pageNeedsReauthorisation(String pageId, String reason) {
        var event = new java.util.LinkedHashMap<String, Object>();
        event.put("type", "page.reauthorisation-required");
        event.put("pageId", pageId);
        event.put("reason", reason);
        event.put("occurredAt", clock.instant());
        return outbox.addJson("topic:" + integrationTopic, "page-reauthorisation:" + pageId + ":" + clock.millis(), event);
    }

    /** Goes to the agent holding the conversation, or while it is queued, to its queue's address. */
    public OutboxMessage customerUpdated(Conversation conversation, Customer customer, boolean complete) {
        var update = new CustomerUpdated("conversation.customer-updated", conversation.id(), conversation.pageId(),
                conversation.customerPsid(), customer, !complete, clock.instant());
        if (conversation.agentId() != null) {
            return agentInbox.send(conversation.agentId(), update.type(), java.util.Map.of("conversationId", conversation.id(),
                    "customer", customer, "customerDataIncomplete", !complete));
        }
        return outbox.addJson(offerAddressPrefix + conversation.queue(),
                "customer-updated:" + conversation.id() + ":" + update.occurredAt().toEpochMilli(), update);
    }

    private OutboxMessage integration(String type, Conversation conversation) {
        var event = new IntegrationEvent(type, conversation.id(), conversation.pageId(), conversation.customerPsid(),
                conversation.contactId(), conversation.queue(), conversation.state().name(), clock.instant());
        return outbox.addJson("topic:" + integrationTopic, type + ":" + conversation.id() + ":" + event.occurredAt().toEpochMilli(),
                event);
    }
}
