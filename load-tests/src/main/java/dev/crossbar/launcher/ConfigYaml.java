package dev.crossbar.launcher;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.DurationText;
import dev.crossbar.gateway.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Writes a node's typed config ({@link GatewayConfig} and its records) as the YAML a node reads: how tests
 * and benchmarks give a node process its config, instead of YAML text templates. What it writes is read
 * back with the node's own {@link ConfigLoader} and must give the same config, so a field the YAML cannot
 * carry fails here rather than in the node.
 */
public final class ConfigYaml {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            // Decimals as written (a price of 1000 stays 1000, never 1E+3, which YAML reads as text).
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .registerModule(new SimpleModule().addSerializer(Duration.class, new DurationSerializer()));

    private ConfigYaml() {}

    /** The config as YAML; placeholders such as {@code ${MOCK}} are not expected: values are written as they are. */
    public static String render(GatewayConfig config) {
        ObjectNode tree = YAML.valueToTree(config);
        // The default is the cores the node's own JVM sees, which its flags may set: leave it to the node.
        if (config.node().eventLoops() == Runtime.getRuntime().availableProcessors()) {
            ((ObjectNode) tree.path("node")).remove("eventLoops");
        }
        // A bedrock key's secret is derived from its AWS parts; the YAML gives the parts only.
        for (JsonNode provider : tree.path("providers")) {
            for (JsonNode key : provider.path("keys")) {
                if (key.has("accessKeyId")) {
                    ((ObjectNode) key).remove("secret");
                }
            }
        }
        String yaml;
        try {
            yaml = YAML.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GatewayConfig read = new ConfigLoader(name -> null).parse(yaml);
        if (!read.equals(config)) {
            throw new IllegalStateException("the YAML of this config does not read back as the same config:\n" + yaml);
        }
        return yaml;
    }

    /** Writes {@link #render} into {@code file} (its directory is created); returns the file. */
    public static Path write(GatewayConfig config, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, render(config), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** Durations as a person writes them and {@link DurationText#parse} reads them: 250ms, 30s, 5m. */
    private static final class DurationSerializer extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(DurationText.format(value));
        }
    }
}
