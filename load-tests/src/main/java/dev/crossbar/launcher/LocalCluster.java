package dev.crossbar.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.gateway.config.ClusterConfig;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The files of a local multi-process cluster: one YAML config per node, derived from one config by
 * changing only the ports and the member list, and nginx's config rendered from
 * {@code deploy/local/nginx.conf.template}. Used by {@code ./crossbar demo --nodes N},
 * {@code deploy/local/cluster.sh} (through {@code ./crossbar cluster-files}), the benchmark and the
 * tests, so all of them run the same cluster.
 */
public final class LocalCluster {

    public static final Path NGINX_TEMPLATE = Path.of("deploy", "local", "nginx.conf.template");
    public static final Path JVM_OPTIONS = Path.of("deploy", "jvm.options");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private LocalCluster() {}

    /**
     * Where every process listens.
     *
     * @param host          the loopback address everything binds to
     * @param balancerPort  nginx's port (what clients use)
     * @param nodePorts     each node's client port
     * @param memberPorts   each node's Hazelcast member port
     * @param clusterName   the Hazelcast cluster name, or null to keep the config's
     */
    public record Layout(
            String host, int balancerPort, List<Integer> nodePorts, List<Integer> memberPorts, String clusterName) {

        public Layout {
            nodePorts = List.copyOf(nodePorts);
            memberPorts = List.copyOf(memberPorts);
            if (nodePorts.isEmpty() || nodePorts.size() != memberPorts.size()) {
                throw new IllegalArgumentException(
                        "one node port and one member port per node, were " + nodePorts + " and " + memberPorts);
            }
        }

        /** nginx on {@code port}, the nodes on the ports just above it, members from {@code memberBase} up. */
        public static Layout consecutive(int port, int nodes, int memberBase) {
            List<Integer> nodePorts = new ArrayList<>();
            List<Integer> memberPorts = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                nodePorts.add(port + 1 + i);
                memberPorts.add(memberBase + i);
            }
            return new Layout("127.0.0.1", port, nodePorts, memberPorts, null);
        }

        public int nodes() {
            return nodePorts.size();
        }

        public String nodeUrl(int node) {
            return "http://" + host + ":" + nodePorts.get(node);
        }

        public String balancerUrl() {
            return "http://" + host + ":" + balancerPort;
        }

