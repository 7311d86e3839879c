package io.messengerhub.privacy;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 * kind {@code disclosure}.
 */
@Component
public class Disclosures {

    private static final Logger LOG = LoggerFactory.getLogger(Disclosures.class);

    private final Settings settings;
    private final Replies replies;
    private final PageTokens tokens;
    private final Set<String> pagesWithoutToken = ConcurrentHashMap.newKeySet();

    public Disclosures(Settings settings, Replies replies, PageTokens tokens) {
        this.settings = settings;
        this.replies = replies;
        this.tokens = tokens;
    }

    /**
     * {@code hub.privacy.disclosure}: the text for every Page (empty: none); {@code hub.privacy.page-disclosures}:
     * a Page's own text by Page id, e.g. in its language.
     */
    @ConfigurationProperties("hub.privacy")
    public record Settings(String disclosure, Map<String, String> pageDisclosures) {

        public Settings {
            pageDisclosures = pageDisclosures == null ? Map.of() : Map.copyOf(pageDisclosures);
        }

        String textFor(String pageId) {
            return pageDisclosures.getOrDefault(pageId, disclosure == null ? "" : disclosure);
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
        replies.queueDisclosure(conversation, text.strip());
    }
}
