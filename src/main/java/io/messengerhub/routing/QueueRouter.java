package io.messengerhub.routing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.messengerhub.channel.Channels;
import io.messengerhub.routing.RoutingProperties.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Chooses the agent queue for a new conversation: the first matching rule of config/routing.yaml (the rules in force,
 * {@link RoutingRules}), else the Page's own queue from config/channels.yaml, else the fallback queue. A Page that is
 * not configured always goes to the fallback queue, with a warning, so nothing is dropped because a Page was forgotten.
 */
@Component
public class QueueRouter {

    private static final Logger LOG = LoggerFactory.getLogger(QueueRouter.class);
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final RoutingRules rules;
    private final Channels channels;

    public QueueRouter(RoutingRules rules, Channels channels) {
        this.rules = rules;
        this.channels = channels;
        channels.pages().forEach(page -> RoutingProperties.requireSafeQueueName(page.queue(), "page " + page.id()));
    }

    /** What the router knows about a new conversation when it decides. */
    public record Subject(String pageId, String firstMessageText, String customerLocale) {
    }

    public String queueFor(Subject subject) {
        RoutingProperties routing = rules.current();
        var page = channels.page(subject.pageId());
        if (page.isEmpty()) {
            LOG.warn("Page {} is not in config/channels.yaml: its conversation goes to queue '{}'",
                    subject.pageId(), routing.fallbackQueue());
            return routing.fallbackQueue();
        }
        Set<String> words = words(subject.firstMessageText());
        for (Rule rule : routing.rules()) {
            if (matches(rule, subject, words)) {
                LOG.debug("Routing rule '{}' sends page {} to queue '{}'", rule.name(), subject.pageId(), rule.queue());
                return rule.queue();
            }
        }
        return page.get().queue();
    }

    private static boolean matches(Rule rule, Subject subject, Set<String> words) {
        return (rule.pages().isEmpty() || rule.pages().contains(subject.pageId()))
                && (rule.keywords().isEmpty() || rule.keywords().stream().anyMatch(words::contains))
                && (rule.locales().isEmpty() || localeMatches(rule, subject.customerLocale()));
    }

    private static boolean localeMatches(Rule rule, String customerLocale) {
        if (customerLocale == null) {
            return false;
        }
        String language = customerLocale.split("[_-]")[0];
        return rule.locales().stream().anyMatch(l -> l.equalsIgnoreCase(customerLocale) || l.equalsIgnoreCase(language));
    }

    private static Set<String> words(String text) {
        if (text == null) {
            return Set.of();
        }
        return Arrays.stream(NON_WORD.split(text.toLowerCase(Locale.ROOT))).filter(w -> !w.isEmpty())
                .collect(Collectors.toSet());
    }
}
