package io.messengerhub.send;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.messengerhub.channel.Channels;
import io.messengerhub.channel.PageTokens;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which Pages need re-authorisation because Facebook rejected their token (190). A flagged Page's sends are
 * refused with that reason instead of failing at Facebook again; setting a new token clears the flag. Shown on
 * /actuator/health as {@code facebookPages}.
 */
@Component("facebookPages")
public class PageStatus implements HealthIndicator {

    static final Status REAUTHORISATION_REQUIRED = new Status("REAUTHORISATION_REQUIRED");

    private final JdbcClient jdbc;
    private final PageTokens tokens;
    private final Channels channels;
    private final Clock clock;

    public PageStatus(JdbcClient jdbc, PageTokens tokens, Channels channels, Clock clock) {
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.channels = channels;
        this.clock = clock;
    }

    /** Why the Page cannot send now, if it cannot. */
    public Optional<String> blocked(String pageId) {
        Optional<String> token = tokens.tokenFor(pageId);
        if (token.isEmpty()) {
            return Optional.of("no access token configured for page " + pageId);
        }
        return jdbc.sql("select reason from page_status where page_id = :page and token_fingerprint = :fingerprint")
                .param("page", pageId).param("fingerprint", fingerprint(token.get())).query(String.class).optional()
                .map(reason -> "page " + pageId + " needs re-authorisation: " + reason);
    }

    /** Records that Facebook rejected the Page's current token. */
    public void needsReauthorisation(String pageId, String reason) {
        String fingerprint = tokens.tokenFor(pageId).map(PageStatus::fingerprint).orElse("0".repeat(64));
        jdbc.sql("delete from page_status where page_id = :page").param("page", pageId).update();
        jdbc.sql("insert into page_status (page_id, token_fingerprint, reason, flagged_at) values (:page, :fingerprint, :reason, :at)")
                .param("page", pageId).param("fingerprint", fingerprint).param("reason", abbreviate(reason))
                .param("at", OffsetDateTime.now(clock)).update();
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean anyBlocked = false;
        for (var page : channels.pages()) {
            Optional<String> blocked = blocked(page.id());
            details.put(page.id(), blocked.orElse("ready"));
            anyBlocked |= blocked.isPresent() && blocked.get().contains("re-authorisation");
        }
        return Health.status(anyBlocked ? REAUTHORISATION_REQUIRED : Status.UP).withDetails(details).build();
    }

    static String fingerprint(String token) {
        return DigestUtils.sha256Hex(token);
    }


    private static String abbreviate(String reason) {
        return reason.length() > 500 ? reason.substring(0, 500) : reason;
    }
}
