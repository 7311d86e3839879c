package io.messengerhub.operations;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.springframework.core.io.ClassPathResource;

/**
 * The JSON Schemas operators' files are checked against, and their findings in an operator's words with the line they
 * are on. Route files ({@code *.camel.yaml}) have the YAML DSL's own schema from camel-yaml-dsl
 * ({@code schema/camelYamlDsl.json}, draft-04); each config file has ours, {@code config-schema/<name>.schema.json}.
 */
final class ConfigSchemas {

    static final String CAMEL_YAML_DSL = "schema/camelYamlDsl.json";
    static final String CONFIG_SCHEMAS = "config-schema/";

    /** Keywords whose complaints come from trying alternatives; the deepest of them say what is wrong. */
    private static final Set<String> ALTERNATIVES = Set.of("oneOf", "anyOf", "not");

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, builder -> builder
            // The YAML DSL's schema marks deprecated options with a keyword draft-04 does not know.
            .metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV4()).keyword(new NonValidationKeyword("deprecated")).build()));
    private final Map<String, JsonSchema> loaded = new ConcurrentHashMap<>();

    /** The schema of this file, by its name: none for files the hub does not read as operator YAML. */
    Optional<JsonSchema> schemaFor(Path file) {
        String name = file.getFileName().toString();
        String resource = name.endsWith(".camel.yaml") ? CAMEL_YAML_DSL
                : name.endsWith(".yaml") ? CONFIG_SCHEMAS + name.substring(0, name.length() - ".yaml".length()) + ".schema.json"
                : null;
        if (resource == null || !new ClassPathResource(resource).exists()) {
            return Optional.empty();
        }
        return Optional.of(loaded.computeIfAbsent(resource, r -> {
            JsonSchema schema = factory.getSchema(SchemaLocation.of("classpath:" + r));
            schema.initializeValidators();
            return schema;
        }));
    }

    /** Every finding of the schema in one document, at most one per place, each with its line. */
    List<ConfigProblem> check(Path file, YamlFile.Document document, JsonSchema schema) {
        Set<ValidationMessage> messages = schema.validate(document.tree());
        Map<String, List<ValidationMessage>> byPlace = new LinkedHashMap<>();
        Map<String, List<ValidationMessage>> alternatives = new LinkedHashMap<>();
        for (ValidationMessage message : messages) {
            (fromAlternatives(message) ? alternatives : byPlace).computeIfAbsent(place(message), p -> new ArrayList<>()).add(message);
        }
        // Where alternatives failed, every alternative complains; the complaints deepest in the file are the ones that
        // name the mistake (an unknown step, a value of the wrong type), those above them only say "none matched".
        alternatives.keySet().stream()
                .filter(place -> alternatives.keySet().stream().noneMatch(other -> other.startsWith(place + "/")))
                .filter(place -> !byPlace.containsKey(place))
                .forEach(place -> byPlace.put(place, alternatives.get(place)));
        return byPlace.entrySet().stream()
                .map(entry -> problem(file, document, schema, entry.getKey(), entry.getValue()))
                .sorted(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column))
                .toList();
    }

    private ConfigProblem problem(Path file, YamlFile.Document document, JsonSchema schema, String place,
                                  List<ValidationMessage> messages) {
        JsonLocation at = document.locate(place);
        return new ConfigProblem(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                readable(place) + ": " + describe(schema, messages));
    }

    private static boolean fromAlternatives(ValidationMessage message) {
        JsonNodePath path = message.getEvaluationPath();
        for (int i = 0; i < path.getNameCount(); i++) {
            if (ALTERNATIVES.contains(path.getName(i))) {
                return true;
            }
        }
        return ALTERNATIVES.contains(message.getType());
    }

    /** The JSON pointer the message is about: for an unknown key, the key itself. */
    private static String place(ValidationMessage message) {
        String pointer = pointer(message.getInstanceLocation());
        return "additionalProperties".equals(message.getType()) ? pointer + "/" + escape(message.getProperty()) : pointer;
    }

    private String describe(JsonSchema schema, List<ValidationMessage> messages) {
        Map<String, List<ValidationMessage>> byType = messages.stream()
                .collect(Collectors.groupingBy(ValidationMessage::getType, LinkedHashMap::new, Collectors.toList()));
        List<String> said = new ArrayList<>();
        byType.forEach((type, ofType) -> {
            switch (type) {
                case "additionalProperties" -> said.add(unknownKey(schema, ofType));
                case "required" -> said.add(ofType.size() == 1 ? "'" + ofType.get(0).getProperty() + "' is missing"
                        : "needs one of " + names(ofType.stream().map(ValidationMessage::getProperty).toList()));
                case "type" -> said.add(ofType.size() == 1 ? ofType.get(0).getError()
                        : ofType.get(0).getError().replaceFirst(", [^,]+ expected$", ", one of "
                        + ofType.stream().map(m -> String.valueOf(m.getArguments()[1])).distinct().collect(Collectors.joining(", "))
                        + " expected"));
                case "oneOf", "anyOf", "not" -> { }
                default -> ofType.stream().map(ValidationMessage::getError).distinct().forEach(said::add);
            }
        });
        if (said.isEmpty()) {
            said.add(messages.get(0).getError());
        }
        return String.join("; ", said);
    }

    /** An unknown key, and the keys meant: all of them when few, else those spelt alike. */
    private String unknownKey(JsonSchema schema, List<ValidationMessage> messages) {
        String key = messages.get(0).getProperty();
        Set<String> known = new TreeSet<>();
        for (ValidationMessage message : messages) {
            known.addAll(knownKeys(schema, message));
        }
        Collection<String> meant = known.size() <= 12 ? known : known.stream()
                .filter(k -> LevenshteinDistance.getDefaultInstance().apply(k.toLowerCase(), key.toLowerCase()) <= 2).toList();
        return "'" + key + "' is not a known key here" + (meant.isEmpty() ? ""
                : known.size() <= 12 ? " (known: " + String.join(", ", meant) + ")" : " (did you mean " + names(meant) + "?)");
    }

    /** The properties the schema object holding the failed additionalProperties allows. */
    private Set<String> knownKeys(JsonSchema schema, ValidationMessage message) {
        JsonNodePath fragment = message.getSchemaLocation().getFragment();
        JsonNode node = schemaDocument(schema, message);
        for (int i = 0; i < fragment.getNameCount() - 1 && node != null; i++) {
            Object element = fragment.getElement(i);
            node = element instanceof Integer index ? node.get(index) : node.get(String.valueOf(element));
        }
        if (node == null || !node.path("properties").isObject()) {
            return Set.of();
        }
        return iterable(node.path("properties").fieldNames());
    }

    private JsonNode schemaDocument(JsonSchema schema, ValidationMessage message) {
        SchemaLocation location = message.getSchemaLocation();
        String document = location.getAbsoluteIri() == null ? null : location.getAbsoluteIri().toString();
        if (document == null || document.equals(schema.getSchemaLocation().getAbsoluteIri().toString())) {
            return schema.getSchemaNode();
        }
        return factory.getSchema(SchemaLocation.of(document)).getSchemaNode();
    }

    private static Set<String> iterable(java.util.Iterator<String> names) {
        Set<String> all = new TreeSet<>();
        names.forEachRemaining(all::add);
        return all;
    }

    private static String names(Collection<String> names) {
        List<String> quoted = names.stream().distinct().map(n -> "'" + n + "'").toList();
        return quoted.size() == 1 ? quoted.get(0)
                : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
    }

    private static String pointer(JsonNodePath path) {
        var pointer = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            pointer.append('/').append(escape(String.valueOf(path.getElement(i))));
        }
        return pointer.toString();
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** {@code /hub/routing/rules/0/queue} as an operator reads it: {@code hub.routing.rules[0].queue}. */
    static String readable(String pointer) {
        if (pointer.isEmpty()) {
            return "(the file)";
        }
        var readable = new StringBuilder();
        for (String part : pointer.substring(1).split("/", -1)) {
            String name = part.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
                readable.append('[').append(name).append(']');
            } else {
                readable.append(readable.isEmpty() ? "" : ".").append(name);
            }
        }
        return readable.toString();
    }
}
