package io.messengerhub.figures;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import io.messengerhub.support.WebhookClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The floor's figures from a real day of work: a conversation an agent takes, answers and closes, and one closed
 * before anybody took it. The same day as JSON and CSV, today's values on /actuator/prometheus, and every metric the
 * shipped Grafana dashboard asks for there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestPropertySource(properties = {
        "TEST_PAGE_TOKEN=sales-page-token",
        "hub.agents.distribution-interval=200",
        "hub.figures.metrics-interval=200",
        "hub.figures.time-zone=UTC",
})
class FloorFiguresTest extends HubSystemTest {

    @Autowired
    FloorMetrics floorMetrics;
    @Autowired
    MeterRegistry meters;
    @Autowired
    PrometheusMeterRegistry prometheus;

    static final WireMockServer GRAPH = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private static TestAgents agents;

    static {
        GRAPH.start();
    }

    @DynamicPropertySource
    static void agentsAndGraph(DynamicPropertyRegistry registry) {
        agents = TestAgents.register(registry);
        registry.add("hub.facebook.graph-url", () -> "http://127.0.0.1:" + GRAPH.port() + "/v21.0");
    }

    @Test
    @Order(1)
    void shouldCountADayOfWorkPerQueueAndAgentAndShowItToPrometheusAndGrafana() throws Exception {
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"recipient_id\":\"1\",\"message_id\":\"m_figures\"}")));
        String served = unique("served");
        String abandoned = unique("abandoned");
        try (AgentSession anna = agents.anna()) {
            assertThat(anna.result(anna.client().setPresence("AVAILABLE")).path("ok").asBoolean()).isTrue();
            customerWrites(served, "I need help with my order");
            JsonNode offer = anna.offerFor(served);
            String conversationId = offer.path("conversationId").asText();
            assertThat(anna.result(anna.client().accept(offer.path("offerId").asText())).path("ok").asBoolean()).isTrue();
            Thread.sleep(300);
            String reply = anna.client().sendText(conversationId, "Happy to help");
            anna.await("message.sent", m -> reply.equals(m.path("requestId").asText()));
            assertThat(anna.result(anna.client().conversation("close", conversationId)).path("ok").asBoolean()).isTrue();

            // The second customer gives up before anybody takes the conversation.
            assertThat(anna.result(anna.client().setPresence("OFFLINE")).path("ok").asBoolean()).isTrue();
            customerWrites(abandoned, "hello?");
            String gone = awaitOffers("sales", abandoned, 1).get(0).path("conversationId").asText();
            var closed = closeByApi(gone);
            assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
        }

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        var daily = facebook.getApi("/api/figures/daily?date=" + today, WebhookClient.API_TOKEN);
        assertThat(daily.statusCode()).as(daily.body()).isEqualTo(200);
        JsonNode day = readJson(daily.body());
        assertThat(day.path("date").asText()).isEqualTo(today);
        JsonNode sales = only(day.path("queues"), "sales");
        assertThat(sales.path("conversations").asInt()).isEqualTo(2);
        assertThat(sales.path("abandoned").asInt()).isEqualTo(1);
        assertThat(sales.path("closed").asInt()).isEqualTo(2);
        assertThat(sales.path("servedInWindow").asInt()).isEqualTo(1);
        assertThat(sales.path("averageFirstResponseSeconds").asDouble()).isGreaterThan(0.2);
        assertThat(sales.path("averageHandlingSeconds").asDouble()).isGreaterThan(0.2);
        JsonNode anna = only(day.path("agents"), "anna");
        assertThat(anna.path("conversations").asInt()).isEqualTo(1);
        assertThat(anna.path("abandoned").asInt()).isZero();
        assertThat(anna.path("servedInWindow").asInt()).isEqualTo(1);
        assertThat(anna.path("averageFirstResponseSeconds").asDouble()).isGreaterThan(0.2)
                .isLessThan(sales.path("averageFirstResponseSeconds").asDouble() + 0.001);

        var csv = facebook.getApi("/api/figures/daily.csv?date=" + today, WebhookClient.API_TOKEN);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        assertThat(csv.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"figures-" + today + ".csv\"");
        assertThat(csv.body().split("\r\n")).containsExactly(
                "date,scope,name,conversations,abandoned,closed,served_in_24h,avg_first_response_seconds,avg_handling_seconds",
                today + ",queue,\"sales\",2,1,2,1," + csvSeconds(sales, "averageFirstResponseSeconds") + ","
                        + csvSeconds(sales, "averageHandlingSeconds"),
                today + ",agent,\"anna\",1,0,1,1," + csvSeconds(anna, "averageFirstResponseSeconds") + ","
                        + csvSeconds(anna, "averageHandlingSeconds"));
        // Another day has nothing; a date that is not one is refused; the figures need a token.
        assertThat(readJson(facebook.getApi("/api/figures/daily?date=2020-01-01", WebhookClient.API_TOKEN).body())
                .path("queues").size()).isZero();
        assertThat(facebook.getApi("/api/figures/daily?date=yesterday", WebhookClient.API_TOKEN).statusCode()).isEqualTo(400);
        assertThat(facebook.getApi("/api/figures/daily", null).statusCode()).isEqualTo(401);

        String metrics = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> facebook.getOperator("/actuator/prometheus").body(),
                // A refresh may come between the second opening and its close, or read the waiting conversations
                // before the close and today's figures after it: wait for one after both. Nobody waits then.
                body -> body.contains("hub_floor_today_conversations{queue=\"sales\"} 2.0")
                        && body.contains("hub_floor_today_abandoned{queue=\"sales\"} 1.0")
                        && !body.contains("hub_floor_waiting{queue=\"sales\"}"));
        assertThat(metrics).contains("hub_floor_today_served_in_window{queue=\"sales\"} 1.0",
                "hub_floor_agents{presence=\"OFFLINE\"}", "hub_floor_today_first_response_seconds{queue=\"sales\"}");
    }

    @Test
    @Order(2)
    void shouldShowWaitingConversationsAndTheLongestWaitAndEveryMetricOfTheDashboard() throws Exception {
        String waiting = unique("waiting");
        customerWrites(waiting, "is anyone there");
        awaitOffers("sales", waiting, 1);
        String metrics = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> facebook.getOperator("/actuator/prometheus").body(),
                body -> body.contains("hub_floor_waiting{queue=\"sales\"} 1.0"));
        assertThat(metrics).containsPattern("hub_floor_longest_wait_seconds\\{queue=\"sales\"} [0-9.]+");

        // With a conversation waiting and a day's work done (the test before), the hub shows every
        // metric the shipped Grafana dashboard asks for.
        Set<String> exposed = new TreeSet<>();
        metrics.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .forEach(line -> exposed.add(line.split("[{ ]")[0]));
        assertThat(exposed).containsAll(dashboardMetrics());
    }

    @Test
    @Order(3)
    void shouldKeepEverySeriesOnTheScrapeWhileTheFloorIsReadAgain() throws Exception {
        // Test 2 left a conversation waiting: every series the dashboard asks for has a row.
        Gauge conversations = meters.get("hub.floor.today.conversations").tag("queue", "sales").gauge();
        floorMetrics.refresh();
        assertThat(meters.get("hub.floor.today.conversations").tag("queue", "sales").gauge())
                .as("a refresh keeps the row's gauge; it does not remove it and register another").isSameAs(conversations);

        // Scrapes while the floor is read again and again: none misses a series.
        Set<String> expected = dashboardMetrics();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread refresher = new Thread(() -> {
            while (reading.get()) {
                floorMetrics.refresh();
            }
        });
        refresher.start();
        try {
            for (int scrape = 0; scrape < 300; scrape++) {
                Set<String> exposed = new TreeSet<>();
                prometheus.scrape().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                        .forEach(line -> exposed.add(line.split("[{ ]")[0]));
                assertThat(exposed).as("scrape %d", scrape).containsAll(expected);
            }
        } finally {
            reading.set(false);
            refresher.join();
        }
    }

    /** The metric names the dashboard's queries use (a name directly before a selector, a range or a closing paren). */
    static Set<String> dashboardMetrics() throws Exception {
        JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Files.readString(Path.of("deploy/grafana/messenger-hub-floor.json")));
        Set<String> functions = Set.of("max", "sum", "rate", "increase", "histogram_quantile");
        Set<String> names = new TreeSet<>();
        var name = Pattern.compile("\\b([a-z][a-z0-9_]*)\\b\\s*(\\{|\\[|\\))");
        for (JsonNode expression : dashboard.findValues("expr")) {
            // Labels to group by are not metrics.
            var matcher = name.matcher(expression.asText().replaceAll("by \\([^)]*\\)", ""));
            while (matcher.find()) {
                if (!functions.contains(matcher.group(1))) {
                    names.add(matcher.group(1));
                }
            }
        }
        assertThat(names).contains("hub_floor_waiting", "hub_floor_today_conversations", "camel_route_policy_seconds_bucket");
        return names;
    }

    private static String csvSeconds(JsonNode line, String field) {
        return String.format(java.util.Locale.ROOT, "%.1f", line.path(field).asDouble());
    }

    private static JsonNode only(JsonNode lines, String name) {
        assertThat(lines.findValuesAsText("name")).containsExactly(name);
        return lines.get(0);
    }

    private void customerWrites(String psid, String text) {
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m1-" + psid, text, System.currentTimeMillis()))));
    }
}
