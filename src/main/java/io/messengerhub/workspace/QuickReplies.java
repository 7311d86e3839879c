package io.messengerhub.workspace;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The operator's quick-reply templates (config/quick-replies.yaml). */
@ConfigurationProperties("hub")
public record QuickReplies(List<Template> quickReplies) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(firstName|lastName|agentName|pageName)}");

    public QuickReplies {
        quickReplies = quickReplies == null ? List.of() : List.copyOf(quickReplies);
    }

    /** One template: an id agents use, a title they see, and the text with placeholders. */
    public record Template(String id, String title, String text) {
    }

    public Optional<Template> template(String id) {
        return quickReplies.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** The text with every placeholder replaced; unknown values become empty, and spaces around them tidy. */
    public static String render(String text, Map<String, String> values) {
        Matcher placeholders = PLACEHOLDER.matcher(text);
        StringBuilder rendered = new StringBuilder();
        while (placeholders.find()) {
            String value = values.getOrDefault(placeholders.group(1), "");
            placeholders.appendReplacement(rendered, Matcher.quoteReplacement(value == null ? "" : value));
        }
        placeholders.appendTail(rendered);
        return rendered.toString().replaceAll(" {2,}", " ").replaceAll(" ([,.!?])", "$1").strip();
    }
}
