package dev.crossbar.deploy;

import static dev.crossbar.deploy.DeployFiles.DEPLOY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests agree with each other and with the node: names, labels and selectors, ports
 * and probes, the config in the ConfigMap (loaded with the node's own loader, with only what the pod's
 * environment and Secret provide), memory limits against the image's heap flags, and a grace period
 * longer than the node's drain.
 */
class KubernetesManifestsTest {

    private static final Path K8S = DEPLOY.resolve("k8s");
    private static final Map<String, JsonNode> BY_KIND_AND_NAME = new HashMap<>();
    private static final List<JsonNode> ALL = new ArrayList<>();

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode doc : DeployFiles.yamlDocuments(file)) {
                    String kind = doc.path("kind").asText();
                    String name = doc.path("metadata").path("name").asText();
                    assertFalse(
                            kind.isEmpty() || doc.path("apiVersion").asText().isEmpty(),
                            file + ": kind and apiVersion");
                    if (!kind.equals("Kustomization")) {
                        assertFalse(name.isEmpty(), file + ": a " + kind + " without a name");
                    }
                    BY_KIND_AND_NAME.put(kind + "/" + name, doc);
                    ALL.add(doc);
                }
            }
        }
    }

    @Test
    void shouldListEveryManifestInTheKustomization() throws IOException {
        JsonNode kustomization = ALL.stream()
                .filter(d -> d.path("kind").asText().equals("Kustomization"))
                .findFirst()
                .orElseThrow();
        Set<String> listed = new HashSet<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        try (Stream<Path> files = Files.list(K8S)) {
            Set<String> present = new HashSet<>(files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                    .toList());
            assertEquals(present, listed);
        }
        for (String kind : List.of(
                "Deployment",
                "Service",
                "ConfigMap",
                "Secret",
                "PodDisruptionBudget",
                "HorizontalPodAutoscaler",
                "NetworkPolicy")) {
            assertTrue(ALL.stream().anyMatch(d -> d.path("kind").asText().equals(kind)), "a " + kind);
        }
    }

    @Test
    void shouldSelectTheDeploymentsPodsEverywhere() {
        JsonNode deployment = get("Deployment/crossbar");
        Map<String, String> podLabels =
                labels(deployment.path("spec").path("template").path("metadata").path("labels"));
        Map<String, String> selector =
                labels(deployment.path("spec").path("selector").path("matchLabels"));
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), "the Deployment selects its own pods");
        assertSelects(podLabels, get("Service/crossbar").path("spec").path("selector"), "client Service");
        assertSelects(podLabels, get("Service/crossbar-hazelcast").path("spec").path("selector"), "headless Service");
        assertSelects(
                podLabels,
                get("PodDisruptionBudget/crossbar")
                        .path("spec")
                        .path("selector")
                        .path("matchLabels"),
                "PDB");
        assertSelects(
                podLabels,
                get("NetworkPolicy/crossbar").path("spec").path("podSelector").path("matchLabels"),
                "NetworkPolicy");
        JsonNode target = get("HorizontalPodAutoscaler/crossbar").path("spec").path("scaleTargetRef");
        assertEquals("Deployment", target.path("kind").asText());
        assertEquals("crossbar", target.path("name").asText());
        JsonNode container = container();
        assertEquals(
                "crossbar-secrets",
                container.path("envFrom").get(0).path("secretRef").path("name").asText());
        assertTrue(BY_KIND_AND_NAME.containsKey("Secret/crossbar-secrets"));
        String configMap = volume("config").path("configMap").path("name").asText();
        assertTrue(BY_KIND_AND_NAME.containsKey("ConfigMap/" + configMap), "the config volume's ConfigMap exists");
    }

    @Test
    void shouldAgreeWithTheNodesConfigOnPortsProbesAndDiscovery() {
        GatewayConfig config = nodeConfig();
        JsonNode container = container();
        assertEquals(config.node().port(), containerPort("http"), "the client port");
        assertEquals(config.cluster().port(), containerPort("hazelcast"), "the member port");
        assertEquals("0.0.0.0", config.node().host());
        assertEquals("10.1.2.3", config.cluster().host(), "the member binds to the pod's IP (POD_IP)");

        JsonNode readiness = container.path("readinessProbe").path("httpGet");
        assertEquals("/health/ready", readiness.path("path").asText());
        assertEquals(config.node().port(), port(readiness.path("port")));
        JsonNode liveness = container.path("livenessProbe").path("httpGet");
        assertEquals("/health/live", liveness.path("path").asText());
        assertEquals(config.node().port(), port(liveness.path("port")));

        JsonNode client = get("Service/crossbar").path("spec").path("ports").get(0);
        assertEquals(config.node().port(), port(client.path("targetPort")));
        JsonNode headless = get("Service/crossbar-hazelcast").path("spec");
        assertEquals("None", headless.path("clusterIP").asText(), "headless: DNS lists the pods themselves");
        assertTrue(headless.path("publishNotReadyAddresses").asBoolean(), "pods join before they are ready");
        assertEquals(config.cluster().port(), port(headless.path("ports").get(0).path("targetPort")));
        assertEquals(
                config.cluster().port(),
                headless.path("ports").get(0).path("port").asInt());
        assertEquals(
                "crossbar-hazelcast.prod.svc.cluster.local",
                config.cluster().kubernetesServiceDns(),
                "the DNS name is the headless Service's in the pod's namespace");
        assertTrue(config.cluster().members().isEmpty(), "no member list alongside DNS discovery");

        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        String mount = mountPath("config");
        String file = args.get(args.indexOf("--config") + 1);
        assertEquals(mount + "/crossbar.yaml", file, "the node reads the ConfigMap's file");
        assertEquals(
                config.node().eventLoops(),
                cpu(container.path("resources").path("requests").path("cpu").asText()),
                "one event loop per requested core");
    }

    @Test
    void shouldLetAStoppingPodDrainBeforeItIsKilled() {
        GatewayConfig config = nodeConfig();
        JsonNode pod = get("Deployment/crossbar").path("spec").path("template").path("spec");
        List<String> preStop = new ArrayList<>();
        container()
                .path("lifecycle")
                .path("preStop")
                .path("exec")
                .path("command")
                .forEach(c -> preStop.add(c.asText()));
        assertEquals("sleep", preStop.get(0), "preStop waits for endpoints to drop the pod");
        int sleep = Integer.parseInt(preStop.get(1));
        assertTrue(sleep >= 5, "long enough for kube-proxy and ingresses to notice: " + sleep);
        int grace = pod.path("terminationGracePeriodSeconds").asInt();
        long drain = config.node().drainNotice().toSeconds()
                + config.node().drainTimeout().toSeconds();
        assertTrue(
                grace > sleep + drain + 5,
                "grace " + grace + " s > preStop " + sleep + " s + drain notice and drain " + drain + " s + leaving");
        JsonNode rolling =
                get("Deployment/crossbar").path("spec").path("strategy").path("rollingUpdate");
        assertEquals(0, rolling.path("maxUnavailable").asInt(), "a new pod joins before an old one leaves");
        JsonNode pdb = get("PodDisruptionBudget/crossbar").path("spec");
        assertEquals(1, pdb.path("maxUnavailable").asInt(), "one voluntary disruption at a time");
        JsonNode hpa = get("HorizontalPodAutoscaler/crossbar").path("spec");
        assertTrue(hpa.path("minReplicas").asInt() >= 3
                && hpa.path("maxReplicas").asInt() > hpa.path("minReplicas").asInt());
        assertEquals(
                1,
                hpa.path("behavior")
                        .path("scaleDown")
                        .path("policies")
                        .get(0)
                        .path("value")
                        .asInt(),
                "scale down one member at a time");
    }

    @Test
    void shouldSizeTheMemoryLimitForTheImagesHeapFlags() {
        JsonNode resources = container().path("resources");
        long limit =
                DeployFiles.mebibytes(resources.path("limits").path("memory").asText());
        assertEquals(
                limit,
                DeployFiles.mebibytes(resources.path("requests").path("memory").asText()),
                "memory requested = limit: the JVM's heap is fixed from the limit, the scheduler must reserve it");
        List<String> entrypoint = DeployFiles.execForm(
                DeployFiles.instruction(DeployFiles.finalStage(DEPLOY.resolve("Dockerfile")), "ENTRYPOINT"));
        double percent = Double.parseDouble(DeployFiles.jvmFlag(entrypoint, "MaxRAMPercentage"));
        long direct = DeployFiles.mebibytes(
                DeployFiles.jvmFlag(entrypoint, "MaxDirectMemorySize").replace("m", "Mi"));
        long heap = (long) (limit * percent / 100);
        long nonHeap = 256;
        assertTrue(
                heap + direct + nonHeap <= limit,
                "heap " + heap + " MiB + direct " + direct + " MiB + ~" + nonHeap
                        + " MiB metaspace/threads/code must fit the " + limit + " MiB limit");
        assertTrue(heap >= 512, "a heap of at least 512 MiB: " + heap);
    }

    @Test
    void shouldKeepTheMemberPortForGatewayPodsOnly() {
        JsonNode policy = get("NetworkPolicy/crossbar").path("spec");
        Map<String, String> podLabels = labels(get("Deployment/crossbar")
                .path("spec")
                .path("template")
                .path("metadata")
                .path("labels"));
        int memberPort = nodeConfig().cluster().port();
        boolean memberRule = false;
        for (JsonNode rule : policy.path("ingress")) {
            boolean coversMemberPort = rule.path("ports").isMissingNode();
            for (JsonNode p : rule.path("ports")) {
                coversMemberPort |= p.path("port").asInt() == memberPort;
            }
            if (!coversMemberPort) {
                continue;
            }
            assertFalse(
                    rule.path("from").isMissingNode() || rule.path("from").isEmpty(),
                    "a rule opens the member port to everyone: " + rule);
            for (JsonNode from : rule.path("from")) {
                assertTrue(
                        from.path("namespaceSelector").isMissingNode()
                                && from.path("ipBlock").isMissingNode(),
                        "the member port is for this namespace's gateway pods only: " + from);
                assertSelects(podLabels, from.path("podSelector").path("matchLabels"), "member-port peer");
                assertFalse(
                        from.path("podSelector").path("matchLabels").isEmpty(), "a podSelector that selects something");
            }
            memberRule = true;
        }
        assertTrue(memberRule, "gateway pods can reach each other's member port");
        List<String> types = new ArrayList<>();
        policy.path("policyTypes").forEach(t -> types.add(t.asText()));
        assertTrue(types.contains("Ingress"));
    }

    @Test
    void shouldRunUnprivilegedAndReadTheAddressesFromTheDownwardApi() {
        JsonNode pod = get("Deployment/crossbar").path("spec").path("template").path("spec");
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
        assertFalse(container()
                .path("securityContext")
                .path("allowPrivilegeEscalation")
                .asBoolean(true));
        Map<String, String> fieldRefs = new HashMap<>();
        container()
                .path("env")
                .forEach(e -> fieldRefs.put(
                        e.path("name").asText(),
                        e.path("valueFrom").path("fieldRef").path("fieldPath").asText()));
        assertEquals("status.podIP", fieldRefs.get("POD_IP"));
        assertEquals("metadata.namespace", fieldRefs.get("POD_NAMESPACE"));
        if (container().path("securityContext").path("readOnlyRootFilesystem").asBoolean()) {
            assertEquals("/tmp", mountPath("tmp"), "a writable /tmp when the root filesystem is read-only");
        }
    }

    /**
     * The ConfigMap's config, loaded by the node's loader with only what the pod provides: the Secret's keys
     * and the container's env (downward API values stand in as a test namespace and IP). A placeholder that
     * neither provides fails here, as it would fail the pod.
     */
    private static GatewayConfig nodeConfig() {
        JsonNode configMap = get("ConfigMap/crossbar-config");
        String yaml = configMap.path("data").path("crossbar.yaml").asText();
        assertFalse(yaml.isEmpty(), "the ConfigMap holds crossbar.yaml");
        Map<String, String> env = new HashMap<>();
        get("Secret/crossbar-secrets")
                .path("stringData")
                .fields()
                .forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        container().path("env").forEach(e -> {
            String ref = e.path("valueFrom").path("fieldRef").path("fieldPath").asText();
            env.put(
                    e.path("name").asText(),
                    switch (ref) {
                        case "status.podIP" -> "10.1.2.3";
                        case "metadata.namespace" -> "prod";
                        default -> e.path("value").asText();
                    });
        });
        return new ConfigLoader(env::get).parse(yaml);
    }

    private static JsonNode get(String kindAndName) {
        JsonNode doc = BY_KIND_AND_NAME.get(kindAndName);
        assertNotNull(doc, "no " + kindAndName + " in deploy/k8s");
        return doc;
    }

    private static JsonNode container() {
        JsonNode containers = get("Deployment/crossbar")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers");
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    private static JsonNode volume(String name) {
        for (JsonNode v : get("Deployment/crossbar")
                .path("spec")
                .path("template")
                .path("spec")
                .path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    private static String mountPath(String volume) {
        for (JsonNode m : container().path("volumeMounts")) {
            if (m.path("name").asText().equals(volume)) {
                return m.path("mountPath").asText();
            }
        }
        throw new AssertionError("no mount of " + volume);
    }

    private static int containerPort(String name) {
        for (JsonNode p : container().path("ports")) {
            if (p.path("name").asText().equals(name)) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + name);
    }

    /** A port given by number or by the container port's name. */
    private static int port(JsonNode port) {
        return port.isNumber() ? port.asInt() : containerPort(port.asText());
    }

    private static int cpu(String quantity) {
        return quantity.endsWith("m")
                ? Integer.parseInt(quantity.substring(0, quantity.length() - 1)) / 1000
                : Integer.parseInt(quantity);
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> out = new HashMap<>();
        node.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
        return out;
    }

    private static void assertSelects(Map<String, String> podLabels, JsonNode selector, String what) {
        Map<String, String> wanted = labels(selector);
        assertFalse(wanted.isEmpty(), what + " selects by labels");
        assertTrue(
                podLabels.entrySet().containsAll(wanted.entrySet()),
                what + " " + wanted + " selects the pods " + podLabels);
    }
}
