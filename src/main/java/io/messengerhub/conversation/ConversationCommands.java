package io.messengerhub.conversation;

import java.time.Clock;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.api.ApiBadRequestException;
import io.messengerhub.api.ApiConflictException;
import io.messengerhub.api.ApiNotFoundException;
import io.messengerhub.api.ApiUnavailableException;
import io.messengerhub.customer.CrmDirectory;
import io.messengerhub.customer.CrmProperties;
import io.messengerhub.customer.CustomerEnricher;
import io.messengerhub.customer.CustomerSnapshot;
import io.messengerhub.customer.EnrichmentRetries;
import io.messengerhub.customer.RouteCalls.RouteCallException;
import io.messengerhub.outbox.DomainEvents;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What can be done to a conversation from outside the webhook: close it, link its customer to a CRM contact,
 * and complete its customer data when enrichment is retried. Each change and its messages commit together.
 */
@Component("conversationCommands")
public class ConversationCommands {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationCommands.class);

    private final ConversationRepository conversations;
    private final DomainEvents events;
    private final CustomerEnricher enricher;
    private final CrmDirectory crm;
    private final CrmProperties crmSettings;
    private final EnrichmentRetries retries;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final ConversationLifecycle lifecycle;

    public ConversationCommands(ConversationRepository conversations, DomainEvents events, CustomerEnricher enricher,
                                CrmDirectory crm, CrmProperties crmSettings, EnrichmentRetries retries,
                                TransactionTemplate transaction, Clock clock,
                                ConversationLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.conversations = conversations;
        this.events = events;
        this.enricher = enricher;
        this.crm = crm;
        this.crmSettings = crmSettings;
        this.retries = retries;
        this.transaction = transaction;
        this.clock = clock;
    }

    public Conversation close(@Header("id") String conversationId) {
        return transaction.execute(status -> {
            Conversation conversation = existing(conversationId);
            if (conversation.state() == ConversationState.CLOSED) {
                throw new ApiConflictException("conversation " + conversationId + " is already closed");
            }
            // The state read above may be stale by now: the guarded close decides, and a lost race is a conflict too.
            return lifecycle.close(conversation, ConversationTransition.CLOSE_BY_API)
                    .orElseThrow(() -> new ApiConflictException("conversation " + conversationId + " is already closed"));
        });
    }

    /**
     * Links the conversation's PSID to an existing CRM contact; the body is {@code {"contactId": "..."}}, bound by the
     * REST DSL (null when there was none).
     */
    public Conversation link(@Header("id") String conversationId, @Body JsonNode request) {
        String contactId = contactIdOf(request);
        Conversation conversation = existing(conversationId);
        try {
            if (!crm.link(conversation.pageId(), conversation.customerPsid(), contactId, crmSettings.lookupTimeout())) {
                throw new ApiNotFoundException("contact " + contactId + " not found in the CRM");
            }
        } catch (RouteCallException e) {
            LOG.warn("The CRM did not answer a link of conversation {}: {}", conversationId, e.getMessage());
            throw new ApiUnavailableException("the CRM did not answer, try again later");
        }
        LOG.info("Linked customer {} of page {} to CRM contact {}", conversation.customerPsid(), conversation.pageId(), contactId);
        CustomerSnapshot snapshot = enricher.lookup(conversation.pageId(), conversation.customerPsid());
        return transaction.execute(status -> {
            // The link itself succeeded even if the lookup after it did not answer in time: keep the contact id.
            Conversation linked = conversation.withCustomer(snapshot.customer(), snapshot.complete()).withContactId(contactId);
            conversations.updateCustomer(linked);
            if (!snapshot.complete()) {
                retries.done(linked.id());
                retries.schedule(linked.id(), String.join("; ", snapshot.gaps()));
            }
            events.record(new ConversationLinked(linked, clock.instant()));
            if (linked.state() != ConversationState.CLOSED) {
                events.record(new CustomerUpdated(linked, snapshot.customer(), snapshot.complete(), clock.instant()));
            }
            return linked;
        });
    }

    /** Looks the customer up again; sends the update to the conversation's holder once the data is complete. */
    public void retryEnrichment(EnrichmentRetries.Due due) {
        var conversation = conversations.findById(due.conversationId());
        if (conversation.isEmpty() || conversation.get().state() == ConversationState.CLOSED) {
            retries.done(due.conversationId());
            return;
        }
        CustomerSnapshot snapshot = enricher.lookup(conversation.get().pageId(), conversation.get().customerPsid());
        if (!snapshot.complete()) {
            if (!retries.failedAgain(due, String.join("; ", snapshot.gaps()))) {
                LOG.warn("Gave up completing the customer data of conversation {}: {}", due.conversationId(), snapshot.gaps());
            }
            return;
        }
        transaction.executeWithoutResult(status -> {
            Conversation enriched = conversation.get().withCustomer(snapshot.customer(), true);
            conversations.updateCustomer(enriched);
            retries.done(enriched.id());
            LOG.info("Completed the customer data of conversation {}", enriched.id());
            events.record(new CustomerUpdated(enriched, snapshot.customer(), true, clock.instant()));
        });
    }

    private Conversation existing(String conversationId) {
        return conversations.findById(conversationId)
                .orElseThrow(() -> ApiNotFoundException.conversation(conversationId));
    }

    private static String contactIdOf(JsonNode request) {
        String contactId = request == null ? null : request.path("contactId").asText(null);
        if (contactId == null || contactId.isBlank()) {
            throw new ApiBadRequestException("body must be {\"contactId\": \"...\"}");
        }
        return contactId;
    }
}
