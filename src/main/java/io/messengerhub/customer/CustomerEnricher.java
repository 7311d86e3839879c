package io.messengerhub.customer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.messengerhub.customer.Customer.OpenCase;
import io.messengerhub.customer.RouteCalls.RouteCallException;
import io.messengerhub.event.FacebookEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Finds out who is writing before a conversation is offered: the CRM contact with its open cases, else the
 * Facebook profile (and, when configured, a new CRM contact made from it). The whole lookup has one deadline
 * ({@code hub.crm.lookup-timeout}); what does not answer in time is left out and the snapshot marked incomplete.
 */
@Component("customerEnricher")
public class CustomerEnricher {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerEnricher.class);
    /** Even a nearly spent deadline gives a route this long, so a fast CRM is never cut off by rounding. */
    private static final Duration MINIMUM_CALL_TIME = Duration.ofMillis(50);

    private final CrmDirectory crm;
    private final FacebookProfiles profiles;
    private final CrmProperties settings;
    private final Clock clock;

    public CustomerEnricher(CrmDirectory crm, FacebookProfiles profiles, CrmProperties settings, Clock clock) {
        this.crm = crm;
        this.profiles = profiles;
        this.settings = settings;
        this.clock = clock;
    }

    /** Looks up the customer of an event that is about to open a conversation. */
    public LookedUpCustomer enrich(FacebookEvent event) {
        String pageId = event.context().pageId();
        String psid = event.context().customerPsid();
        return new LookedUpCustomer(pageId, psid, lookup(pageId, psid));
    }

    public CustomerSnapshot lookup(String pageId, String psid) {
        return lookup(pageId, psid, settings.createUnknownContacts());
    }

    /**
     * As {@link #lookup(String, String)}, but never creates a CRM contact, whatever {@code hub.crm.create-unknown-contacts}
     * says: after an agent unlinked the customer from a contact, a new one made at once would undo it.
     */
    public CustomerSnapshot lookupWithoutCreating(String pageId, String psid) {
        return lookup(pageId, psid, false);
    }

    /**
     * Creates a CRM contact from the customer's Facebook profile (route crm-create-contact, which links the PSID to
     * it), as the lookup does for unknown customers; empty when Facebook gives no profile now.
     */
    public Optional<String> createContact(String pageId, String psid, Duration timeout) throws RouteCallException {
        Instant deadline = clock.instant().plus(timeout);
        if (!(profiles.profileOf(pageId, psid, timeout) instanceof ProfileResult.Found found)) {
            return Optional.empty();
        }
        return Optional.of(create(pageId, psid, found.profile(), remaining(deadline)));
    }

    private String create(String pageId, String psid, FacebookProfile profile, Duration timeout) throws RouteCallException {
        String contactId = crm.create(pageId, psid, profile, timeout);
        LOG.info("Created CRM contact {} for customer {} of page {}", contactId, psid, pageId);
        return contactId;
    }

    private CustomerSnapshot lookup(String pageId, String psid, boolean createUnknown) {
        Instant deadline = clock.instant().plus(settings.lookupTimeout());
        var gaps = new ArrayList<String>();
        CrmAnswer answer = crm.findByPsid(pageId, psid, remaining(deadline));
        if (answer instanceof CrmAnswer.Found found) {
            return fromCrm(found.contact(), deadline, gaps);
        }
        if (answer instanceof CrmAnswer.Unavailable unavailable) {
            gaps.add(unavailable.reason());
        }
        ProfileResult profile = profiles.profileOf(pageId, psid, remaining(deadline));
        if (profile instanceof ProfileResult.Unavailable unavailable) {
            gaps.add(unavailable.reason());
        }
        if (profile instanceof ProfileResult.NoProfile none) {
            LOG.debug("No Facebook profile for {} on page {}: {}", psid, pageId, none.reason());
        }
        Customer customer = profile instanceof ProfileResult.Found found ? fromProfile(found.profile(), null) : Customer.anonymous();
        if (answer instanceof CrmAnswer.NotFound && profile instanceof ProfileResult.Found found && createUnknown) {
            try {
                customer = fromProfile(found.profile(), create(pageId, psid, found.profile(), remaining(deadline)));
            } catch (RouteCallException e) {
                gaps.add("crm: contact not created: " + e.getMessage());
            }
        }
        if (!gaps.isEmpty()) {
            LOG.warn("Customer {} of page {} offered with incomplete data: {}", psid, pageId, gaps);
        }
        return new CustomerSnapshot(customer, gaps.isEmpty(), gaps);
    }

    private CustomerSnapshot fromCrm(Map<String, Object> contact, Instant deadline, List<String> gaps) {
        String contactId = CrmDirectory.text(contact, "contactId").orElse(null);
        List<OpenCase> cases = List.of();
        if (contactId != null) {
            try {
                cases = crm.openCases(contactId, remaining(deadline)).stream().map(CustomerEnricher::openCase).toList();
            } catch (RouteCallException e) {
                gaps.add("crm cases: " + e.getMessage());
            }
        }
        var customer = new Customer(contactId, CrmDirectory.text(contact, "firstName").orElse(null),
                CrmDirectory.text(contact, "lastName").orElse(null), CrmDirectory.text(contact, "email").orElse(null),
                CrmDirectory.text(contact, "phone").orElse(null), CrmDirectory.text(contact, "language").orElse(null),
                null, CrmDirectory.text(contact, "tier").orElse(null), CrmDirectory.isTrue(contact.get("vip")), null, cases,
                Customer.FROM_CRM);
        return new CustomerSnapshot(customer, gaps.isEmpty(), gaps);
    }

    private static Customer fromProfile(FacebookProfile profile, String contactId) {
        return new Customer(contactId, profile.firstName(), profile.lastName(), null, null, profile.locale(),
                profile.timezone(), null, false, profile.profilePic(), List.of(), Customer.FROM_FACEBOOK_PROFILE);
    }

    private static OpenCase openCase(Map<String, Object> row) {
        Object created = row.get("createdAt");
        Instant createdAt = created instanceof java.sql.Timestamp timestamp ? timestamp.toInstant()
                : created instanceof java.time.OffsetDateTime offset ? offset.toInstant()
                : created instanceof Instant instant ? instant
                : created instanceof String text ? parseInstant(text) : null;
        return new OpenCase(CrmDirectory.text(row, "caseId").orElse(null), CrmDirectory.text(row, "title").orElse(null),
                CrmDirectory.text(row, "status").orElse(null), createdAt);
    }

    /** REST CRMs send dates as ISO-8601 text, with or without an offset. */
    private static Instant parseInstant(String text) {
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException withoutOffset) {
            try {
                return Instant.parse(text);
            } catch (java.time.format.DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    private Duration remaining(Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.compareTo(MINIMUM_CALL_TIME) < 0 ? MINIMUM_CALL_TIME : left;
    }
}
