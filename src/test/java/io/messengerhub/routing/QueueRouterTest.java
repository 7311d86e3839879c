package io.messengerhub.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.messengerhub.channel.ChannelProperties;
import io.messengerhub.channel.ChannelProperties.Page;
import io.messengerhub.routing.QueueRouter.Subject;
import io.messengerhub.routing.RoutingProperties.Rule;
import org.junit.jupiter.api.Test;

class QueueRouterTest {

    private static final String SHOP = "111";
    private static final String SHOP_DE = "222";

    private final ChannelProperties channels = new ChannelProperties(List.of(
            new Page(SHOP, "Shop", "TOKEN_SHOP", "sales", true),
            new Page(SHOP_DE, "Shop DE", "TOKEN_SHOP_DE", "german", false)));

    private final RoutingRules rules = new RoutingRules(new RoutingProperties("general", List.of(
            new Rule("refunds", null, List.of("Refund", "Erstattung"), null, "billing"),
            new Rule("vip page german", List.of(SHOP), null, List.of("de"), "german-vip"))));

    private final QueueRouter router = new QueueRouter(rules, new io.messengerhub.channel.Channels(channels));

    @Test
    void shouldUseThePageQueueWhenNoRuleMatches() {
        assertThat(router.queueFor(new Subject(SHOP, "Where is my parcel?", null))).isEqualTo("sales");
        assertThat(router.queueFor(new Subject(SHOP_DE, "Wo ist mein Paket?", "de_DE"))).isEqualTo("german");
    }

    @Test
    void shouldMatchKeywordsAsWholeWordsIgnoringCase() {
        assertThat(router.queueFor(new Subject(SHOP_DE, "Ich möchte eine ERSTATTUNG!", null))).isEqualTo("billing");
        assertThat(router.queueFor(new Subject(SHOP, "refund?", null))).isEqualTo("billing");
        assertThat(router.queueFor(new Subject(SHOP, "refunded already", null))).isEqualTo("sales");
        assertThat(router.queueFor(new Subject(SHOP, null, null))).isEqualTo("sales");
    }

    @Test
    void shouldMatchLocaleByLanguageOrFullTagOnlyOnItsPages() {
        assertThat(router.queueFor(new Subject(SHOP, "Hallo", "de_AT"))).isEqualTo("german-vip");
        assertThat(router.queueFor(new Subject(SHOP, "Hello", "en_US"))).isEqualTo("sales");
        assertThat(router.queueFor(new Subject(SHOP_DE, "Hallo", "de_DE"))).isEqualTo("german");
    }

    @Test
    void shouldSendUnconfiguredPagesToTheFallbackQueue() {
        assertThat(router.queueFor(new Subject("333", "I want a refund", "de_DE"))).isEqualTo("general");
    }

    @Test
    void shouldRouteTheNextConversationByRulesPutInForce() {
        rules.replace(new RoutingProperties("general", List.of(new Rule("parcels", null, List.of("parcel"), null, "logistics"))));

        assertThat(router.queueFor(new Subject(SHOP, "Where is my parcel?", null))).isEqualTo("logistics");
        assertThat(router.queueFor(new Subject(SHOP, "I want a refund", null))).isEqualTo("sales");
    }

    @Test
    void shouldRefuseQueueNamesThatAreNotSafeAddressNames() {
        assertThatThrownBy(() -> new RoutingProperties("general", List.of(new Rule("bad", null, null, null, "billing.#"))))
                .hasMessageContaining("routing rule 'bad'").hasMessageContaining("billing.#");
        assertThatThrownBy(() -> new RoutingProperties("general queue", List.of()))
                .hasMessageContaining("hub.routing.fallback-queue");
        assertThatThrownBy(() -> new QueueRouter(rules, new io.messengerhub.channel.Channels(new ChannelProperties(List.of(new Page("1", "a", null, "a/b", false))))))
                .hasMessageContaining("page 1").hasMessageContaining("a/b");
        assertThatThrownBy(() -> new Rule("no queue", null, null, null, " "))
                .hasMessageContaining("has no queue");
        assertThatThrownBy(() -> new ChannelProperties(List.of(new Page("1", "a", null, "q", false), new Page("1", "b", null, "q", false))))
                .hasMessageContaining("more than once");
    }
}
