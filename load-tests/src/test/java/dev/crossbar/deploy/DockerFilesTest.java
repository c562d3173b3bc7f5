package dev.crossbar.deploy;

import static dev.crossbar.deploy.DeployFiles.DEPLOY;
import static dev.crossbar.deploy.DeployFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.gateway.cli.Main;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.PlaceholderSecrets;
import dev.crossbar.mock.MockMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of the container image and the compose file without Docker: every file they name
 * exists, the configs they mount load with the node's own loader, and the ports, addresses and paths
 * agree between Dockerfile, compose, node config and nginx.
 */
class DockerFilesTest {

    private static final Path DOCKERFILE = DEPLOY.resolve("Dockerfile");
    private static final Path COMPOSE = DEPLOY.resolve("compose.yaml");
    private static final Path NGINX = DEPLOY.resolve("docker/nginx.conf");
    private static final String CONFIG_IN_IMAGE = "/etc/crossbar/crossbar.yaml";

    @Test
    void shouldCopyOnlyFilesThatExistIntoTheImage() {
        List<String> instructions = DeployFiles.dockerInstructions(DOCKERFILE);
        int copies = 0;
        for (String i : instructions) {
            if (i.startsWith("COPY ") && !i.contains("--from=")) {
                String[] parts = i.substring(5).strip().split(" ", -1);
                for (int p = 0; p < parts.length - 1; p++) {
                    assertTrue(Files.exists(ROOT.resolve(parts[p])), "the Dockerfile copies " + parts[p] + ", missing");
                    copies++;
                }
            }
        }
        assertTrue(copies >= 8, "the build copies the poms and sources of every module: " + copies);
        for (String module : List.of("protocol-codecs", "cluster-state", "gateway-node", "load-tests")) {
            assertTrue(
                    instructions.stream().anyMatch(i -> i.startsWith("COPY " + module + "/src ")), module + " sources");
        }
        String ignore = DeployFiles.read(DEPLOY.resolve("Dockerfile.dockerignore"));
        for (String i : instructions) {
            if (i.startsWith("COPY ") && !i.contains("--from=")) {
                String src = i.substring(5).strip().split(" ", -1)[0];
                assertTrue(ignore.contains("!" + src), "the build context lets " + src + " through");
            }
        }
    }

    /**
     * Error Prone runs in Maven's own JVM and needs .mvn/jvm.config to open javac to it; the image's build
     * does not copy that file, so it must leave Error Prone out (CI runs it).
     */
    @Test
    void shouldBuildTheImageWithoutErrorProne() {
        String pom = DeployFiles.read(ROOT.resolve("pom.xml"));
        assertTrue(pom.contains("<name>!errorprone.skip</name>"), "-Derrorprone.skip turns Error Prone off");
        String flags = DeployFiles.read(ROOT.resolve(".mvn/jvm.config"));
        assertTrue(flags.contains("--add-exports jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED"), flags);
        List<String> builds = DeployFiles.dockerInstructions(DOCKERFILE).stream()
                .filter(i -> i.startsWith("RUN ") && i.contains(" mvn "))
                .toList();
        assertFalse(builds.isEmpty());
        for (String build : builds) {
            assertTrue(build.contains(" -Derrorprone.skip "), "the image's build skips Error Prone: " + build);
        }
    }

    @Test
    void shouldRunTheNodeAsNonRootWithContainerAwareFlags() {
        List<String> instructions = DeployFiles.dockerInstructions(DOCKERFILE);
        List<String> node = DeployFiles.finalStage(DOCKERFILE);
        String user = DeployFiles.instruction(node, "USER");
        String uid = user.substring(5).split(":", -1)[0];
        assertTrue(
                uid.matches("\\d+") && !uid.equals("0"), "a numeric non-root user (Kubernetes can check it): " + user);
        assertTrue(
                instructions.get(0).startsWith("FROM maven:")
                        && instructions.get(0).contains(" AS build"),
                "multi-stage: Maven builds");
        String runtime = node.get(0);
        assertTrue(runtime.contains("17-jre"), "a JRE 17 runs: " + runtime);

        List<String> entrypoint = entrypoint();
        assertEquals("java", entrypoint.get(0));
        assertTrue(entrypoint.contains("@/opt/crossbar/jvm.options"), "the shared JVM flags: " + entrypoint);
        assertTrue(node.contains("COPY deploy/jvm.options /opt/crossbar/jvm.options"));
        String shared = DeployFiles.read(ROOT.resolve("deploy/jvm.options"));
        for (String opens : List.of(
                "java.base/java.lang=ALL-UNNAMED",
                "java.base/sun.nio.ch=ALL-UNNAMED",
                "java.management/sun.management=ALL-UNNAMED",
                "jdk.management/com.sun.management.internal=ALL-UNNAMED")) {
            assertTrue(shared.contains("--add-opens " + opens), "Hazelcast's --add-opens " + opens);
        }
        assertNotNull(DeployFiles.jvmFlag(entrypoint, "MaxRAMPercentage"), "heap sized from the container's limit");
        assertEquals(Main.class.getName(), entrypoint.get(entrypoint.size() - 1), "the node's own entry point");
        List<String> cmd = DeployFiles.execForm(DeployFiles.instruction(node, "CMD"));
        assertEquals(List.of("run", "--config", CONFIG_IN_IMAGE), cmd);
    }

