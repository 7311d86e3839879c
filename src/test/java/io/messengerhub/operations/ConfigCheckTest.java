package io.messengerhub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/check-config over the shipped routes/ and config/, and over broken copies of them: each mistake an operator makes
 * is reported with its file, line and what is wrong, every one of them, not only the first.
 */
class ConfigCheckTest {

    private final ConfigCheck check = new ConfigCheck();

    @TempDir
    Path copy;

    private Path routes;
    private Path config;

    @BeforeEach
    void copyShippedFiles() throws IOException {
        routes = Files.createDirectory(copy.resolve("routes"));
        config = Files.createDirectory(copy.resolve("config"));
        for (Path dir : List.of(Path.of("routes"), Path.of("config"))) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, copy.resolve(dir.getFileName()).resolve(file.getFileName()));
                }
            }
        }
    }

    @Test
    void shouldPassTheShippedRouteAndConfigFiles() throws IOException {
        List<Path> checked = new ArrayList<>();

        List<ConfigProblem> problems = check.check(List.of(Path.of("routes"), Path.of("config")), checked);

        assertThat(problems).isEmpty();
        try (Stream<Path> routeFiles = Files.list(Path.of("routes"))) {
            assertThat(checked).containsAll(routeFiles.filter(f -> f.toString().endsWith(".camel.yaml")).toList());
        }
        assertThat(checked).extracting(Path::toString).contains("config/channels.yaml", "config/routing.yaml",
                "config/agents.yaml", "config/quick-replies.yaml", "config/attachment-policy.yaml", "config/operating-hours.yaml");
    }

    @Test
    void shouldNameTheLineOfAMisspeltKeyInRoutingYamlAndTheKeysMeant() throws IOException {
        Path routing = edit(config.resolve("routing.yaml"), "keywords: [invoice", "keyword: [invoice");

        assertThat(problemsOf(routing)).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(routing, "keyword: [invoice"));
            assertThat(problem.message()).contains("hub.routing.rules[0].keyword", "'keyword' is not a known key",
                    "keywords");
        });
    }

    @Test
    void shouldNameTheLineOfAValueOfTheWrongType() throws IOException {
        Path channels = edit(config.resolve("channels.yaml"), "human-agent-tag: true", "human-agent-tag: sometimes");

        assertThat(problemsOf(channels)).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(channels, "human-agent-tag: sometimes"));
            assertThat(problem.message()).contains("hub.channels.pages[0].human-agent-tag", "string found, boolean expected");
        });
    }

    @Test
    void shouldNameTheLineOfAMisspeltDayAndRefuseATransferWithoutATarget() throws IOException {
        Path hours = edit(config.resolve("operating-hours.yaml"), "open: [\"MON-FRI 08:00-18:00\"", "open: [\"MON-FRY 08:00-18:00\"");

        assertThat(problemsOf(hours)).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(hours, "MON-FRY"));
            assertThat(problem.message()).contains("hub.operating-hours.queues[0].open[0]", "pattern");
        });

        edit(hours, "MON-FRY", "MON-FRI");
        edit(hours, "          transfer-to: general\n", "");
        // The schema cannot say that a transfer needs a target; the hub's own binding does, and the check runs it.
        assertThat(problemsOf(hours)).singleElement().satisfies(problem ->
                assertThat(problem.message()).contains("transfer"));
    }

    @Test
    void shouldNameTheLineOfAYamlSyntaxError() throws IOException {
        Path policy = edit(config.resolve("attachment-policy.yaml"), "max-size-bytes: 26214400", "max-size-bytes: [26214400");

        assertThat(problemsOf(policy)).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(policy, "max-size-bytes: [") + 1);
            assertThat(problem.message()).startsWith("not valid YAML: expected ',' or ']'")
                    .contains("begins on line " + lineOf(policy, "max-size-bytes: ["));
        });
    }

    @Test
    void shouldNameTheLineOfAnUnknownStepInARouteAndTheStepMeant() throws IOException {
        Path route = edit(routes.resolve("operations.camel.yaml"), "        - bean:", "        - beans:");

        assertThat(problemsOf(route)).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(route, "- beans:"));
            assertThat(problem.message()).contains("'beans' is not a known key", "did you mean 'bean'");
        });
    }

    @Test
    void shouldCheckApplicationYamlForItsYamlOnlyAKeyWrittenTwiceIncluded() throws IOException {
        Path application = edit(config.resolve("application.yaml"), "  data-dir: ${HUB_DATA_DIR:./data}\n",
                "  data-dir: ${HUB_DATA_DIR:./data}\n  data-dir: /var/lib/hub\n");

        assertThat(problemsOf(application)).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf(application, "data-dir: /var/lib/hub"));
            assertThat(problem.message()).contains("not valid YAML", "data-dir");
        });
    }

    @Test
    void shouldRunTheHubsOwnBindingChecks() throws IOException {
        // Two Pages with one id: valid for the schema, refused by ChannelProperties as at start-up.
        Path channels = edit(config.resolve("channels.yaml"), "\"100000000000002\"", "\"100000000000001\"");

        assertThat(problemsOf(channels)).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isPositive();
            assertThat(problem.message()).contains("hub.channels", "lists page id(s) [100000000000001] more than once");
        });
    }

    @Test
    void shouldFindWhatTheFilesSayAboutEachOther() throws IOException {
        Path routing = edit(config.resolve("routing.yaml"), "pages: [\"100000000000001\"]", "pages: [\"100000000000009\"]");
        edit(routing, "queue: billing", "queue: invoices");
        Path quickReplies = edit(config.resolve("quick-replies.yaml"), "Hello {firstName}", "Hello {first_name}");

        List<ConfigProblem> problems = check.check(List.of(config), new ArrayList<>());

        List<String> expected = List.of(
                problemAt(config.resolve("agents.yaml"), "billing]",
                        "hub.agents.members[1].queues[1]: agent 'ben' serves queue 'billing', to which no Page, routing rule or fallback sends conversations"),
                problemAt(quickReplies, "text: \"Hello {first_name}",
                        "hub.quick-replies[0].text: placeholder {first_name} is not filled in"),
                problemAt(routing, "queue: invoices",
                        "hub.routing.rules[0].queue: no agent in agents.yaml serves queue 'invoices'"),
                problemAt(routing, "\"100000000000009\"",
                        "hub.routing.rules[1].pages[0]: Page 100000000000009 is not in channels.yaml"));
        assertThat(problems).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(problems.get(i).toString()).startsWith(expected.get(i));
        }
    }

    @Test
    void shouldReportEveryProblemOfEveryFileAndExitWithOne() throws IOException {
        edit(config.resolve("routing.yaml"), "keywords: [invoice", "keyword: [invoice");
        edit(config.resolve("agents.yaml"), "capacity: 3", "capacity: three");
        edit(config.resolve("channels.yaml"), "queue: general", "queue: general queue");
        edit(routes.resolve("webhook.camel.yaml"), "      parameters:", "      parameter:");
        var out = new ByteArrayOutputStream();

        int exitCode = ConfigCheck.run(new String[] {routes.toString(), config.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(exitCode).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).anyMatch(l -> l.startsWith(config.resolve("routing.yaml") + ":"))
                .anyMatch(l -> l.startsWith(config.resolve("agents.yaml") + ":") && l.contains("capacity"))
                .anyMatch(l -> l.startsWith(config.resolve("channels.yaml") + ":") && l.contains("pattern"))
                .anyMatch(l -> l.startsWith(routes.resolve("webhook.camel.yaml") + ":") && l.contains("'parameter'"))
                .last().asString().matches("\\d+ problem\\(s\\) in 4 of \\d+ files checked");
    }

    @Test
    void shouldExitWithZeroWhenEveryFilePasses() {
        var out = new ByteArrayOutputStream();

        int exitCode = ConfigCheck.run(new String[] {routes.toString(), config.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(exitCode).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("OK: ");
    }

    private List<ConfigProblem> problemsOf(Path file) {
        return check.check(List.of(file.getParent()), new ArrayList<>()).stream()
                .filter(problem -> problem.file().equals(file)).toList();
    }

    private static Path edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as("%s holds %s", file, from).contains(from);
        Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        return file;
    }

    private static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(file + " has no line with " + text);
    }

    /** How a problem at this text of the file starts: file, line and column of the text, message. */
    private static String problemAt(Path file, String text, String message) throws IOException {
        int line = lineOf(file, text);
        int column = Files.readAllLines(file).get(line - 1).indexOf(text) + 1;
        return file + ":" + line + ":" + column + ": " + message;
    }
}
