package dev.crossbar.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a YAML config into {@link GatewayConfig}: replaces {@code ${ENV_VAR}}, {@code ${ENV_VAR:-default}}
 * and {@code ${file:/path}} in values (so secrets stay out of the file), rejects unknown fields, and
 * reports every problem as "FILE: FIELD: what is wrong".
 */
public final class ConfigLoader {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Prices are decimals: read them as written, never through a binary double.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()));

    private final Function<String, String> environment;

    public ConfigLoader() {
        this(System::getenv);
    }

    public ConfigLoader(Function<String, String> environment) {
        this.environment = environment;
    }

    /**
     * Reads, resolves and validates a config file.
     *
     * @throws ConfigException with the file name in front of the field path
     */
    public GatewayConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "no such file");
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read: " + e.getMessage());
        }
        try {
            return parse(text);
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.field(), e.problem());
        }
    }

    /**
     * Resolves and validates a config given as YAML text.
     *
     * @throws ConfigException naming the field path
     */
    public GatewayConfig parse(String yaml) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    "(syntax)",
                    "not valid YAML at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new ConfigException("(top level)", "the config must be a YAML mapping");
        }
        substitute(tree, "");
        try {
            return YAML.treeToValue(tree, GatewayConfig.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException ce) {
                throw ce;
            }
            String message = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getOriginalMessage();
            throw fieldError(path(e), message);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null
                    ? ""
                    : e.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "));
            throw new ConfigException(
                    path(e), "unknown field '" + e.getPropertyName() + "' (known fields: " + known + ")");
        } catch (InvalidFormatException e) {
            throw new ConfigException(path(e), "'" + e.getValue() + "' is not a valid " + typeName(e.getTargetType()));
        } catch (MismatchedInputException e) {
            throw new ConfigException(path(e), "expected " + typeName(e.getTargetType()));
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            throw new ConfigException(
                    path(e), String.valueOf(cause != null ? cause.getMessage() : e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new ConfigException("(config)", e.getOriginalMessage());
        }
    }

    private void substitute(JsonNode node, String path) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            List<Map.Entry<String, JsonNode>> replaced = new ArrayList<>();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String childPath = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                if (f.getValue().isTextual()) {
                    replaced.add(Map.entry(
                            f.getKey(), new TextNode(expand(f.getValue().textValue(), childPath))));
                } else {
                    substitute(f.getValue(), childPath);
                }
            }
            replaced.forEach(e -> object.set(e.getKey(), e.getValue()));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String childPath = path + "[" + i + "]";
                if (array.get(i).isTextual()) {
                    array.set(i, new TextNode(expand(array.get(i).textValue(), childPath)));
                } else {
                    substitute(array.get(i), childPath);
                }
            }
        }
    }

    private String expand(String value, String path) {
        Matcher m = PLACEHOLDER.matcher(value);
        if (!m.find()) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        do {
            m.appendReplacement(out, Matcher.quoteReplacement(resolve(m.group(1), path)));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }

    private String resolve(String expression, String path) {
        if (expression.startsWith("file:")) {
            Path file = Path.of(expression.substring(5));
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException(
                        path,
                        "cannot read the secret file " + file + " ("
                                + e.getClass().getSimpleName() + ")");
            }
        }
        int dflt = expression.indexOf(":-");
        String name = dflt >= 0 ? expression.substring(0, dflt) : expression;
        String value = environment.apply(name);
        if (value != null && !value.isEmpty()) {
            return value;
        }
        if (dflt >= 0) {
            return expression.substring(dflt + 2);
        }
        throw new ConfigException(path, "environment variable " + name + " is not set");
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(top level)" : sb.toString();
    }

    /**
     * A record refused its values: the path names the record and the message starts with the field
     * ("requests must be >= 0"), so the field joins the path.
     */
    private static ConfigException fieldError(String recordPath, String message) {
        int space = message.indexOf(' ');
        String field = space > 0 ? message.substring(0, space) : "";
        if (!field.isEmpty() && field.chars().allMatch(Character::isLetter)) {
            String path = recordPath.equals("(top level)") ? field : recordPath + "." + field;
            return new ConfigException(path, message.substring(space + 1));
        }
        String trimmed = field.endsWith(":") ? field.substring(0, field.length() - 1) : "";
        if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isLetter)) {
            return new ConfigException(recordPath + "." + trimmed, message.substring(space + 1));
        }
        return new ConfigException(recordPath, message);
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
            return "whole number";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "duration such as 30s";
        }
        if (List.class.isAssignableFrom(type)) {
            return "list";
        }
        if (type == String.class) {
            return "text";
        }
        return "mapping";
    }

    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken().isNumeric()) {
                return Duration.ofMillis(p.getLongValue());
            }
            try {
                return DurationText.parse(p.getValueAsString());
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(p, e.getMessage(), p.getValueAsString(), Duration.class);
            }
        }
    }
}