    @Test
    void shouldCheckHealthAndExposeThePortsTheConfigUses() {
        GatewayConfig config = load(
                DEPLOY.resolve("docker/crossbar.yaml"),
                Map.of(
                        "CROSSBAR_ADMIN_TOKEN",
                        "t0ken-admin",
                        "CROSSBAR_CLIENT_KEY",
                        "client-key-1",
                        "OPENAI_KEY_1",
                        "a",
                        "OPENAI_KEY_2",
                        "b",
                        "ANTHROPIC_KEY_1",
                        "c",
                        "GEMINI_KEY_1",
                        "d"));
        List<String> instructions = DeployFiles.finalStage(DOCKERFILE);
        String health = DeployFiles.instruction(instructions, "HEALTHCHECK");
        assertTrue(health.contains("http://127.0.0.1:" + config.node().port() + "/health/ready"), health);
        Set<String> exposed = new HashSet<>();
        instructions.stream()
                .filter(i -> i.startsWith("EXPOSE "))
                .forEach(i -> exposed.addAll(List.of(i.substring(7).split(" ", -1))));
        assertTrue(exposed.contains(Integer.toString(config.node().port())), "client port exposed: " + exposed);
        assertTrue(exposed.contains(Integer.toString(config.cluster().port())), "member port exposed: " + exposed);
        assertEquals("0.0.0.0", config.node().host(), "in a container the node listens beyond loopback");
        assertTrue(instructions.contains("COPY deploy/docker/crossbar.yaml " + CONFIG_IN_IMAGE), "a default config");
    }

    @Test
    void shouldFormOneClusterOfThreeNodesBehindNginxInCompose() {
        JsonNode compose = DeployFiles.composeYaml(COMPOSE);
        JsonNode services = compose.path("services");
        Map<String, GatewayConfig> nodes = new LinkedHashMap<>();
        Map<String, String> addresses = new LinkedHashMap<>();
        services.fields().forEachRemaining(s -> {
            JsonNode service = s.getValue();
            String address = service.path("networks")
                    .path("crossbar")
                    .path("ipv4_address")
                    .asText(null);
            addresses.put(s.getKey(), address);
            if (service.path("command").isMissingNode()
                    && service.path("image").asText().startsWith("crossbar")) {
                nodes.put(s.getKey(), nodeConfig(s.getKey(), service));
            }
        });
        assertEquals(3, nodes.size(), "three nodes: " + nodes.keySet());
        Set<String> clusterNames = new HashSet<>();
        List<String> expectedMembers = new ArrayList<>();
        nodes.forEach((name, config) ->
                expectedMembers.add(addresses.get(name) + ":" + config.cluster().port()));
        nodes.forEach((name, config) -> {
            clusterNames.add(config.cluster().name());
            assertEquals(addresses.get(name), config.cluster().host(), name + " binds its member to its own address");
            assertEquals(
                    Set.copyOf(expectedMembers), Set.copyOf(config.cluster().members()), name + " knows every member");
            long grace = durationSeconds(
                    services.path(name).path("stop_grace_period").asText("10s"));
            assertTrue(
                    grace
                            > config.node().drainNotice().toSeconds()
                                    + config.node().drainTimeout().toSeconds(),
                    name + ": compose waits longer than the drain notice and the drain before it kills: " + grace
                            + "s");
        });
        assertEquals(1, clusterNames.size(), "one cluster name");

        JsonNode nginx = services.path("nginx");
        assertFalse(nginx.isMissingNode(), "an nginx service");
        String published = nginx.path("ports").get(0).asText();
        String listen = DeployFiles.nginxBlock(DeployFiles.read(NGINX), "server").stream()
                .filter(d -> d.startsWith("listen "))
                .findFirst()
                .orElseThrow()
                .substring(7);
        assertTrue(
                published.endsWith(":" + listen),
                "nginx publishes the port it listens on: " + published + " vs " + listen);
        List<String> servers = DeployFiles.nginxBlock(DeployFiles.read(NGINX), "upstream crossbar_nodes").stream()
                .filter(d -> d.startsWith("server "))
                .map(d -> d.split(" ", -1)[1])
                .toList();
        List<String> expectedServers = new ArrayList<>();
        nodes.forEach(
                (name, config) -> expectedServers.add(name + ":" + config.node().port()));
        assertEquals(expectedServers, servers, "nginx sends to every node on its client port");
        for (String volume : List.of(nginx.path("volumes").get(0).asText())) {
            assertTrue(Files.exists(DEPLOY.resolve(volume.split(":", -1)[0])), volume);
        }
        // Nothing but nginx publishes a port: the members' port stays on the private network.
        services.fields().forEachRemaining(s -> {
            if (!s.getKey().equals("nginx")) {
                assertTrue(s.getValue().path("ports").isMissingNode(), s.getKey() + " publishes no port");
            }
        });
        JsonNode build = services.path("node1").path("build");
        Path context = DEPLOY.resolve(build.path("context").asText()).normalize();
        assertEquals(ROOT.normalize(), context, "the build context is the repository root");
        assertTrue(Files.isRegularFile(context.resolve(build.path("dockerfile").asText())));
        List<String> stages = List.copyOf(DeployFiles.dockerStages(DOCKERFILE).keySet());
        assertEquals(
                stages.get(stages.size() - 1),
                build.path("target").asText(),
                "the nodes run the Dockerfile's final stage, the node image");
    }

