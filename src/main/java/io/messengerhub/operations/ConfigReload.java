package io.messengerhub.operations;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.messengerhub.agent.AgentAdministration;
import io.messengerhub.agent.AgentDirectory;
import io.messengerhub.agent.AgentProperties;
import io.messengerhub.broker.OfferQueues;
import io.messengerhub.channel.ChannelProperties;
import io.messengerhub.channel.Channels;
import io.messengerhub.hours.OperatingHours;
import io.messengerhub.hours.OperatingHoursProperties;
import io.messengerhub.workspace.QuickReplies;
import io.messengerhub.workspace.QuickReplyTemplates;
import io.messengerhub.routing.RoutingProperties;
import io.messengerhub.routing.RoutingProperties.Rule;
import io.messengerhub.routing.RoutingRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.stereotype.Component;

/**
 * Puts a changed operator file of the config directory in force without a restart (the config-reload route tells it
 * of every change on disk): routing.yaml, channels.yaml, quick-replies.yaml, operating-hours.yaml and agents.yaml. The file must pass
 * what {@code bin/check-config} checks it for (YAML, its schema, the binding's own checks); else it is refused with a
 * WARN naming file and line, and the version in force stays. A new version is bound as a restart would bind it (a
 * setting of the environment or command line still wins over the file), takes effect for the next question asked of
 * it, and the change is logged at INFO with what changed. A queue that routing rules or Pages name for the first time
 * gets its offer queue first.
 */
