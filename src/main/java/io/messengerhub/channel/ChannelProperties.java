package io.messengerhub.channel;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Facebook Pages this hub serves, as listed in config/channels.yaml.
 *
 * @param pages every configured Page; an empty list is allowed (all events then go to the fallback queue)
 */
@ConfigurationProperties("hub.channels")
public record ChannelProperties(List<Page> pages) {

    public ChannelProperties {
        pages = pages == null ? List.of() : List.copyOf(pages);
        var duplicates = pages.stream().collect(Collectors.groupingBy(Page::id, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        if (!duplicates.isEmpty()) {
            throw new IllegalArgumentException("config/channels.yaml lists page id(s) " + duplicates + " more than once");
        }
    }

    /**
     * One Facebook Page.
     *
     * @param id              the Page id Facebook sends as entry[].id and recipient.id
     * @param name            shown to agents and operators
     * @param accessTokenEnv  the environment variable that holds the Page access token (never the token itself)
     * @param queue           the agent queue its conversations go to unless a routing rule says otherwise
     * @param humanAgentTag   whether agents may answer between 24 h and 7 days with the HUMAN_AGENT tag
     */
    public record Page(String id, String name, String accessTokenEnv, String queue, boolean humanAgentTag) {

        public Page {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("a page in config/channels.yaml has no id");
            }
            if (queue == null || queue.isBlank()) {
                throw new IllegalArgumentException("page " + id + " in config/channels.yaml has no queue");
            }
            name = name == null || name.isBlank() ? id : name;
        }
    }

    /** Looked up on every send and routing decision: a search of the few Pages, not a map built for each call. */
    public Optional<Page> page(String pageId) {
        return pages.stream().filter(page -> page.id().equals(pageId)).findFirst();
    }
}
