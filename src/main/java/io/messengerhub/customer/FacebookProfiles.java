package io.messengerhub.customer;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.channel.PageTokens;
import io.messengerhub.customer.RouteCalls.RouteCallException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Customers' public Facebook profiles: from the cache while fresh, else from the Graph User Profile API through
 * the facebook-user-profile route, with Facebook's error codes turned into final or retryable answers.
 */
@Component
public class FacebookProfiles {

    static final String USER_PROFILE = "direct:facebook-user-profile";

    private static final Logger LOG = LoggerFactory.getLogger(FacebookProfiles.class);
    /** PSIDs are numeric; anything else must not reach a Graph API path. */
    private static final Pattern PSID = Pattern.compile("[0-9]{1,64}");
    private static final int NO_PROFILE_SUBCODE = 2018218;
    private static final int INVALID_TOKEN = 190;

    private final RouteCalls routes;
    private final PageTokens pageTokens;
    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration cacheTtl;

    public FacebookProfiles(RouteCalls routes, PageTokens pageTokens, JdbcClient jdbc, ObjectMapper json, Clock clock,
                            @Value("${hub.facebook.profile-cache-ttl}") Duration cacheTtl) {
        this.routes = routes;
        this.pageTokens = pageTokens;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.cacheTtl = cacheTtl;
    }

    public ProfileResult profileOf(String pageId, String psid, Duration timeout) {
        Optional<FacebookProfile> cached = cached(pageId, psid);
        if (cached.isPresent()) {
            return new ProfileResult.Found(cached.get());
        }
        if (!PSID.matcher(psid).matches()) {
            return new ProfileResult.NoProfile("not a page-scoped id");
        }
        Optional<String> token = pageTokens.tokenFor(pageId);
        if (token.isEmpty()) {
            return new ProfileResult.NoProfile("no access token configured for page " + pageId);
        }
        var headers = new HashMap<String, Object>();
        headers.put("psid", psid);
        headers.put("pageAccessToken", token.get());
        try {
            ProfileResult result = interpret(pageId, routes.call(USER_PROFILE, headers, timeout));
            if (result instanceof ProfileResult.Found found) {
                remember(pageId, psid, found.profile());
            }
            return result;
        } catch (RouteCallException e) {
            return new ProfileResult.Unavailable("graph: " + e.getMessage());
        }
    }

    private ProfileResult interpret(String pageId, Exchange answer) {
        int status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        JsonNode body = parse(answer.getMessage().getBody(String.class));
        if (status == 200 && body.isObject()) {
            return new ProfileResult.Found(new FacebookProfile(text(body, "first_name"), text(body, "last_name"),
                    text(body, "locale"), body.path("timezone").isNumber() ? body.path("timezone").asDouble() : null,
                    text(body, "profile_pic")));
        }
        JsonNode error = body.path("error");
        int code = error.path("code").asInt(0);
        int subcode = error.path("error_subcode").asInt(0);
        if (code == NO_PROFILE_SUBCODE || subcode == NO_PROFILE_SUBCODE) {
            return new ProfileResult.NoProfile("facebook has no profile for this customer (2018218)");
        }
        if (code == INVALID_TOKEN) {
            LOG.error("Facebook rejected the access token of page {} (190): the page needs re-authorisation", pageId);
            return new ProfileResult.Unavailable("graph: page access token rejected (190)");
        }
        return new ProfileResult.Unavailable("graph: HTTP " + status + (code != 0 ? " error " + code : ""));
    }

    private Optional<FacebookProfile> cached(String pageId, String psid) {
        return jdbc.sql("select profile from customer_profile where page_id = :pageId and customer_psid = :psid and expires_at > :now")
                .param("pageId", pageId).param("psid", psid).param("now", OffsetDateTime.now(clock))
                .query(String.class).optional()
                .map(stored -> {
                    try {
                        return json.readValue(stored, FacebookProfile.class);
                    } catch (JsonProcessingException e) {
                        return null;
                    }
                });
    }

    private void remember(String pageId, String psid, FacebookProfile profile) {
        try {
            String stored = json.writeValueAsString(profile);
            OffsetDateTime now = OffsetDateTime.now(clock);
            int updated = jdbc.sql("update customer_profile set profile = :profile, fetched_at = :now, expires_at = :expires"
                            + " where page_id = :pageId and customer_psid = :psid")
                    .param("profile", stored).param("now", now).param("expires", now.plus(cacheTtl))
                    .param("pageId", pageId).param("psid", psid).update();
            if (updated == 0) {
                jdbc.sql("insert into customer_profile (page_id, customer_psid, profile, fetched_at, expires_at)"
                                + " values (:pageId, :psid, :profile, :now, :expires)")
                        .param("pageId", pageId).param("psid", psid).param("profile", stored).param("now", now)
                        .param("expires", now.plus(cacheTtl)).update();
            }
        } catch (JsonProcessingException | org.springframework.dao.DataAccessException e) {
            // A cache that cannot be written costs a second Graph call later, nothing more.
            LOG.warn("Could not cache the profile of {} on page {}: {}", psid, pageId, e.getMessage());
        }
    }

    private JsonNode parse(String body) {
        try {
            return body == null ? json.createObjectNode() : json.readTree(body);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }
}