@Component
public class ConfigReload {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);
    static final String ROUTING_FILE = "routing.yaml";

    /**
     * One file that is put in force on change: where its settings are, what they are, the version in force, what must
     * be ready first (a refusal's reason, or null), and how a new version is put in force (answering what changed).
     */
    private record Target<T>(String prefix, Class<T> type, String what, Supplier<T> current,
                             BiFunction<T, T, String> prepare, BiFunction<T, T, String> apply) {
    }

    private final ConfigurableEnvironment environment;
    private final OfferQueues offerQueues;
    private final Map<String, Target<?>> targets;
    private final ConfigCheck check = new ConfigCheck();
    private final Map<Path, List<ConfigProblem>> lastRefused = new HashMap<>();

    public ConfigReload(ConfigurableEnvironment environment, RoutingRules routingRules, Channels channels,
                        QuickReplyTemplates quickReplies, OperatingHours operatingHours, AgentDirectory agents,
                        AgentAdministration administration, OfferQueues offerQueues) {
        this.environment = environment;
        this.offerQueues = offerQueues;
        this.targets = Map.of(
                ROUTING_FILE, new Target<>("hub.routing", RoutingProperties.class, "Routing rules", routingRules::current,
                        (before, next) -> declare(queues(before), queues(next)),
                        (before, next) -> {
                            routingRules.replace(next);
                            return changes(before, next);
                        }),
                "channels.yaml", new Target<>("hub.channels", ChannelProperties.class, "Pages", channels::current,
                        (before, next) -> declare(queues(before), queues(next)),
                        (before, next) -> {
                            channels.replace(next);
                            return ConfigChanges.pages(before, next);
                        }),
                "quick-replies.yaml", new Target<>("hub", QuickReplies.class, "Quick replies", quickReplies::current,
                        (before, next) -> null,
                        (before, next) -> {
                            quickReplies.replace(next);
                            return ConfigChanges.quickReplies(before, next);
                        }),
                "operating-hours.yaml", new Target<>("hub.operating-hours", OperatingHoursProperties.class,
                        "Operating hours", operatingHours::current, (before, next) -> null,
                        (before, next) -> {
                            operatingHours.replace(next);
                            return ConfigChanges.operatingHours(before, next);
                        }),
                "agents.yaml", new Target<>("hub.agents", AgentProperties.class, "Agents", agents::configuration,
                        (before, next) -> declare(queues(before), queues(next)),
                        (before, next) -> administration.configurationChanged(next)));
    }

    /** A watched file was created, modified or deleted ({@code CREATE}, {@code MODIFY}, {@code DELETE}). */
    public synchronized void changed(String event, String path) {
        Path file = Path.of(path);
        Target<?> target = targets.get(file.getFileName().toString());
        if (target == null) {
            return;
        }
        if ("DELETE".equals(event)) {
            LOG.warn("{} was deleted; the {} in force stay until the hub restarts", file, target.what().toLowerCase(Locale.ROOT));
            return;
        }
        reload(file, target);
    }

    private <T> void reload(Path file, Target<T> target) {
        List<ConfigProblem> problems = new ArrayList<>(check.checkFile(file).problems());
        T next = null;
        if (problems.isEmpty()) {
            try {
                next = ConfigCheck.bind(asAtStartUp(file), target.prefix(), target.type());
            } catch (BindException e) {
                problems.add(ConfigCheck.bindingProblem(file, e));
            } catch (IOException e) {
                problems.add(new ConfigProblem(file, 0, 0, "cannot be read: " + e.getMessage()));
            }
        }
        String stay = "the " + target.what().toLowerCase(Locale.ROOT) + " in force stay";
        if (!problems.isEmpty()) {
            // A save often comes as several events of one content: say it once.
            if (!problems.equals(lastRefused.get(file))) {
                LOG.warn("Refused the changed {}, {}: {}", file, stay,
                        problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
            }
            lastRefused.put(file, problems);
            return;
        }
        lastRefused.remove(file);
        T before = target.current().get();
        if (next.equals(before)) {
            LOG.debug("{} changed on disk, its settings did not", file);
            return;
        }
        String refusal = target.prepare().apply(before, next);
        if (refusal != null) {
            LOG.warn("Refused the changed {}, {}: {}", file, stay, refusal);
            return;
        }
        LOG.info("{} of {} in force: {}", target.what(), file, target.apply().apply(before, next));
        check.check(List.of(file.getParent()), new ArrayList<>()).stream()
                .filter(problem -> problem.file().getFileName().equals(file.getFileName()))
                .forEach(problem -> LOG.warn("{}", problem));
    }

    /** Creates the offer queues of queues named for the first time; a refusal's reason when they cannot be. */
    private String declare(Set<String> before, Set<String> next) {
        Set<String> newQueues = new TreeSet<>(next);
        newQueues.removeAll(before);
        try {
            offerQueues.declare(newQueues);
            return null;
        } catch (RuntimeException e) {
            return "the offer queues of " + newQueues + " cannot be created: " + e.getMessage();
        }
    }

    private static Set<String> queues(AgentProperties agents) {
        Set<String> queues = agents.queues().stream().map(AgentProperties.Queue::name).collect(Collectors.toCollection(TreeSet::new));
        agents.members().forEach(agent -> queues.addAll(agent.queues()));
        return queues;
    }

    private static Set<String> queues(ChannelProperties channels) {
        return channels.pages().stream().map(ChannelProperties.Page::queue).filter(q -> q != null && !q.isBlank())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The hub's property sources with those of this file read again: the file keeps its place, so what overrides it
     * at start-up (the environment, the command line) overrides it now.
     */
    private List<PropertySource<?>> asAtStartUp(Path file) throws IOException {
        List<PropertySource<?>> fresh = ConfigCheck.propertySources(file);
        List<PropertySource<?>> sources = new ArrayList<>();
        boolean replaced = false;
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
                continue;
            }
            if (isFrom(source, file)) {
                if (!replaced) {
                    sources.addAll(fresh);
                    replaced = true;
                }
            } else {
                sources.add(source);
            }
        }
        if (!replaced) {
            // The file did not exist at start-up: it joins the config files, after everything that overrides them.
            sources.addAll(firstConfigFileIndex(sources), fresh);
        }
        return sources;
    }

    private static int firstConfigFileIndex(List<PropertySource<?>> sources) {
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).getName().startsWith("Config resource")) {
                return i;
            }
        }
        return sources.size();
    }

    private static boolean isFrom(PropertySource<?> source, Path file) {
        if (!(source instanceof EnumerablePropertySource<?> enumerable) || !(source instanceof OriginLookup<?>)
                || enumerable.getPropertyNames().length == 0) {
            return false;
        }
        @SuppressWarnings("unchecked")
        var origin = ((OriginLookup<String>) source).getOrigin(enumerable.getPropertyNames()[0]);
        try {
            return origin instanceof TextResourceOrigin text && text.getResource() != null && text.getResource().isFile()
                    && text.getResource().getFile().toPath().toAbsolutePath().normalize()
                    .equals(file.toAbsolutePath().normalize());
        } catch (IOException e) {
            return false;
        }
    }

    private static Set<String> queues(RoutingProperties routing) {
        Set<String> queues = routing.rules().stream().map(Rule::queue).collect(Collectors.toCollection(TreeSet::new));
        queues.add(routing.fallbackQueue());
        return queues;
    }

    /** What changed, for the log: rules (by name) added, removed, changed or put in another order, and the fallback. */
    static String changes(RoutingProperties before, RoutingProperties after) {
        Map<String, Rule> old = byName(before.rules());
        Map<String, Rule> now = byName(after.rules());
        List<String> changes = new ArrayList<>();
        now.forEach((name, rule) -> {
            if (!old.containsKey(name)) {
                changes.add("added rule '" + name + "' (queue " + rule.queue() + ")");
            } else if (!old.get(name).equals(rule)) {
                changes.add("changed rule '" + name + "' (" + ruleChanges(old.get(name), rule) + ")");
            }
        });
        old.keySet().stream().filter(name -> !now.containsKey(name)).forEach(name -> changes.add("removed rule '" + name + "'"));
        List<String> oldOrder = old.keySet().stream().filter(now::containsKey).toList();
        List<String> newOrder = now.keySet().stream().filter(old::containsKey).toList();
        if (!oldOrder.equals(newOrder)) {
            changes.add("rules now tried in the order " + String.join(", ", now.keySet()));
        }
        if (!before.fallbackQueue().equals(after.fallbackQueue())) {
            changes.add("fallback queue " + before.fallbackQueue() + " -> " + after.fallbackQueue());
        }
        return String.join("; ", changes);
    }

    private static String ruleChanges(Rule before, Rule after) {
        List<String> changed = new ArrayList<>();
        if (!before.pages().equals(after.pages())) {
            changed.add("pages " + before.pages() + " -> " + after.pages());
        }
        if (!before.keywords().equals(after.keywords())) {
            changed.add("keywords " + before.keywords() + " -> " + after.keywords());
        }
        if (!before.locales().equals(after.locales())) {
            changed.add("locales " + before.locales() + " -> " + after.locales());
        }
        if (!before.queue().equals(after.queue())) {
            changed.add("queue " + before.queue() + " -> " + after.queue());
        }
        return String.join(", ", changed);
    }

    /** Rules by name, in order; a name used again gets its position (" #2"). */
    private static Map<String, Rule> byName(List<Rule> rules) {
        Map<String, Rule> byName = new LinkedHashMap<>();
        for (Rule rule : rules) {
            String name = rule.name();
            for (int n = 2; byName.containsKey(name); n++) {
                name = rule.name() + " #" + n;
            }
            byName.put(name, rule);
        }
        return byName;
    }
}
