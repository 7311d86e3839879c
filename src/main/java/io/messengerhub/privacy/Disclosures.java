package io.messengerhub.privacy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.messengerhub.channel.PageTokens;
import io.messengerhub.conversation.Conversation;
import io.messengerhub.send.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The notice a customer gets when a conversation starts (for example that it may be recorded). It goes through the
 * same durable send queue as agents' replies; once Facebook accepted it, the transcript holds it as a message of
 * kind {@code disclosure}. On a Page that asks for consent ({@code hub.privacy.consent.pages}) it carries two quick
 * replies, and {@link Consents} records what the customer answered.
 */
@Component
public class Disclosures {

    private static final Logger LOG = LoggerFactory.getLogger(Disclosures.class);

    private final Settings settings;
    private final Replies replies;
    private final PageTokens tokens;
    private final Consents consents;
    private final ObjectMapper json;
    private final Set<String> pagesWithoutToken = ConcurrentHashMap.newKeySet();

    public Disclosures(Settings settings, Replies replies, PageTokens tokens, Consents consents, ObjectMapper json) {
        this.settings = settings;
        this.replies = replies;
        this.tokens = tokens;
        this.consents = consents;
        this.json = json;
    }

    /**
     * {@code hub.privacy.disclosure}: the text for every Page (empty: none); {@code hub.privacy.page-disclosures}:
     * a Page's own text by Page id, e.g. in its language; {@code hub.privacy.consent}: which Pages ask for consent.
     */
    @ConfigurationProperties("hub.privacy")
    public record Settings(String disclosure, Map<String, String> pageDisclosures, ConsentSettings consent) {

        public Settings {
            pageDisclosures = pageDisclosures == null ? Map.of() : Map.copyOf(pageDisclosures);
            consent = consent == null ? new ConsentSettings(null, null, null, null, null, null, null, null) : consent;
        }

        String textFor(String pageId) {
            return pageDisclosures.getOrDefault(pageId, disclosure == null ? "" : disclosure);
        }
    }

    /**
     * {@code hub.privacy.consent.*}: the Pages whose disclosure asks for consent (none by default), the titles of the
     * two quick replies ({@code agree}, {@code decline}; a Page's own in {@code page-agree}, {@code page-decline}),
     * what a customer who declines is told ({@code declined-answer}, {@code page-declined-answers}; empty: nothing),
     * and how long a closed conversation whose customer declined is kept ({@code declined-max-age}).
     */
    public record ConsentSettings(List<String> pages, String agree, String decline, Map<String, String> pageAgree,
                                  Map<String, String> pageDecline, String declinedAnswer,
                                  Map<String, String> pageDeclinedAnswers, Duration declinedMaxAge) {

        /** Messenger's limit for a quick reply's title. */
        static final int MAX_TITLE = 20;

        public ConsentSettings {
            pages = pages == null ? List.of() : pages.stream().map(String::strip).filter(p -> !p.isEmpty()).toList();
            agree = agree == null || agree.isBlank() ? "I agree" : agree.strip();
            decline = decline == null || decline.isBlank() ? "No thanks" : decline.strip();
            pageAgree = pageAgree == null ? Map.of() : Map.copyOf(pageAgree);
            pageDecline = pageDecline == null ? Map.of() : Map.copyOf(pageDecline);
            declinedAnswer = declinedAnswer == null ? "" : declinedAnswer.strip();
            pageDeclinedAnswers = pageDeclinedAnswers == null ? Map.of() : Map.copyOf(pageDeclinedAnswers);
            declinedMaxAge = declinedMaxAge == null ? Duration.ZERO : declinedMaxAge;
            if (declinedMaxAge.isNegative()) {
                throw new IllegalArgumentException("hub.privacy.consent.declined-max-age must not be negative, not " + declinedMaxAge);
            }
            for (String title : concat(List.of(agree, decline), pageAgree.values(), pageDecline.values())) {
                if (title.isBlank() || title.strip().length() > MAX_TITLE) {
                    throw new IllegalArgumentException("hub.privacy.consent: a quick reply title has 1 to " + MAX_TITLE
                            + " characters (Messenger's limit), not '" + title + "'");
                }
            }
        }

        public boolean asks(String pageId) {
            return pages.contains(pageId);
        }

        String agreeFor(String pageId) {
            return pageAgree.getOrDefault(pageId, agree).strip();
        }

        String declineFor(String pageId) {
            return pageDecline.getOrDefault(pageId, decline).strip();
        }

        String declinedAnswerFor(String pageId) {
            return pageDeclinedAnswers.getOrDefault(pageId, declinedAnswer).strip();
        }

        private static List<String> concat(List<String> first, java.util.Collection<String> second, java.util.Collection<String> third) {
            var all = new java.util.ArrayList<>(first);
            all.addAll(second);
            all.addAll(third);
            return all;
        }
    }

    /** What a customer is asked: the disclosure text, the two choices, and the version (hash) of all three. */
    public record Question(String text, String agree, String decline, String version) {

        static Question of(String text, String agree, String decline) {
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest((text + "\n" + agree + "\n" + decline)
                        .getBytes(StandardCharsets.UTF_8));
                return new Question(text, agree, decline, HexFormat.of().formatHex(hash, 0, 8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java has SHA-256", e);
            }
        }
    }

    /** The disclosure to send for a conversation that just opened, when its Page has one and can send. */
    public void forNewConversation(Conversation conversation) {
        String text = settings.textFor(conversation.pageId());
        if (text == null || text.isBlank()) {
            return;
        }
        if (tokens.tokenFor(conversation.pageId()).isEmpty()) {
            // Once per Page, not once per conversation: the demo Pages have no tokens.
            if (pagesWithoutToken.add(conversation.pageId())) {
                LOG.warn("No disclosure is sent for page {}: it has no access token configured", conversation.pageId());
            }
            return;
        }
        ConsentSettings consent = settings.consent();
        if (!consent.asks(conversation.pageId())) {
            replies.queueDisclosure(conversation, text.strip(), null);
            return;
        }
        Question question = Question.of(text.strip(), consent.agreeFor(conversation.pageId()), consent.declineFor(conversation.pageId()));
        ObjectNode message = json.createObjectNode().put("text", question.text());
        ArrayNode choices = message.putArray("quick_replies");
        choices.addObject().put("content_type", "text").put("title", question.agree())
                .put("payload", Consents.payload(io.messengerhub.conversation.Consent.AGREED, question.version()));
        choices.addObject().put("content_type", "text").put("title", question.decline())
                .put("payload", Consents.payload(io.messengerhub.conversation.Consent.DECLINED, question.version()));
        if (replies.queueDisclosure(conversation, question.text(), message)) {
            consents.asked(conversation, question);
        }
    }
}