        public List<String> members() {
            List<String> members = new ArrayList<>();
            memberPorts.forEach(p -> members.add(host + ":" + p));
            return members;
        }
    }

    /** The repository root: the nearest directory at or above the working directory holding deploy/. */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(NGINX_TEMPLATE))) {
                return d;
            }
        }
        throw new IllegalStateException(
                "cannot find " + NGINX_TEMPLATE + " at or above " + dir + "; run from the Crossbar repository");
    }

    /**
     * Writes {@code node-1.yaml} .. {@code node-N.yaml} into {@code dir}: the source config with only
     * {@code node.host/port} and {@code cluster.host/port/members} (and the name, if the layout sets one)
     * changed. Placeholders such as {@code ${OPENAI_KEY}} stay as they are, so no secret is written; each
     * file is checked with the node's own loader against {@code environment} before it is written. A source
     * without {@code cluster.key} gets a fresh one for this cluster in {@code dir/cluster.key} (owner-only),
     * which the node configs read as {@code ${file:...}}: nodes that join each other need one.
     */
    public static List<Path> writeNodeConfigs(
            Path source, Layout layout, Path dir, Function<String, String> environment) {
        return writeNodeConfigs(source, layout, dir, environment, null);
    }

    /** As above; {@code databaseUrl}, when given and the source names no database, is every node's. */
    public static List<Path> writeNodeConfigs(
            Path source, Layout layout, Path dir, Function<String, String> environment, String databaseUrl) {
        JsonNode tree;
        try {
            tree = YAML.readTree(Files.readString(source, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException(source + ": the config must be a YAML mapping");
        }
        Path keyFile = tree.path("cluster").hasNonNull("key") ? null : writeClusterKey(dir);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < layout.nodes(); i++) {
            ObjectNode config = ((ObjectNode) tree).deepCopy();
            ObjectNode node = object(config, "node");
            node.put("host", layout.host());
            node.put("port", layout.nodePorts().get(i));
            ObjectNode cluster = object(config, "cluster");
            if (layout.clusterName() != null) {
                cluster.put("name", layout.clusterName());
            }
            cluster.put("host", layout.host());
            cluster.put("port", layout.memberPorts().get(i));
            cluster.remove("kubernetesServiceDns");
            if (databaseUrl != null && !config.has("database")) {
                config.putObject("database").put("url", databaseUrl).put("user", LocalPostgres.USER);
            }
            ArrayNode members = cluster.putArray("members");
            layout.members().forEach(members::add);
            if (keyFile != null) {
                cluster.put("key", "${file:" + keyFile.toAbsolutePath() + "}");
            }
            String yaml;
            try {
                yaml = "# Node " + (i + 1) + " of " + layout.nodes() + ", generated from " + source
                        + " by LocalCluster: edit that file, not this one.\n" + YAML.writeValueAsString(config);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            new ConfigLoader(environment).parse(yaml);
            Path file = dir.resolve("node-" + (i + 1) + ".yaml");
            write(file, yaml);
            files.add(file);
        }
        return files;
    }

    /**
     * Writes {@code node-1.yaml} .. {@code node-N.yaml} into {@code dir} from a typed config (through {@link
     * ConfigYaml}): {@code base} with only the node's host and port and the cluster's host, port, members (and
     * name, if the layout sets one) changed; a base without a cluster key gets a fresh one, the same in every
     * node's file. How tests and benchmarks write the configs of their node processes.
     */
    public static List<Path> writeNodeConfigs(GatewayConfig base, Layout layout, Path dir) {
        ClusterConfig cluster =
                base.cluster().key() == null ? base.cluster().withKey(ClusterKey.generateText()) : base.cluster();
        String name = layout.clusterName() != null ? layout.clusterName() : cluster.name();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < layout.nodes(); i++) {
            GatewayConfig node = base.withNode(
                            at(base.node(), layout.host(), layout.nodePorts().get(i)))
                    .withCluster(cluster.withMember(
                            name, layout.host(), layout.memberPorts().get(i), layout.members()));
            files.add(ConfigYaml.write(node, dir.resolve("node-" + (i + 1) + ".yaml")));
        }
        return files;
    }

    private static NodeConfig at(NodeConfig n, String host, int port) {
        return new NodeConfig(
                host,
                port,
                n.maxBodyBytes(),
                n.eventLoops(),
                n.tls(),
                n.drainTimeout(),
                n.drainNotice(),
                n.idleTimeout(),
                n.headerTimeout(),
                n.bodyTimeout(),
                n.managementPort(),
                n.jsonLogs(),
                n.maxConnections());
    }

    private static Path writeClusterKey(Path dir) {
        Path file = dir.resolve("cluster.key");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, ClusterKey.generateText() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** Renders the nginx template for this layout into {@code dir/nginx.conf}; nginx's files stay in {@code dir}. */
    public static Path writeNginxConfig(Path template, Layout layout, Path dir) {
        String text;
        try {
            text = Files.readString(template, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + template, e);
        }
        Path runDir = dir.toAbsolutePath();
        try {
            Files.createDirectories(runDir.resolve("nginx-temp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path file = runDir.resolve("nginx.conf");
        write(file, renderNginx(text, layout, runDir));
        return file;
    }

    /** Fills the template's {@code {{PLACEHOLDERS}}}; a placeholder left over is an error. */
    public static String renderNginx(String template, Layout layout, Path runDir) {
        StringBuilder servers = new StringBuilder();
        for (int port : layout.nodePorts()) {
            // One failed attempt takes a node out for a few seconds; nginx then tries it again.
            servers.append("        server ")
                    .append(layout.host())
                    .append(':')
                    .append(port)
                    .append(" max_fails=1 fail_timeout=3s;\n");
        }
        String out = template.replace("{{RUN_DIR}}", runDir.toString())
                .replace("{{LISTEN_HOST}}", layout.host())
                .replace("{{LISTEN_PORT}}", Integer.toString(layout.balancerPort()))
                .replace("{{UPSTREAM_SERVERS}}", servers.toString().stripTrailing());
        int left = out.indexOf("{{");
        if (left >= 0) {
            throw new IllegalStateException("the nginx template has an unknown placeholder: "
                    + out.substring(left, Math.min(out.length(), left + 40)));
        }
        return out;
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode child = parent.get(field);
        if (child instanceof ObjectNode o) {
            return o;
        }
        return parent.putObject(field);
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
