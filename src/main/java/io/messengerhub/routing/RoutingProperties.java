package io.messengerhub.routing;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The routing rules of config/routing.yaml: which agent queue a new conversation goes to.
 *
 * @param fallbackQueue where a conversation goes when no rule matches and its Page names no queue
 * @param rules         tried in order; the first whose every condition holds decides
 */
@ConfigurationProperties("hub.routing")
public record RoutingProperties(String fallbackQueue, List<Rule> rules) {

    /** Artemis address names of offers are built from queue names: keep them to safe characters. */
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    public RoutingProperties {
        fallbackQueue = fallbackQueue == null || fallbackQueue.isBlank() ? "general" : fallbackQueue;
        rules = rules == null ? List.of() : List.copyOf(rules);
        rules.forEach(rule -> requireSafeQueueName(rule.queue(), "routing rule '" + rule.name() + "'"));
        requireSafeQueueName(fallbackQueue, "hub.routing.fallback-queue");
    }

    /** Refuses a queue name that cannot be part of a broker address name; {@code where} names its setting. */
    public static void requireSafeQueueName(String queue, String where) {
        if (!QUEUE_NAME.matcher(queue).matches()) {
            throw new IllegalArgumentException(where + " names queue '" + queue
                    + "': queue names may only use letters, digits, '-' and '_' (at most 100)");
        }
    }

    /**
     * One rule. Conditions left out always hold; a rule with no condition matches everything.
     *
     * @param name     shown in the log when it decides
     * @param pages    Page ids the conversation must belong to
     * @param keywords words of which the first message must contain at least one (case-insensitive, whole words)
     * @param locales  customer locales (e.g. de_DE, or just de) of which the customer's must be one
     * @param queue    the agent queue it chooses
     */
    public record Rule(String name, List<String> pages, List<String> keywords, List<String> locales, String queue) {

        public Rule {
            if (queue == null || queue.isBlank()) {
                throw new IllegalArgumentException("routing rule '" + name + "' in config/routing.yaml has no queue");
            }
            name = name == null ? queue : name;
            pages = pages == null ? List.of() : List.copyOf(pages);
            keywords = keywords == null ? List.of() : keywords.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
            locales = locales == null ? List.of() : List.copyOf(locales);
        }
    }
}
