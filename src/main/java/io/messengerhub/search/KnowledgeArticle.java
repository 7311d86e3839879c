package io.messengerhub.search;

import java.util.List;

/**
 * A knowledge article as an operator wrote it in {@code config/knowledge/<id>.md}.
 *
 * @param id       the file name without {@code .md}
 * @param language {@code de}, {@code en} or null when the article does not say
 * @param link     where the full article is published; shared with the customer
 * @param summary  the short text shared into a chat: the front matter's {@code summary}, else the first paragraph
 */
public record KnowledgeArticle(String id, String title, List<String> tags, String language, String link, String summary,
                               String body) {

    /** What an agent shares into the chat in one step: title, short text and link. */
    public String shareText() {
        var text = new StringBuilder(title);
        if (summary != null && !summary.isBlank()) {
            text.append("\n\n").append(summary);
        }
        if (link != null && !link.isBlank()) {
            text.append("\n\n").append(link);
        }
        return text.toString();
    }

    /** A search result: the article without its body, and how well it matched. */
    public record Hit(String id, String title, String summary, String link, List<String> tags, String language, float score) {
    }
}
