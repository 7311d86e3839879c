package io.messengerhub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml (production) and deploy/local/*.env (the harness deploy/local/cluster.sh, one file per compose
 * service) set the same variables for the same services, with the same values except where one machine must differ
 * from one container per service. Those differences are allowed by rule only:
 * <ul>
 * <li>{@code ${NAME:?message}}: both sides require the same variable; the message may differ.</li>
 * <li>Ports (keys ending in PORT, and {@code 127.0.0.1:<port>} in a value): the harness gives every service ports of
 * its own; a harness port stands for the compose service whose env file sets it and that service's compose port, so
 * {@code 127.0.0.1:61717} must be {@code artemis-backup:61616} in compose.</li>
 * <li>Hosts (keys ending in _HOST): 127.0.0.1 in the harness; in compose the service that owns the matching
 * _PORT.</li>
 * <li>Browser URLs ({@code ws://127.0.0.1:<port>}): a harness port stands for the port its service publishes on
 * the host in compose, since a browser is outside compose's network.</li>
 * <li>Bind addresses (keys ending in _BIND, the console's {@code --http-host}): loopback in the harness, 0.0.0.0 in a
 * container; the harness also gives each console a port ({@code --http-port}), a container has the image's.</li>
 * <li>Paths: {@code ${CLUSTER_REPO}/<dir>} is where compose mounts {@code ./<dir>} in that service;
 * {@code ${CLUSTER_STATE}/volumes/<name>} is the harness's directory for compose's named volume {@code <name>}, where
 * that service mounts it (hubs that share a volume share the directory).</li>
 * </ul>
 */
class ComposeMatchesLocalClusterTest {

    private static final Path LOCAL = Path.of("deploy/local");
    private static final Pattern LOOPBACK_PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern BROWSER_URL = Pattern.compile("ws://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern REQUIRED = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*):\\?[^}]*}");

    private static Map<String, Map<String, Object>> compose;
    private static Map<String, Map<String, String>> harness;
    /** Harness port to compose service and port. */
    private static Map<String, String[]> ports;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        try (Reader reader = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
            compose = (Map<String, Map<String, Object>>) new Yaml().<Map<String, Object>>load(reader).get("services");
        }
        harness = new TreeMap<>();
        try (Stream<Path> files = Files.list(LOCAL)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".env")).toList()) {
                harness.put(file.getFileName().toString().replace(".env", ""), envFile(file));
            }
        }
        ports = new LinkedHashMap<>();
        harness.forEach((service, env) -> env.forEach((key, value) -> {
            if (key.endsWith("PORT") && !key.contains("PEER") && compose.containsKey(service)) {
                ports.putIfAbsent(value, new String[] {service, String.valueOf(environment(service).get(key))});
            }
        }));
    }

    @Test
    void shouldRunTheSameServices() {
        assertThat(harness.keySet()).containsExactlyInAnyOrderElementsOf(compose.keySet());
    }

    @Test
    void shouldGiveEveryServiceTheSameVariables() {
        var softly = new SoftAssertions();
        compose.keySet().stream().filter(harness::containsKey).forEach(service -> softly.assertThat(harness.get(service).keySet())
                .as("variables of %s in deploy/local/%s.env", service, service)
                .containsExactlyInAnyOrderElementsOf(environment(service).keySet()));
        softly.assertAll();
    }

    @Test
    void shouldGiveEveryVariableTheSameValueExceptHostsPortsAndPaths() {
        var softly = new SoftAssertions();
        for (String service : compose.keySet()) {
            Map<String, String> local = harness.getOrDefault(service, Map.of());
            environment(service).forEach((key, value) -> {
                if (local.containsKey(key)) {
                    softly.assertThat(asCompose(service, key, local.get(key))).as("%s of %s", key, service)
                            .isEqualTo(required(String.valueOf(value)));
                }
            });
        }
        softly.assertAll();
    }

    @Test
    void shouldMapEveryHarnessPortToAServiceOfItsOwn() {
        var seen = new TreeSet<String>();
        harness.forEach((service, env) -> env.forEach((key, value) -> {
            if (key.endsWith("PORT") && !key.contains("PEER")) {
                assertThat(seen.add(value)).as("port %s of %s given twice", value, service).isTrue();
            }
        }));
    }

    /** What the harness's value is in compose's terms, by the rules above. */
    private static String asCompose(String service, String key, String value) {
        String result = required(value);
        if (key.endsWith("PORT") && ports.containsKey(result)) {
            return ports.get(result)[1];
        }
        if (key.endsWith("_HOST") && result.equals("127.0.0.1")) {
            String port = harness.get(service).get(key.replace("_HOST", "_PORT"));
            return ports.containsKey(port) ? ports.get(port)[0] : "?";
        }
        if (key.endsWith("_BIND") && result.equals("127.0.0.1")) {
            return "0.0.0.0";
        }
        result = result.replaceAll(" --http-port \\d+", "").replace("--http-host 127.0.0.1", "--http-host 0.0.0.0");
        // What a browser opens is outside compose's network: the port the service publishes on the host.
        Matcher browser = BROWSER_URL.matcher(result);
        result = browser.replaceAll(match -> ports.containsKey(match.group(1))
                ? "ws://127.0.0.1:" + published(ports.get(match.group(1))[0], ports.get(match.group(1))[1]) : match.group());
        Matcher address = LOOPBACK_PORT.matcher(result);
        result = address.replaceAll(match -> ports.containsKey(match.group(1))
                ? ports.get(match.group(1))[0] + ":" + ports.get(match.group(1))[1] : match.group());
        for (String volume : volumes(service)) {
            String[] parts = volume.split(":");
            if (parts[0].startsWith("./")) {
                result = result.replace("${CLUSTER_REPO}/" + parts[0].substring(2), parts[1]);
            } else {
                result = result.replace("${CLUSTER_STATE}/volumes/" + parts[0], parts[1]);
            }
        }
        return result;
    }

    /** The host port a compose service publishes its container port on ("127.0.0.1:61615:61614" gives 61615). */
    @SuppressWarnings("unchecked")
    private static String published(String service, String containerPort) {
        for (Object mapping : (List<Object>) compose.get(service).getOrDefault("ports", List.of())) {
            String[] parts = String.valueOf(mapping).split(":");
            if (parts.length >= 2 && parts[parts.length - 1].equals(containerPort)) {
                return parts[parts.length - 2];
            }
        }
        return "?";
    }

    /** {@code ${NAME:?any message}} as {@code ${NAME:?}}. */
    private static String required(String value) {
        return REQUIRED.matcher(value).replaceAll("\\${$1:?}");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(String service) {
        return (Map<String, Object>) compose.get(service).getOrDefault("environment", Map.of());
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumes(String service) {
        return (List<String>) compose.get(service).getOrDefault("volumes", List.of());
    }

    /** KEY=value lines (a value may be in double quotes), and ". ${CLUSTER_REPO}/<file>" includes. */
    private static Map<String, String> envFile(Path file) throws IOException {
        var env = new LinkedHashMap<String, String>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(". ${CLUSTER_REPO}/")) {
                env.putAll(envFile(Path.of(line.substring(". ${CLUSTER_REPO}/".length()))));
            } else if (line.matches("[A-Z_][A-Z0-9_]*=.*")) {
                String value = line.substring(line.indexOf('=') + 1);
                if (value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                env.put(line.substring(0, line.indexOf('=')), value);
            }
        }
        return env;
    }
}
