package io.messengerhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.Test;

/**
 * Loads every routes/*.camel.yaml on its own, the way an operator's edit would be loaded, and checks the route
 * ids each file defines and that every route says what it does. A typo in a route file fails here, not in
 * production. An API endpoint is a REST DSL verb whose direct: route Camel inlines into the route it makes for the
 * verb: that route has the direct: route's id, and says what it does with the verb's description.
 */
class RouteFilesLoadTest {

    private static final Map<String, List<String>> EXPECTED_ROUTES = Map.ofEntries(
            Map.entry("agents.camel.yaml", List.of("agent-commands", "work-distribution", "work-distribution-timer", "agent-files")),
            Map.entry("facebook-send.camel.yaml", List.of("facebook-send", "facebook-send-api", "send-give-up")),
            Map.entry("attachments.camel.yaml", List.of("attachment-fetch", "attachment-policy-reload")),
            Map.entry("transcripts.camel.yaml", List.of("transcript-archive", "transcript-index")),
            Map.entry("search.camel.yaml", List.of("knowledge-reload", "api-search-transcripts", "api-transcript",
                    "api-search-knowledge", "api-knowledge-article")),
            Map.entry("webhook.camel.yaml", List.of("webhook-verify", "webhook-receive")),
            Map.entry("conversation-processing.camel.yaml", List.of("webhook-process", "webhook-process-one", "look-up-new-customers", "send-committed",
                    "outbox-sweeper", "outbox-forget", "customer-enrichment-retry", "conversation-inactivity")),
            Map.entry("admin.camel.yaml", List.of("admin-list-agents", "admin-get-agent", "admin-list-dead-letters", "admin-list-route-files",
                    "admin-audit", "admin-add-agent", "admin-reset-password", "admin-disable-agent", "admin-enable-agent",
                    "admin-replay-dead-letters", "admin-reload-route-file", "admin-change-agent", "admin-remove-agent")),
            Map.entry("conversations-api.camel.yaml", List.of("api-list-conversations", "api-conversation-messages",
                    "api-conversation-notes", "api-attachment-download", "api-close-conversation", "api-link-conversation")),
            Map.entry("crm.camel.yaml", List.of("crm-find-contact", "crm-open-cases", "crm-create-contact", "crm-link-contact",
                    "crm-unlink-contact", "crm-search-contacts", "crm-create-case", "crm-search-cases", "crm-find-case", "crm-resolve-case")),
            Map.entry("privacy.camel.yaml", List.of("retention", "api-erasure", "api-erasure-records", "api-conversation-consent")),
            Map.entry("facebook-graph.camel.yaml", List.of("facebook-user-profile")),
            Map.entry("operations.camel.yaml", List.of("demo-secrets-warning", "database-housekeeping", "floor-metrics")),
            Map.entry("figures.camel.yaml", List.of("api-daily-figures", "api-daily-figures-csv")),
            Map.entry("logins.camel.yaml", List.of("api-check-login")),
            Map.entry("config-reload.camel.yaml", List.of("config-reload")),
            Map.entry("workspace.camel.yaml", List.of("workspace-settings")),
            Map.entry("error-handling.camel.yaml", List.of()),
            Map.entry("events.camel.yaml", List.of("conversation-opened", "conversation-closed", "conversation-state-changed",
                    "conversation-linked", "conversation-unlinked", "customer-updated", "customer-message", "page-message", "message-status-changed",
                    "webhook-item-refused", "offer-made", "offer-withdrawn", "conversation-assigned", "command-answered",
                    "reply-requested", "message-sent", "message-failed", "page-reauthorisation-required", "attachment-received",
                    "attachment-stored", "attachment-refused", "sentiment-changed", "sentiment-alert", "consent-answered",
                    "conversation-erased", "transcripts-removed", "consult-message", "conversation-reassigned", "supervisor-acted")),
            Map.entry("supervisor.camel.yaml", List.of("supervisor-settings", "supervisor-floor", "supervisor-conversation",
                    "supervisor-consult", "supervisor-assign", "supervisor-transfer", "supervisor-acknowledge")));

