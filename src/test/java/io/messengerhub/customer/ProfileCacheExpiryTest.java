package io.messengerhub.customer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.MovableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** A cached Facebook profile is used until hub.facebook.profile-cache-ttl has passed, then fetched again. */
@DirtiesContext
@TestPropertySource(properties = {
        "TEST_PAGE_TOKEN=profile-page-token",
        "hub.facebook.profile-cache-ttl=1h",
})
class ProfileCacheExpiryTest extends HubSystemTest {

    static final WireMockServer GRAPH = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final MovableClock CLOCK = new MovableClock(Instant.now());

    static {
        GRAPH.start();
    }

    @DynamicPropertySource
    static void graph(DynamicPropertyRegistry registry) {
        registry.add("hub.facebook.graph-url", () -> "http://127.0.0.1:" + GRAPH.port() + "/v21.0");
    }

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        Clock movableClock() {
            return CLOCK;
        }
    }

    @Autowired
    FacebookProfiles profiles;

    @AfterAll
    static void stopGraph() {
        GRAPH.stop();
    }

    @Test
    void shouldAskGraphAgainOnlyOnceTheCachedProfileIsOlderThanItsTimeToLive() {
        String psid = String.valueOf(System.nanoTime());
        GRAPH.stubFor(get(urlPathEqualTo("/v21.0/" + psid)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"first_name\":\"Jonas\",\"last_name\":\"Weber\",\"locale\":\"de_DE\",\"id\":\"" + psid + "\"}")));

        assertThat(profiles.profileOf(SALES_PAGE, psid, Duration.ofSeconds(5))).isInstanceOf(ProfileResult.Found.class);
        CLOCK.advance(Duration.ofMinutes(59));
        assertThat(profiles.profileOf(SALES_PAGE, psid, Duration.ofSeconds(5))).isInstanceOf(ProfileResult.Found.class);
        GRAPH.verify(1, getRequestedFor(urlPathEqualTo("/v21.0/" + psid)));

        CLOCK.advance(Duration.ofMinutes(2));
        ProfileResult refreshed = profiles.profileOf(SALES_PAGE, psid, Duration.ofSeconds(5));

        assertThat(((ProfileResult.Found) refreshed).profile().firstName()).isEqualTo("Jonas");
        GRAPH.verify(2, getRequestedFor(urlPathEqualTo("/v21.0/" + psid)));
    }
}
