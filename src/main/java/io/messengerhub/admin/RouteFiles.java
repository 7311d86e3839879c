package io.messengerhub.admin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.messengerhub.api.ApiBadRequestException;
import io.messengerhub.api.ApiConflictException;
import io.messengerhub.api.ApiNotFoundException;
import io.messengerhub.api.ApiUnavailableException;
import io.messengerhub.operations.ConfigCheck;
import io.messengerhub.operations.ConfigProblem;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Variable;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Route files reloaded by an admin ({@code POST /admin/routes/reload}), not by a watcher: the file is read again,
 * checked as {@code bin/check-config} checks it and loaded on its own first; only then are its routes stopped, each
 * once its in-flight exchanges have completed (at most {@code hub.admin.route-stop-timeout}; past it nothing changes),
 * and the new ones started. A file that does not pass, or whose new routes do not start, leaves the routes in force.
 * Files with REST declarations or route configurations need a restart: other routes are built from them.
 */
@Component("routeFiles")
public class RouteFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);

    /** A loaded route file and the routes it holds now. */
    public record RouteFile(String file, String location, List<String> routes) {
    }

    /** The body of a reload: the file's name, as the list gives it. */
    public record ReloadRequest(String file) {
    }

    /** What a reload did. */
    public record Reloaded(String file, List<String> stopped, List<String> started, List<String> added,
                           List<String> removed) {
    }

    private final CamelContext camel;
    private final AdminAudit audit;
    private final Duration stopTimeout;

    public RouteFiles(CamelContext camel, AdminAudit audit, @Value("${hub.admin.route-stop-timeout}") Duration stopTimeout) {
        this.camel = camel;
        this.audit = audit;
        this.stopTimeout = stopTimeout;
    }

    public List<RouteFile> list() {
        Map<String, RouteFile> files = new TreeMap<>();
        for (Route route : camel.getRoutes()) {
            Resource source = route.getSourceResource();
            if (source != null) {
                String name = nameOf(source);
                RouteFile known = files.getOrDefault(name, new RouteFile(name, source.getLocation(), List.of()));
                var routes = new TreeSet<>(known.routes());
                routes.add(route.getRouteId());
                files.put(name, new RouteFile(name, source.getLocation(), List.copyOf(routes)));
            }
        }
        return List.copyOf(files.values());
    }

    public synchronized Reloaded reload(@Variable("admin") String admin, @Body ReloadRequest request) {
        String name = request == null ? null : request.file();
        RouteFile file = list().stream().filter(f -> f.file().equals(name)).findFirst()
                .orElseThrow(() -> new ApiNotFoundException("no route file '" + name + "' is loaded; loaded are "
                        + list().stream().map(RouteFile::file).toList()));
        try {
            Reloaded reloaded = replace(file);
            audit.record(admin, "routes.reload", file.file(), "stopped " + reloaded.stopped() + ", started " + reloaded.started(),
                    "done");
            return reloaded;
        } catch (RuntimeException refused) {
            audit.record(admin, "routes.reload", file.file(), null, "refused: " + refused.getMessage());
            throw refused;
        }
    }

    private Reloaded replace(RouteFile file) {
        if (!file.location().startsWith("file:")) {
            throw new ApiConflictException(file.file() + " is not a file the hub can read again (" + file.location() + ")");
        }
        List<ConfigProblem> problems = new ConfigCheck().check(List.of(Path.of(file.location().substring("file:".length()))),
                new ArrayList<>());
        if (!problems.isEmpty()) {
            throw new ApiBadRequestException("the routes in force stay; " + problems.stream().map(ConfigProblem::toString)
                    .collect(Collectors.joining("; ")));
        }
        Resource resource;
        try {
            resource = ResourceHelper.resolveMandatoryResource(camel, file.location());
        } catch (java.io.FileNotFoundException gone) {
            throw new ApiConflictException(file.location() + " is gone; its routes in force stay");
        }
        List<String> next = tryOnItsOwn(file, resource);

        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        List<RouteDefinition> before = file.routes().stream().map(model::getRouteDefinition).toList();
        var stopped = new ArrayList<String>();
        for (String routeId : file.routes()) {
            if (!stopGracefully(routeId)) {
                restart(stopped);
                throw new ApiUnavailableException("route " + routeId + " still had exchanges in flight after "
                        + stopTimeout.toSeconds() + " s; nothing was changed, try again");
            }
            stopped.add(routeId);
        }
        try {
            model.removeRouteDefinitions(before);
            PluginHelper.getRoutesLoader(camel).loadRoutes(resource);
        } catch (Exception failed) {
            LOG.error("Reloading {} failed, putting its routes back: {}", file.file(), failed.getMessage());
            restore(model, next, before);
            throw new ApiConflictException("the new routes of " + file.file() + " did not start (" + failed.getMessage()
                    + "); the routes in force before are back");
        }
        var added = new TreeSet<>(next);
        added.removeAll(file.routes());
        var removed = new TreeSet<>(file.routes());
        removed.removeAll(next);
        LOG.info("Route file {} reloaded: stopped {} (in-flight exchanges completed), started {}; added {}, removed {}",
                file.file(), stopped, next, added, removed);
        return new Reloaded(file.file(), List.copyOf(stopped), next, List.copyOf(added), List.copyOf(removed));
    }

    /** Loads the file into a context of its own: its route ids, or a refusal saying why it cannot be loaded. */
    private static List<String> tryOnItsOwn(RouteFile file, Resource resource) {
        try (var scratch = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(scratch).loadRoutes(resource);
            Model model = scratch.getCamelContextExtension().getContextPlugin(Model.class);
            if (!model.getRestDefinitions().isEmpty() || !model.getRouteConfigurationDefinitions().isEmpty()
                    || !model.getRouteTemplateDefinitions().isEmpty()) {
                throw new ApiConflictException(file.file() + " holds REST declarations, route configurations or templates,"
                        + " which other routes are built from: restart the hub to change it");
            }
            List<String> ids = model.getRouteDefinitions().stream().map(RouteDefinition::getRouteId).toList();
            if (ids.stream().anyMatch(id -> id == null || id.isBlank())) {
                throw new ApiBadRequestException("every route of " + file.file() + " needs an id");
            }
            return ids;
        } catch (ApiBadRequestException | ApiConflictException refused) {
            throw refused;
        } catch (Exception e) {
            throw new ApiBadRequestException(file.file() + " cannot be loaded, the routes in force stay: " + e.getMessage());
        }
    }

    private boolean stopGracefully(String routeId) {
        try {
            return camel.getRouteController().stopRoute(routeId, stopTimeout.toMillis(), TimeUnit.MILLISECONDS, true);
        } catch (Exception e) {
            throw new IllegalStateException("route " + routeId + " did not stop: " + e.getMessage(), e);
        }
    }

    private void restart(List<String> routeIds) {
        for (String routeId : routeIds) {
            try {
                camel.getRouteController().startRoute(routeId);
            } catch (Exception e) {
                LOG.error("Route {} stopped for a reload that was given up, and did not start again: {}", routeId, e.getMessage());
            }
        }
    }

    /** Takes out what of the new file did start, and puts the routes of before back. */
    private void restore(Model model, List<String> next, List<RouteDefinition> before) {
        try {
            model.removeRouteDefinitions(next.stream().map(model::getRouteDefinition).filter(d -> d != null).toList());
            model.addRouteDefinitions(before);
        } catch (Exception e) {
            LOG.error("The routes before the failed reload did not start again: {}", e.getMessage());
        }
    }

    private static String nameOf(Resource source) {
        String location = source.getLocation();
        return location.substring(Math.max(location.lastIndexOf('/'), location.lastIndexOf(':')) + 1);
    }
}
