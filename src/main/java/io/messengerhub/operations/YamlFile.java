package io.messengerhub.operations;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * An operator's YAML file read for checking: each document's tree, and where each key and list item of it is (the
 * line of a key, not of its value, which for a block may start a line later). A file that is not YAML has its syntax
 * error instead, with its line.
 */
final class YamlFile {

    /** A key written twice is an error, as it is for Spring's own YAML loader. */
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    /** One document of the file; {@code locations} by JSON pointer ("/hub/routing/rules/0/queue"). */
    record Document(JsonNode tree, Map<String, JsonLocation> locations) {

        /** Where the value at {@code pointer} is written, else its nearest enclosing key or item. */
        JsonLocation locate(String pointer) {
            for (String p = pointer; ; p = p.substring(0, p.lastIndexOf('/'))) {
                JsonLocation location = locations.get(p);
                if (location != null || p.isEmpty()) {
                    return location;
                }
            }
        }
    }

    private final List<Document> documents;
    private final ConfigProblem syntaxError;

    private YamlFile(List<Document> documents, ConfigProblem syntaxError) {
        this.documents = documents;
        this.syntaxError = syntaxError;
    }

    static YamlFile read(Path file) {
        try {
            List<JsonNode> trees = new ArrayList<>();
            try (JsonParser parser = YAML.createParser(file.toFile());
                 var values = YAML.readValues(parser, JsonNode.class)) {
                while (values.hasNextValue()) {
                    trees.add(values.nextValue());
                }
            }
            List<Map<String, JsonLocation>> locations = locations(file);
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < trees.size(); i++) {
                documents.add(new Document(trees.get(i), i < locations.size() ? locations.get(i) : Map.of()));
            }
            return new YamlFile(documents, null);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return new YamlFile(List.of(), new ConfigProblem(file, at == null ? 0 : at.getLineNr(),
                    at == null ? 0 : at.getColumnNr(), "not valid YAML: " + syntaxError(e)));
        } catch (IOException e) {
            return new YamlFile(List.of(), new ConfigProblem(file, 0, 0, "cannot be read: " + e.getMessage()));
        }
    }

    List<Document> documents() {
        return documents;
    }

    /** The syntax error that kept the file from being read, or null. */
    ConfigProblem syntaxError() {
        return syntaxError;
    }

    /** One pass over the tokens: the location of every key, and of every list item, per document. */
    private static List<Map<String, JsonLocation>> locations(Path file) throws IOException {
        List<Map<String, JsonLocation>> documents = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(file.toFile())) {
            Map<String, JsonLocation> current = null;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                JsonStreamContext context = parser.getParsingContext();
                if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    continue;
                }
                if (token.isStructStart() ? context.getParent() != null && context.getParent().inRoot() : context.inRoot()) {
                    current = new HashMap<>();
                    documents.add(current);
                    current.put("", parser.currentTokenLocation());
                    continue;
                }
                // A value's context is its own for a block (an object or list starts one), its parent's for a scalar.
                JsonStreamContext holder = token.isStructStart() ? context.getParent() : context;
                if (token == JsonToken.FIELD_NAME || holder.inArray()) {
                    current.putIfAbsent(pointer(token.isStructStart() ? context.getParent() : context),
                            parser.currentTokenLocation());
                }
            }
        }
        return documents;
    }

    /** The JSON pointer of where the parser stands in {@code context}: its field or its current list item. */
    private static String pointer(JsonStreamContext context) {
        return context.pathAsPointer().toString();
    }

    /** SnakeYAML's problem ("expected ',' or ']', but got :") and what it was reading, with the line it began on. */
    private static String syntaxError(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
            return yaml.getProblem() + (yaml.getContext() == null || yaml.getContextMark() == null ? ""
                    : " (" + yaml.getContext() + " that begins on line " + (yaml.getContextMark().getLine() + 1) + ")");
        }
        String message = e.getOriginalMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message).strip();
    }
}