    @Test
    void shouldPointTheNodesAtTheMockInCompose() {
        JsonNode services = DeployFiles.composeYaml(COMPOSE).path("services");
        JsonNode mock = services.path("mock");
        assertEquals("mock", mock.path("build").path("target").asText(), "the mock image is the Dockerfile's target");
        assertFalse(
                mock.path("image")
                        .asText()
                        .equals(services.path("node1").path("image").asText()),
                "the mock is not in the node image");
        List<String> stage = DeployFiles.dockerStages(DOCKERFILE).get("mock");
        assertNotNull(stage, "a mock stage in the Dockerfile");
        List<String> entrypoint = DeployFiles.execForm(DeployFiles.instruction(stage, "ENTRYPOINT"));
        assertEquals(MockMain.class.getName(), entrypoint.get(entrypoint.size() - 1));
        List<String> command = new ArrayList<>();
        mock.path("command").forEach(c -> command.add(c.asText()));
        String port = command.get(command.indexOf("--port") + 1);
        assertEquals("0.0.0.0", command.get(command.indexOf("--host") + 1), "reachable from the node containers");
        GatewayConfig node = nodeConfig("node1", services.path("node1"));
        node.providers()
                .forEach(p -> assertTrue(
                        p.baseUrl().startsWith("http://mock:" + port + "/"),
                        p.id() + " goes to the mock by default: " + p.baseUrl()));
        assertTrue(mock.path("healthcheck").path("test").toString().contains(":" + port + "/_mock/health"));
    }

    @Test
    void shouldGiveTheGatewaysOwnSecretsNoDefaultInCompose() {
        JsonNode services = DeployFiles.composeYaml(COMPOSE).path("services");
        GatewayConfig node = nodeConfig("node1", services.path("node1"));
        assertEquals("set-CROSSBAR_ADMIN_TOKEN", node.admin().token(), "compose refuses to start without one");
        assertEquals("set-CROSSBAR_CLIENT_KEY", node.clientKeys().get(0).key());
        assertTrue(
                PlaceholderSecrets.found(node).isEmpty(),
                PlaceholderSecrets.found(node).toString());
    }

    /** The compose nginx must not drift from the local template: the same proxy settings. */
    @Test
    void shouldProxyLikeTheLocalTemplate() {
        List<String> local = DeployFiles.nginxBlock(
                DeployFiles.read(ROOT.resolve("deploy/local/nginx.conf.template")), "location /");
        List<String> compose = DeployFiles.nginxBlock(DeployFiles.read(NGINX), "location /");
        assertEquals(local, compose);
        assertTrue(local.contains("proxy_next_upstream error timeout non_idempotent"));
        assertTrue(local.contains("proxy_buffering off"));
        assertTrue(local.contains("proxy_http_version 1.1"));
        assertTrue(local.contains("proxy_set_header Connection \"\""));
    }

    private static List<String> entrypoint() {
        return DeployFiles.execForm(DeployFiles.instruction(DeployFiles.finalStage(DOCKERFILE), "ENTRYPOINT"));
    }

    private static GatewayConfig nodeConfig(String name, JsonNode service) {
        String mount = null;
        for (JsonNode v : service.path("volumes")) {
            String[] parts = v.asText().split(":", -1);
            if (parts.length >= 2 && parts[1].equals(CONFIG_IN_IMAGE)) {
                mount = parts[0];
            }
        }
        assertNotNull(mount, name + " mounts its config at " + CONFIG_IN_IMAGE);
        Path file = DEPLOY.resolve(mount);
        assertTrue(Files.isRegularFile(file), name + " mounts " + file);
        return load(file, DeployFiles.environment(service));
    }

    /** Loads a node config as a container would, with the cluster key the operator must export (no fallback). */
    private static GatewayConfig load(Path file, Map<String, String> env) {
        Map<String, String> exported = new HashMap<>(env);
        String key = exported.get("CROSSBAR_CLUSTER_KEY");
        // Compose refuses to start without a required variable: DeployFiles reads one as set-NAME.
        assertTrue(key == null || key.equals("set-CROSSBAR_CLUSTER_KEY"), "no fallback cluster key: " + key);
        exported.put("CROSSBAR_CLUSTER_KEY", ClusterKey.generateText());
        return new ConfigLoader(exported::get).load(file);
    }

    private static long durationSeconds(String text) {
        if (text.endsWith("m")) {
            return Long.parseLong(text.substring(0, text.length() - 1)) * 60;
        }
        return Long.parseLong(text.replace("s", ""));
    }
}
