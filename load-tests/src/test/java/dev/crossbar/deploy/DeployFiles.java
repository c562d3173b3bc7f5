package dev.crossbar.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.crossbar.launcher.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** Reading deploy/ without Docker or Kubernetes: YAML (multi-document), nginx directives, ${VAR:-default}. */
final class DeployFiles {

    static final Path ROOT = LocalCluster.repoRoot();
    static final Path DEPLOY = ROOT.resolve("deploy");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private DeployFiles() {}

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a YAML file (Kubernetes manifests hold several, separated by ---), with Jackson. */
    static List<JsonNode> yamlDocuments(Path file) {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(file.toFile())) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
        return docs;
    }

    /**
     * A compose file, anchors and merge keys ({@code <<: *node}) resolved as Compose does: SnakeYAML (under
     * Jackson's YAML module) reads it, since Jackson's own parser leaves merge keys alone.
     */
    static JsonNode composeYaml(Path file) {
        Object doc = new Yaml().load(read(file));
        return JSON.valueToTree(doc);
    }

    static JsonNode yaml(Path file) {
        List<JsonNode> docs = yamlDocuments(file);
        if (docs.size() != 1) {
            throw new AssertionError(file + " should hold one YAML document, holds " + docs.size());
        }
        return docs.get(0);
    }

    /** Compose's variable substitution with nothing set in the environment: defaults, or empty. */
    static String composeDefaults(String value) {
        Matcher m = INTERPOLATION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(3) == null ? "" : m.group(3)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A compose service's environment (map or list form), defaults filled in. */
    static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = service.path("environment");
        if (e.isObject()) {
            e.fields()
                    .forEachRemaining(f ->
                            env.put(f.getKey(), composeDefaults(f.getValue().asText())));
        } else if (e.isArray()) {
            e.forEach(item -> {
                String[] kv = item.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? composeDefaults(kv[1]) : "");
            });
        }
        return env;
    }

    /** The directives of one nginx block ("location /", "upstream crossbar_nodes"), comments dropped, in order. */
    static List<String> nginxBlock(String conf, String header) {
        String text = conf.replaceAll("(?m)#.*$", "");
        int at = text.indexOf(header + " {");
        if (at < 0) {
            throw new AssertionError("no '" + header + " {' block in nginx config");
        }
        int depth = 0;
        int start = text.indexOf('{', at) + 1;
        int i = start;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    break;
                }
                depth--;
            }
        }
        List<String> directives = new ArrayList<>();
        for (String d : text.substring(start, i).split(";", -1)) {
            String clean = d.strip().replaceAll("\\s+", " ");
            if (!clean.isEmpty()) {
                directives.add(clean);
            }
        }
        return directives;
    }

    /** The instructions of a Dockerfile, continuation lines joined, comments dropped. */
    static List<String> dockerInstructions(Path dockerfile) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : read(dockerfile).lines().toList()) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            if (!current.toString().isBlank()) {
                out.add(current.toString().replaceAll("\\s+", " ").strip());
            }
            current.setLength(0);
        }
        return out;
    }

    /**
     * The instructions of each stage of a Dockerfile, in order, by the name after {@code AS} (a stage
     * without one by its index); each list starts with the stage's {@code FROM}.
     */
    static Map<String, List<String>> dockerStages(Path dockerfile) {
        Map<String, List<String>> stages = new LinkedHashMap<>();
        List<String> current = null;
        for (String i : dockerInstructions(dockerfile)) {
            if (i.startsWith("FROM ")) {
                String[] words = i.split(" ", -1);
                boolean named = words.length >= 4 && words[words.length - 2].equalsIgnoreCase("AS");
                current = new ArrayList<>();
                stages.put(named ? words[words.length - 1] : Integer.toString(stages.size()), current);
            }
            if (current != null) {
                current.add(i);
            }
        }
        return stages;
    }

    /** The final stage of a Dockerfile: what {@code docker build} makes when no target is asked for. */
    static List<String> finalStage(Path dockerfile) {
        List<List<String>> stages = List.copyOf(dockerStages(dockerfile).values());
        return stages.get(stages.size() - 1);
    }

    /** The first instruction of {@code stage} starting with {@code keyword} and a space. */
    static String instruction(List<String> stage, String keyword) {
        return stage.stream()
                .filter(i -> i.startsWith(keyword + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + keyword + " in " + stage.get(0)));
    }

    /** The JSON array of an exec-form instruction, e.g. ENTRYPOINT ["java", ...]. */
    static List<String> execForm(String instruction) {
        String json = instruction.substring(instruction.indexOf('['));
        try {
            List<String> out = new ArrayList<>();
            new ObjectMapper().readTree(json).forEach(n -> out.add(n.asText()));
            return out;
        } catch (IOException e) {
            throw new AssertionError("not exec form: " + instruction, e);
        }
    }

    /** The value of a -XX:Name=value flag among args (the last one wins, as in the JVM). */
    static String jvmFlag(List<String> args, String name) {
        String value = null;
        for (String a : args) {
            if (a.startsWith("-XX:" + name + "=")) {
                value = a.substring(name.length() + 5);
            }
        }
        return value;
    }

    /** Kubernetes memory quantity in MiB (Mi, Gi, M, G). */
    static long mebibytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Mi|Gi|M|G)").matcher(quantity.strip());
        if (!m.matches()) {
            throw new AssertionError("memory quantity not understood: " + quantity);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "Gi" -> n * 1024;
            case "G" -> n * 1000 * 1000 * 1000 / (1024 * 1024);
            case "M" -> n * 1000 * 1000 / (1024 * 1024);
            default -> n;
        };
    }
}
