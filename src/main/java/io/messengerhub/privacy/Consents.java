package io.messengerhub.privacy;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.messengerhub.api.ApiNotFoundException;
import io.messengerhub.conversation.Consent;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.conversation.ConversationRepository;
import io.messengerhub.outbox.DomainEvents;
import io.messengerhub.send.Replies;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The customers' consent to recording, on Pages that ask for it: that it was asked (with exactly what the customer
 * was shown), and the answer when their quick reply arrives. The conversation goes on either way: service is not made
 * conditional on consent (README, "Consent"); a conversation whose customer declined is told so and deleted once it is
 * closed ({@link Retention}).
 */
@Component("consents")
public class Consents {

    private static final Logger LOG = LoggerFactory.getLogger(Consents.class);
    private static final String PREFIX = "HUB_CONSENT:";
    private static final Pattern PAYLOAD = Pattern.compile(Pattern.quote(PREFIX) + "(agreed|declined):([0-9a-f]{16})");

    private final JdbcClient jdbc;
    private final ConversationRepository conversations;
    private final DomainEvents events;
    private final Replies replies;
    private final Disclosures.Settings settings;
    private final Clock clock;

    public Consents(JdbcClient jdbc, ConversationRepository conversations, DomainEvents events, Replies replies,
                    Disclosures.Settings settings, Clock clock) {
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.events = events;
        this.replies = replies;
        this.settings = settings;
        this.clock = clock;
    }

    /** The quick reply's payload: the answer and the version of the question it answers. */
    static String payload(String answer, String version) {
        return PREFIX + answer + ":" + version;
    }

    /** The disclosure with its question was queued for this conversation: the customer has been asked. */
    void asked(Conversation conversation, Disclosures.Question question) {
        jdbc.sql("""
                insert into conversation_consent (conversation_id, page_id, customer_psid, disclosure_version, disclosure_text,
                                                  agree_title, decline_title, asked_at)
                values (:conversation, :page, :psid, :version, :text, :agree, :decline, :at)""")
                .param("conversation", conversation.id()).param("page", conversation.pageId())
                .param("psid", conversation.customerPsid()).param("version", question.version())
                .param("text", question.text()).param("agree", question.agree()).param("decline", question.decline())
                .param("at", utc(clock.instant())).update();
    }

    /**
     * Records the customer's answer if this quick-reply payload is one (in the transaction recording their message);
     * the latest answer counts. The agent holding the conversation hears {@code conversation.consent}; a customer who
     * declines (and did not before) is told what that means, when the Page has a text for it.
     */
    public Optional<Consent> answered(Conversation conversation, String quickReplyPayload, Instant at) {
        Matcher matcher = quickReplyPayload == null ? null : PAYLOAD.matcher(quickReplyPayload);
        if (matcher == null || !matcher.matches()) {
            return Optional.empty();
        }
        String answer = matcher.group(1);
        String version = matcher.group(2);
        Consent before = conversations.consent(conversation.id());
        int updated = jdbc.sql("""
                update conversation_consent set answer = :answer, answered_version = :version, answered_at = :at
                where conversation_id = :conversation""")
                .param("answer", answer).param("version", version).param("at", utc(at))
                .param("conversation", conversation.id()).update();
        if (updated == 0) {
            // The Page no longer asks, or the hub did not keep the question (asked before it was switched on): the
            // answer is still the customer's, kept with the version the quick reply names; the text is not known.
            LOG.info("Consent answer for conversation {} without a question on record; kept with version {}", conversation.id(), version);
            jdbc.sql("""
                    insert into conversation_consent (conversation_id, page_id, customer_psid, disclosure_version, disclosure_text,
                                                      agree_title, decline_title, asked_at, answer, answered_version, answered_at)
                    values (:conversation, :page, :psid, :version, '', '', '', :at, :answer, :version, :at)""")
                    .param("conversation", conversation.id()).param("page", conversation.pageId())
                    .param("psid", conversation.customerPsid()).param("version", version).param("answer", answer)
                    .param("at", utc(at)).update();
        }
        Consent now = conversations.consent(conversation.id());
        if (conversation.agentId() != null) {
            events.record(new ConsentAnswered(conversation.id(), conversation.agentId(), now, clock.instant()));
        }
        if (Consent.DECLINED.equals(answer) && !Consent.DECLINED.equals(before.state())) {
            replies.queueConsentAnswer(conversation, settings.consent().declinedAnswerFor(conversation.pageId()));
        }
        return Optional.of(now);
    }

    /** {@code GET /api/conversations/{id}/consent}: what the customer was asked and answered; 404 for an unknown id. */
    public Map<String, Object> of(@Header("id") String conversationId) {
        conversations.findById(conversationId).orElseThrow(() -> ApiNotFoundException.conversation(conversationId));
        var answer = new LinkedHashMap<String, Object>();
        answer.put("conversationId", conversationId);
        answer.put("recorded", true);
        Consent consent = conversations.consent(conversationId);
        answer.put("state", consent.state());
        jdbc.sql("""
                select page_id, customer_psid, disclosure_version, disclosure_text, agree_title, decline_title, asked_at,
                       answered_version, answered_at
                from conversation_consent where conversation_id = :id""")
                .param("id", conversationId).query().listOfRows().forEach(row -> {
                    answer.put("pageId", row.get("page_id"));
                    answer.put("customerPsid", row.get("customer_psid"));
                    answer.put("disclosureVersion", row.get("disclosure_version"));
                    answer.put("disclosureText", row.get("disclosure_text"));
                    answer.put("choices", Map.of("agreed", row.get("agree_title"), "declined", row.get("decline_title")));
                    answer.put("askedAt", consent.askedAt());
                    answer.put("answeredVersion", consent.answeredVersion());
                    answer.put("answeredAt", consent.answeredAt());
                });
        return answer;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
