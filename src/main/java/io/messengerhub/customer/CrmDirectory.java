package io.messengerhub.customer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.messengerhub.customer.RouteCalls.RouteCallException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The hub's side of the CRM contract: it calls the CRM routes (routes/crm.camel.yaml, replaceable by an
 * integration team) and reads their answers by the names docs/crm-integration.md gives, ignoring case.
 */
@Component
public class CrmDirectory {

    static final String FIND_CONTACT = "direct:crm-find-contact";
    static final String OPEN_CASES = "direct:crm-open-cases";
    static final String CREATE_CONTACT = "direct:crm-create-contact";
    static final String LINK_CONTACT = "direct:crm-link-contact";

    private final RouteCalls routes;

    public CrmDirectory(RouteCalls routes) {
        this.routes = routes;
    }

    public CrmAnswer findByPsid(String pageId, String psid, Duration timeout) {
        try {
            Object body = routes.call(FIND_CONTACT, Map.of("pageId", pageId, "psid", psid), timeout).getMessage().getBody();
            Map<String, Object> contact = firstRow(body);
            return contact == null ? new CrmAnswer.NotFound() : new CrmAnswer.Found(contact);
        } catch (RouteCallException e) {
            return new CrmAnswer.Unavailable("crm: " + e.getMessage());
        }
    }

    /** The contact's open cases; empty when the CRM route gives none. */
    public List<Map<String, Object>> openCases(String contactId, Duration timeout) throws RouteCallException {
        Object body = routes.call(OPEN_CASES, Map.of("contactId", contactId), timeout).getMessage().getBody();
        if (body instanceof List<?> rows) {
            return rows.stream().filter(Map.class::isInstance).map(row -> caseInsensitive((Map<?, ?>) row)).toList();
        }
        return List.of();
    }

    /** Creates a contact for a customer known only from Facebook; returns the new contact's id. */
    public String create(String pageId, String psid, FacebookProfile profile, Duration timeout) throws RouteCallException {
        var headers = new java.util.HashMap<String, Object>();
        headers.put("pageId", pageId);
        headers.put("psid", psid);
        headers.put("firstName", profile.firstName());
        headers.put("lastName", profile.lastName());
        headers.put("language", profile.locale());
        Exchange created = routes.call(CREATE_CONTACT, headers, timeout);
        String contactId = created.getMessage().getHeader("contactId", String.class);
        if (contactId == null) {
            throw new RouteCallException("the crm-create-contact route did not set the contactId header");
        }
        return contactId;
    }

    /** Links the PSID to an existing contact; false when there is no such contact. */
    public boolean link(String pageId, String psid, String contactId, Duration timeout) throws RouteCallException {
        Exchange linked = routes.call(LINK_CONTACT, Map.of("pageId", pageId, "psid", psid, "contactId", contactId), timeout);
        return Boolean.TRUE.equals(linked.getMessage().getHeader("contactLinked", Boolean.class));
    }

    private static Map<String, Object> firstRow(Object body) {
        if (body instanceof Map<?, ?> row) {
            return row.isEmpty() ? null : caseInsensitive(row);
        }
        if (body instanceof List<?> rows && !rows.isEmpty() && rows.get(0) instanceof Map<?, ?> row) {
            return caseInsensitive(row);
        }
        return null;
    }

    static Map<String, Object> caseInsensitive(Map<?, ?> row) {
        var map = new TreeMap<String, Object>(String.CASE_INSENSITIVE_ORDER);
        row.forEach((key, value) -> map.put(String.valueOf(key), value));
        return map;
    }

    static Optional<String> text(Map<String, Object> row, String key) {
        Object value = row.get(key);
        return value == null ? Optional.empty() : Optional.of(String.valueOf(value)).filter(v -> !v.isBlank());
    }
}
