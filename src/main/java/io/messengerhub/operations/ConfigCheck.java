package io.messengerhub.operations;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.agent.AgentProperties;
import io.messengerhub.attachment.AttachmentPolicyFile;
import io.messengerhub.channel.ChannelProperties;
import io.messengerhub.hours.OperatingHoursProperties;
import io.messengerhub.routing.RoutingProperties;
import io.messengerhub.workspace.QuickReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * Checks the files operators edit before they are deployed: every {@code routes/*.camel.yaml} against the YAML DSL's
 * JSON Schema, every config file of {@code config/} against its own ({@code config-schema/}), then binds each config
 * file the way the hub does at start-up (so the hub's own checks run, e.g. queue names) and looks across files for
 * what no schema can see (a rule for a Page the hub does not serve, a queue no agent serves). Every problem is
 * reported with its file, line and column, not only the first.
 *
 * <p>{@code bin/check-config [file or directory ...]} (default: routes config); exit code 0 when every file passes.
 */
public final class ConfigCheck {

    /** What each config file holds, as the hub binds it (application.yaml's Spring settings are not checked). */
    private static final Map<String, Binding> BINDINGS = Map.of(
            "channels.yaml", new Binding("hub.channels", ChannelProperties.class),
            "routing.yaml", new Binding("hub.routing", RoutingProperties.class),
            "agents.yaml", new Binding("hub.agents", AgentProperties.class),
            "quick-replies.yaml", new Binding("hub", QuickReplies.class),
            "operating-hours.yaml", new Binding("hub.operating-hours", OperatingHoursProperties.class));
    private static final String ATTACHMENT_POLICY = "attachment-policy.yaml";
    private static final Pattern LINE_PREFIX = Pattern.compile("^line (\\d+): (.*)$", Pattern.DOTALL);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}\\s]*)}");
    private static final Set<String> PLACEHOLDERS = Set.of("firstName", "lastName", "agentName", "pageName");

    private record Binding(String prefix, Class<?> type) {
    }

    /** A file read and checked on its own; {@code documents} empty when it is not YAML. */
    record CheckedFile(Path file, List<YamlFile.Document> documents, List<ConfigProblem> problems) {

        /** The first document's node at this JSON pointer, missing when absent. */
        JsonNode at(String pointer) {
            return documents.isEmpty() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                    : documents.get(0).tree().at(pointer);
        }
    }

    private final ConfigSchemas schemas = new ConfigSchemas();

    public static void main(String[] args) {
        // The check prints its findings; library logging would only bury them.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        System.exit(run(args, System.out));
    }

    /** Checks the paths given (default: routes config), prints every problem and a summary; answers the exit code. */
    static int run(String[] args, PrintStream out) {
        List<Path> paths = (args.length == 0 ? Stream.of("routes", "config") : Arrays.stream(args)).map(Path::of).toList();
        List<Path> files = new ArrayList<>();
        List<ConfigProblem> problems = new ConfigCheck().check(paths, files);
        problems.forEach(out::println);
        out.println(problems.isEmpty() ? "OK: " + files.size() + " files checked, no problems"
                : problems.size() + " problem(s) in " + problems.stream().map(ConfigProblem::file).distinct().count()
                + " of " + files.size() + " files checked" + (files.isEmpty() ? " (no YAML file found)" : ""));
        return problems.isEmpty() ? 0 : 1;
    }

    /** Every problem of the files at these paths (a directory: the files directly in it); {@code checked} gets the files. */
    public List<ConfigProblem> check(List<Path> paths, List<Path> checked) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<Path, Map<String, CheckedFile>> byDirectory = new LinkedHashMap<>();
        for (Path path : paths) {
            List<Path> files;
            try {
                files = filesAt(path);
            } catch (IOException e) {
                problems.add(new ConfigProblem(path, 0, 0, "cannot be read: " + e.getMessage()));
                continue;
            }
            for (Path file : files) {
                CheckedFile result = checkFile(file);
                checked.add(file);
                problems.addAll(result.problems());
                byDirectory.computeIfAbsent(file.toAbsolutePath().getParent(), d -> new TreeMap<>())
                        .put(file.getFileName().toString(), result);
            }
        }
        byDirectory.values().forEach(files -> problems.addAll(acrossFiles(files)));
        problems.sort(Comparator.comparing((ConfigProblem p) -> p.file().toString()).thenComparingInt(ConfigProblem::line)
                .thenComparingInt(ConfigProblem::column));
        return problems;
    }

    /**
     * The YAML files at a path (a directory: those directly in it). Route files and the config files the hub reads
     * have a schema; any other (application.yaml) is checked for its YAML only.
     */
    private static List<Path> filesAt(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            if (!Files.exists(path)) {
                throw new IOException("no such file or directory");
            }
            return List.of(path);
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted().toList();
        }
    }

    /** One file on its own: YAML syntax, its schema, and (when the schema passes) the hub's own binding checks. */
    CheckedFile checkFile(Path file) {
        YamlFile yaml = YamlFile.read(file);
        if (yaml.syntaxError() != null) {
            return new CheckedFile(file, List.of(), List.of(yaml.syntaxError()));
        }
        if (yaml.documents().stream().allMatch(document -> document.tree() == null || document.tree().isNull())) {
            // Also what a watcher may see for a moment while an editor writes the file.
            return new CheckedFile(file, List.of(), List.of(new ConfigProblem(file, 0, 0, "is empty")));
        }
        List<ConfigProblem> problems = new ArrayList<>();
        schemas.schemaFor(file).ifPresent(schema -> yaml.documents()
                .forEach(document -> problems.addAll(schemas.check(file, document, schema))));
        if (problems.isEmpty()) {
            problems.addAll(bindingProblems(file));
        }
        return new CheckedFile(file, yaml.documents(), problems);
    }

    private List<ConfigProblem> bindingProblems(Path file) {
        String name = file.getFileName().toString();
        if (name.equals(ATTACHMENT_POLICY)) {
            try {
                new AttachmentPolicyFile(file);
                return List.of();
            } catch (IllegalStateException e) {
                String reason = e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
                Matcher line = LINE_PREFIX.matcher(reason);
                return List.of(line.matches() ? new ConfigProblem(file, Integer.parseInt(line.group(1)), 0, line.group(2))
                        : new ConfigProblem(file, 0, 0, reason));
            }
        }
        Binding binding = BINDINGS.get(name);
        if (binding == null) {
            return List.of();
        }
        try {
            List<PropertySource<?>> sources = new ArrayList<>(propertySources(file));
            bind(sources, binding.prefix(), binding.type());
            return List.of();
        } catch (IOException e) {
            return List.of(new ConfigProblem(file, 0, 0, "cannot be read: " + e.getMessage()));
        } catch (BindException e) {
            return List.of(bindingProblem(file, e));
        }
    }

    /** The file as Spring Boot reads a config file: one property source per YAML document, each value with its line. */
    static List<PropertySource<?>> propertySources(Path file) throws IOException {
        return new YamlPropertySourceLoader().load("Config resource 'file [" + file + "]'", new FileSystemResource(file));
    }

    /**
     * Binds {@code prefix} of these property sources as Spring Boot binds the hub's {@code @ConfigurationProperties}
     * at start-up: the record's constructor runs, with its checks. Placeholders are resolved from them and the
     * environment.
     */
    static <T> T bind(List<PropertySource<?>> sources, String prefix, Class<T> type) {
        List<PropertySource<?>> forPlaceholders = new ArrayList<>(sources);
        new StandardEnvironment().getPropertySources().forEach(forPlaceholders::add);
        return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(forPlaceholders))
                .bindOrCreate(prefix, Bindable.of(type));
    }

    /** A binding failure at the line of the setting Spring was binding when it failed, with the hub's reason. */
    static ConfigProblem bindingProblem(Path file, BindException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String setting = e.getProperty() == null ? e.getName().toString() : e.getProperty().getName().toString();
        Origin origin = e.getProperty() == null ? null : Origin.from(e.getProperty());
        for (Origin o = origin; o != null; o = o.getParent()) {
            if (o instanceof TextResourceOrigin text && text.getLocation() != null) {
                return new ConfigProblem(file, text.getLocation().getLine() + 1, text.getLocation().getColumn() + 1,
                        setting + ": " + root.getMessage());
            }
        }
        // The record's constructor refused the whole (two Pages with one id): the line of the key it binds.
        String pointer = "/" + String.join("/", setting.replaceAll("\\[(\\d+)]", ".$1").split("\\."));
        YamlFile yaml = YamlFile.read(file);
        var at = yaml.documents().isEmpty() ? null : yaml.documents().get(0).locate(pointer);
        return new ConfigProblem(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                setting + ": " + root.getMessage());
    }

    /** What no schema can see: how the files of one config directory fit together. */
    private static List<ConfigProblem> acrossFiles(Map<String, CheckedFile> files) {
        List<ConfigProblem> problems = new ArrayList<>();
        CheckedFile channels = files.get("channels.yaml");
        CheckedFile routing = files.get("routing.yaml");
        CheckedFile agents = files.get("agents.yaml");
        CheckedFile quickReplies = files.get("quick-replies.yaml");
        if (routing != null && channels != null) {
            Set<String> pages = new HashSet<>();
            channels.at("/hub/channels/pages").forEach(page -> pages.add(page.path("id").asText()));
            eachItem(routing, "/hub/routing/rules", (rulePointer, rule) -> eachItem(routing, rulePointer + "/pages", (pointer, page) -> {
                if (!pages.contains(page.asText())) {
                    problems.add(problem(routing, pointer, "Page " + page.asText() + " is not in channels.yaml: rule '"
                            + rule.path("name").asText(rule.path("queue").asText()) + "' never matches its conversations"));
                }
            }));
        }
        if (agents != null) {
            Map<String, List<String>> served = new LinkedHashMap<>();
            eachItem(agents, "/hub/agents/members", (pointer, agent) -> agent.path("queues")
                    .forEach(queue -> served.computeIfAbsent(queue.asText(), q -> new ArrayList<>()).add(agent.path("id").asText())));
            Set<String> routedTo = new HashSet<>();
            BiConsumer<CheckedFile, String> needsAgents = (file, pointer) -> {
                if (!file.at(pointer).isTextual()) {
                    return;
                }
                String queue = file.at(pointer).asText();
                routedTo.add(queue);
                if (!served.containsKey(queue)) {
                    problems.add(problem(file, pointer, "no agent in agents.yaml serves queue '" + queue
                            + "': its conversations would wait for ever"));
                }
            };
            if (channels != null) {
                eachItem(channels, "/hub/channels/pages", (pointer, page) -> needsAgents.accept(channels, pointer + "/queue"));
            }
            if (routing != null) {
                eachItem(routing, "/hub/routing/rules", (pointer, rule) -> needsAgents.accept(routing, pointer + "/queue"));
                if (routing.at("/hub/routing/fallback-queue").isTextual()) {
                    needsAgents.accept(routing, "/hub/routing/fallback-queue");
                } else {
                    routedTo.add(new RoutingProperties(null, null).fallbackQueue());
                }
            }
            if (channels != null && routing != null) {
                eachItem(agents, "/hub/agents/members", (agentPointer, agent) -> eachItem(agents, agentPointer + "/queues",
                        (pointer, queue) -> {
                            if (!routedTo.contains(queue.asText())) {
                                problems.add(problem(agents, pointer, "agent '" + agent.path("id").asText() + "' serves queue '"
                                        + queue.asText() + "', to which no Page, routing rule or fallback sends conversations"));
                            }
                        }));
            }
        }
        if (quickReplies != null) {
            Map<String, String> ids = new LinkedHashMap<>();
            eachItem(quickReplies, "/hub/quick-replies", (pointer, reply) -> {
                String id = reply.path("id").asText();
                if (ids.putIfAbsent(id, pointer) != null) {
                    problems.add(problem(quickReplies, pointer + "/id", "quick reply id '" + id + "' is used more than once"));
                }
                Matcher placeholders = PLACEHOLDER.matcher(reply.path("text").asText());
                while (placeholders.find()) {
                    if (!PLACEHOLDERS.contains(placeholders.group(1))) {
                        problems.add(problem(quickReplies, pointer + "/text", "placeholder {" + placeholders.group(1)
                                + "} is not filled in (only {firstName}, {lastName}, {agentName}, {pageName}): customers would see it as written"));
                    }
                }
            });
        }
        return problems;
    }

    private static void eachItem(CheckedFile file, String pointer, BiConsumer<String, JsonNode> action) {
        JsonNode list = file.at(pointer);
        for (int i = 0; list.isArray() && i < list.size(); i++) {
            action.accept(pointer + "/" + i, list.get(i));
        }
    }

    private static ConfigProblem problem(CheckedFile file, String pointer, String message) {
        var at = file.documents().get(0).locate(pointer);
        return new ConfigProblem(file.file(), at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                ConfigSchemas.readable(pointer) + ": " + message);
    }
}