    @Test
    void shouldLoadEveryRouteFileWithTheExpectedRouteIds() throws Exception {
        Map<String, List<String>> loaded = new TreeMap<>();
        for (Path file : routeFiles()) {
            try (var camel = new DefaultCamelContext()) {
                Resource resource = ResourceHelper.resolveMandatoryResource(camel, "file:" + file);
                PluginHelper.getRoutesLoader(camel).loadRoutes(resource);
                List<RouteDefinition> routes = camel.getCamelContextExtension().getContextPlugin(ModelCamelContext.class)
                        .getRouteDefinitions();
                for (RouteDefinition route : routes) {
                    assertThat(descriptionOf(route)).as("description of route %s in %s", route.getRouteId(), file)
                            .isNotBlank();
                    assertThat(route.getRouteId()).as("route id in %s", file).matches("[a-z]+(-[a-z]+)*");
                }
                loaded.put(file.getFileName().toString(), routes.stream().map(RouteDefinition::getRouteId).toList());
            }
        }
        assertThat(loaded).isEqualTo(new TreeMap<>(EXPECTED_ROUTES));
    }

    /**
     * Timer routes that run in every hub instance on purpose, and why. Every other timer route must run once across
     * hubs, so that a new timer cannot be forgotten when several instances share one database.
     */
    private static final Map<String, String> PER_INSTANCE_TIMERS = Map.of(
            "demo-secrets-warning", "each instance warns in its own log about its own settings",
            "database-housekeeping", "each instance tidies up its own embedded database",
            "floor-metrics", "each instance shows the shared database's floor on its own /actuator/prometheus",
            "outbox-forget", "each instance deletes the outbox rows of what it sent itself, which only it knows");

    @Test
    void shouldRunEveryTimerOnceAcrossHubsUnlessItIsListedAsPerInstance() throws Exception {
        Map<String, String> timers = new TreeMap<>();
        for (Path file : routeFiles()) {
            try (var camel = new DefaultCamelContext()) {
                PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveMandatoryResource(camel, "file:" + file));
                for (RouteDefinition route : camel.getCamelContextExtension().getContextPlugin(ModelCamelContext.class)
                        .getRouteDefinitions()) {
                    if (route.getInput().getEndpointUri().startsWith("timer:")) {
                        timers.put(route.getRouteId(), route.getRoutePolicyRef());
                    }
                }
            }
        }
        assertThat(timers).as("timer routes").containsKeys(PER_INSTANCE_TIMERS.keySet().toArray(String[]::new));
        timers.forEach((routeId, policy) -> assertThat(policy)
                .as("routePolicy of timer route %s (or list it in PER_INSTANCE_TIMERS with the reason)", routeId)
                .isEqualTo(PER_INSTANCE_TIMERS.containsKey(routeId) ? null : "#onceAcrossHubs"));
        assertThat(timers).containsKeys("work-distribution-timer", "outbox-sweeper", "customer-enrichment-retry",
                "conversation-inactivity", "retention");
    }

    @Test
    void shouldDefineTheRouteConfigurationsRoutesOptInto() throws Exception {
        try (var camel = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(camel, "file:routes/error-handling.camel.yaml"));
            var model = camel.getCamelContextExtension().getContextPlugin(ModelCamelContext.class);
            assertThat(model.getRouteConfigurationDefinitions()).extracting(c -> c.getId())
                    .containsExactlyInAnyOrder("webhook-errors", "processing-errors", "send-errors", "called-routes", "batch-errors", "attachment-errors", "api-token-auth", "api-caller-auth", "admin-auth", "any-login-auth", "supervisor-auth",
                            "api-errors");
        }
    }

    /** The route's description or, for a route the REST DSL made from a verb, the verb's (on its rest: endpoint). */
    private static String descriptionOf(RouteDefinition route) throws Exception {
        if (route.getRestDefinition() == null) {
            return route.getDescriptionText();
        }
        Object description = URISupport.parseQuery(URISupport.extractQuery(route.getInput().getEndpointUri())).get("description");
        return description == null ? null : description.toString();
    }

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }
}
