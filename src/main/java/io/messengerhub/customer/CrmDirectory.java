package io.messengerhub.customer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
    static final String UNLINK_CONTACT = "direct:crm-unlink-contact";
    static final String SEARCH_CONTACTS = "direct:crm-search-contacts";
    static final String CREATE_CASE = "direct:crm-create-case";
    static final String SEARCH_CASES = "direct:crm-search-cases";
    static final String FIND_CASE = "direct:crm-find-case";
    static final String RESOLVE_CASE = "direct:crm-resolve-case";

    /** The most contacts a search answers with, whatever the route returns. */
    static final int MAX_CONTACTS = 20;

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
        return rows(routes.call(OPEN_CASES, Map.of("contactId", contactId), timeout).getMessage().getBody());
    }

    /** Creates a contact for a customer known only from Facebook; returns the new contact's id. */
    public String create(String pageId, String psid, FacebookProfile profile, Duration timeout) throws RouteCallException {
        var headers = new HashMap<String, Object>();
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

    /** Unlinks the PSID from the contact; false when the contact did not have it (or does not exist). */
    public boolean unlink(String pageId, String psid, String contactId, Duration timeout) throws RouteCallException {
        Exchange unlinked = routes.call(UNLINK_CONTACT, Map.of("pageId", pageId, "psid", psid, "contactId", contactId), timeout);
        return Boolean.TRUE.equals(unlinked.getMessage().getHeader("contactUnlinked", Boolean.class));
    }

    /** Contacts whose name, "first last", email or phone contains the words; at most {@value #MAX_CONTACTS}. */
    public List<CrmContact> searchContacts(String words, Duration timeout) throws RouteCallException {
        var headers = new HashMap<String, Object>();
        String text = words == null ? "" : words.strip();
        headers.put("words", text);
        headers.put("pattern", likePattern(text));
        return rows(routes.call(SEARCH_CONTACTS, headers, timeout).getMessage().getBody()).stream()
                .map(row -> new CrmContact(text(row, "contactId").orElse(null), text(row, "firstName").orElse(null),
                        text(row, "lastName").orElse(null), text(row, "email").orElse(null), text(row, "phone").orElse(null),
                        text(row, "tier").orElse(null), isTrue(row.get("vip"))))
                .limit(MAX_CONTACTS).toList();
    }

    /** Opens a case for the contact; returns the new case's id. */
    public String createCase(String contactId, String title, String description, String conversationId, String agentId,
                             Duration timeout) throws RouteCallException {
        var headers = new HashMap<String, Object>();
        headers.put("contactId", contactId);
        headers.put("title", title);
        headers.put("description", description);
        headers.put("conversationId", conversationId);
        headers.put("agentId", agentId);
        String caseId = routes.call(CREATE_CASE, headers, timeout).getMessage().getHeader("caseId", String.class);
        if (caseId == null) {
            throw new RouteCallException("the crm-create-case route did not set the caseId header");
        }
        return caseId;
    }

    /** Cases whose id or title contains the words; only the contact's when contactId is not null. */
    public List<Map<String, Object>> searchCases(String words, String contactId, Duration timeout) throws RouteCallException {
        var headers = new HashMap<String, Object>();
        String text = words == null ? "" : words.strip();
        headers.put("words", text);
        headers.put("pattern", likePattern(text));
        headers.put("contactId", contactId);
        return rows(routes.call(SEARCH_CASES, headers, timeout).getMessage().getBody());
    }

    public Optional<Map<String, Object>> findCase(String caseId, Duration timeout) throws RouteCallException {
        return Optional.ofNullable(firstRow(routes.call(FIND_CASE, Map.of("caseId", caseId), timeout).getMessage().getBody()));
    }

    /** Resolves the case; false when it was unknown or already resolved. */
    public boolean resolveCase(String caseId, String resolution, String agentId, Duration timeout) throws RouteCallException {
        var headers = new HashMap<String, Object>();
        headers.put("caseId", caseId);
        headers.put("resolution", resolution);
        headers.put("agentId", agentId);
        return Boolean.TRUE.equals(routes.call(RESOLVE_CASE, headers, timeout).getMessage().getHeader("caseResolved", Boolean.class));
    }

    /** "%words%" in lower case, with %, _ and \ escaped by \: the agent's words are text, not wildcards. */
    private static String likePattern(String words) {
        return "%" + words.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static List<Map<String, Object>> rows(Object body) {
        if (body instanceof List<?> rows) {
            return rows.stream().filter(Map.class::isInstance).map(row -> caseInsensitive((Map<?, ?>) row)).toList();
        }
        return List.of();
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

    /** A CRM's yes: a boolean, a non-zero number, or true/yes/y/1 as text. */
    static boolean isTrue(Object value) {
        return value instanceof Boolean flag ? flag
                : value instanceof Number number ? number.intValue() != 0
                : value != null && List.of("true", "yes", "y", "1").contains(String.valueOf(value).toLowerCase(Locale.ROOT));
    }

    static Optional<String> text(Map<String, Object> row, String key) {
        Object value = row.get(key);
        return value == null ? Optional.empty() : Optional.of(String.valueOf(value)).filter(v -> !v.isBlank());
    }
}
