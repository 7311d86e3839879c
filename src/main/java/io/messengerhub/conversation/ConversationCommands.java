package io.messengerhub.conversation;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

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
 * What can be done to a conversation from outside the webhook: close it, link its customer to a CRM contact or
 * unlink it, and complete its customer data when enrichment is retried. Each change and its messages commit together.
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
            return linkContact(conversation, contactId, crmSettings.lookupTimeout())
                    .orElseThrow(() -> new ApiNotFoundException("contact " + contactId + " not found in the CRM"));
        } catch (RouteCallException e) {
            LOG.warn("The CRM did not answer a link of conversation {}: {}", conversationId, e.getMessage());
            throw new ApiUnavailableException("the CRM did not answer, try again later");
        }
    }

    /**
     * Links the customer's PSID to an existing CRM contact through the route crm-link-contact, then as
     * {@link #linked}; empty when the CRM has no such contact. The API's link and agents' contact.link both use it.
     */
    public Optional<Conversation> linkContact(Conversation conversation, String contactId, Duration timeout)
            throws RouteCallException {
        if (!crm.link(conversation.pageId(), conversation.customerPsid(), contactId, timeout)) {
            return Optional.empty();
        }
        LOG.info("Linked customer {} of page {} to CRM contact {}", conversation.customerPsid(), conversation.pageId(), contactId);
        return Optional.of(linked(conversation, contactId));
    }

    /**
     * The conversation once the CRM has its PSID on the contact (linked, or created from the profile): the customer
     * as the CRM now gives it, {@link CustomerUpdated} for the holder and {@link ConversationLinked} for integrations.
     * A case linked while the conversation had another contact is forgotten: it is that contact's.
     */
    public Conversation linked(Conversation conversation, String contactId) {
        CustomerSnapshot snapshot = enricher.lookup(conversation.pageId(), conversation.customerPsid());
        return transaction.execute(status -> {
            // The link itself succeeded even if the lookup after it did not answer in time: keep the contact id.
            Conversation linked = conversation.withCustomer(snapshot.customer(), snapshot.complete()).withContactId(contactId);
            conversations.updateCustomer(linked);
            if (conversation.contactId() != null && !conversation.contactId().equals(contactId)) {
                conversations.forgetCase(linked.id());
            }
            retries.done(linked.id());
            if (!snapshot.complete()) {
                retries.schedule(linked.id(), String.join("; ", snapshot.gaps()));
            }
            events.record(new ConversationLinked(linked, clock.instant()));
            if (linked.state() != ConversationState.CLOSED) {
                events.record(new CustomerUpdated(linked, snapshot.customer(), snapshot.complete(), clock.instant()));
            }
            return linked;
        });
    }

    /**
     * Unlinks the customer's PSID from the conversation's CRM contact through the route crm-unlink-contact. The
     * customer becomes what the CRM and Facebook say without that contact (looked up without creating a contact,
     * whatever {@code hub.crm.create-unknown-contacts} says, or the unlink would be undone at once); the linked case
     * is forgotten (it is the contact's); {@link CustomerUpdated} for the holder, {@link ConversationUnlinked} for
     * integrations.
     *
     * @param conversation one with a contact
     */
    public Conversation unlinkContact(Conversation conversation, Duration timeout) throws RouteCallException {
        String contactId = conversation.contactId();
        if (contactId == null) {
            throw new IllegalArgumentException("conversation " + conversation.id() + " has no contact to unlink");
        }
        if (!crm.unlink(conversation.pageId(), conversation.customerPsid(), contactId, timeout)) {
            // The CRM had moved the PSID away from the contact already: the conversation follows the CRM all the same.
            LOG.info("CRM contact {} no longer had customer {} of page {}", contactId, conversation.customerPsid(), conversation.pageId());
        }
        LOG.info("Unlinked customer {} of page {} from CRM contact {}", conversation.customerPsid(), conversation.pageId(), contactId);
        CustomerSnapshot snapshot = enricher.lookupWithoutCreating(conversation.pageId(), conversation.customerPsid());
        return transaction.execute(status -> {
            Conversation unlinked = conversation.withCustomer(snapshot.customer(), snapshot.complete())
                    .withContactId(snapshot.customer().contactId());
            conversations.updateCustomer(unlinked);
            conversations.forgetCase(unlinked.id());
            // A retry looks the customer up with contact creation on; what is missing now stays missing.
            retries.done(unlinked.id());
            events.record(new ConversationUnlinked(unlinked, contactId, clock.instant()));
            if (unlinked.state() != ConversationState.CLOSED) {
                events.record(new CustomerUpdated(unlinked, snapshot.customer(), snapshot.complete(), clock.instant()));
            }
            return unlinked;
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
