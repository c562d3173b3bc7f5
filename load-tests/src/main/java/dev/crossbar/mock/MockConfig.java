package dev.crossbar.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a {@link MockProviders} instance starts: where it listens, which keys it accepts, and its
 * initial latency and faults. Faults and revoked keys can be changed later at runtime.
 *
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 * @param eventLoops HTTP server instances (one per event loop) sharing the port
 * @param keys the accepted keys; secrets are unique
 * @param faults the plan for every key without its own
 * @param keyFaults plans that replace {@code faults} for single keys
 * @param revokedKeys configured keys refused as the provider refuses a revoked key (OpenAI and
 *     Anthropic 401, Gemini 400 {@code API_KEY_INVALID})
 * @param noCreditKeys configured keys whose account has run out of money: OpenAI 429
 *     {@code insufficient_quota}, Anthropic 400 "credit balance is too low", Gemini 429 "prepayment
 *     credits are depleted"
 * @param echoKeys configured keys whose errors quote the key back, as providers and self-hosted servers
 *     do: a plain request gets a 400 whose message holds the key whole, masked, and an organisation and
 *     project id; a stream starts and then breaks off with that message as the protocol's error event
 * @param billing how calls are charged to a key's token bucket (default {@link Billing#UPFRONT})
 * @param buckets limits counted over several keys or per model ({@link MockBucket}); not in the JSON form
 */
public record MockConfig(
        int port,
        int eventLoops,
        List<MockKey> keys,
        FaultPlan faults,
        Map<String, FaultPlan> keyFaults,
        Set<String> revokedKeys,
        Set<String> noCreditKeys,
        Set<String> echoKeys,
        Billing billing,
        List<MockBucket> buckets) {

    public static final int DEFAULT_PORT = 9090;
    public static final int DEFAULT_EVENT_LOOPS = 1;

    public MockConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535, was " + port);
        }
        if (eventLoops < 1 || eventLoops > 64) {
            throw new IllegalArgumentException("eventLoops must be within 1..64, was " + eventLoops);
        }
        keys = keys == null ? List.of() : List.copyOf(keys);
        faults = faults == null ? FaultPlan.NONE : faults;
        keyFaults = keyFaults == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(keyFaults));
        revokedKeys = revokedKeys == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(revokedKeys));
        noCreditKeys = noCreditKeys == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(noCreditKeys));
        echoKeys = echoKeys == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(echoKeys));
        billing = billing == null ? Billing.UPFRONT : billing;
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            MockKey key = keys.get(i);
            if (key == null) {
                throw new IllegalArgumentException("keys[" + i + "] must not be null");
            }
            if (!secrets.add(key.secret())) {
                throw new IllegalArgumentException(
                        "keys[" + i + "].secret must be unique, was \"" + key.secret() + "\"");
            }
        }
        for (MockBucket bucket : buckets) {
            for (String secret : bucket.keys()) {
                if (!secrets.contains(secret)) {
                    throw new IllegalArgumentException(
                            "buckets[" + bucket.name() + "].keys names an unknown key, was \"" + secret + "\"");
                }
            }
        }
        for (Map.Entry<String, FaultPlan> e : keyFaults.entrySet()) {
            if (!secrets.contains(e.getKey())) {
                throw new IllegalArgumentException("keyFaults names an unknown key, was \"" + e.getKey() + "\"");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("keyFaults[\"" + e.getKey() + "\"] must not be null");
            }
        }
        for (String secret : revokedKeys) {
            if (!secrets.contains(secret)) {
                throw new IllegalArgumentException("revokedKeys names an unknown key, was \"" + secret + "\"");
            }
        }
        for (String secret : noCreditKeys) {
            if (!secrets.contains(secret)) {
                throw new IllegalArgumentException("noCreditKeys names an unknown key, was \"" + secret + "\"");
            }
        }
        for (String secret : echoKeys) {
            if (!secrets.contains(secret)) {
                throw new IllegalArgumentException("echoKeys names an unknown key, was \"" + secret + "\"");
            }
        }
    }

    /** Ephemeral port, one event loop, these keys, no faults. */
    public static MockConfig of(MockKey... keys) {
        return new MockConfig(
                0,
                DEFAULT_EVENT_LOOPS,
                List.of(keys),
                FaultPlan.NONE,
                Map.of(),
                Set.of(),
                Set.of(),
                Set.of(),
                Billing.UPFRONT,
                List.of());
    }

    /**
     * The keys {@link MockMain} serves without a config file: {@code mock-openai-1..3},
     * {@code mock-anthropic-1..3} and {@code mock-gemini-1..3}, each 10,000 requests and
     * 10,000,000 tokens per 60 s and 1,000 in flight.
     */
    public static List<MockKey> defaultKeys() {
        List<MockKey> keys = new ArrayList<>();
        for (String provider : List.of(MockKey.OPENAI, MockKey.ANTHROPIC, MockKey.GEMINI)) {
            for (int i = 1; i <= 3; i++) {
                keys.add(new MockKey("mock-" + provider + "-" + i, provider, 10_000L, 10_000_000L, 1_000, null));
            }
        }
        return keys;
    }

    public MockConfig withPort(int value) {
        return new MockConfig(
                value, eventLoops, keys, faults, keyFaults, revokedKeys, noCreditKeys, echoKeys, billing, buckets);
    }

    public MockConfig withEventLoops(int value) {
        return new MockConfig(
                port, value, keys, faults, keyFaults, revokedKeys, noCreditKeys, echoKeys, billing, buckets);
    }

    public MockConfig withKeys(List<MockKey> value) {
        return new MockConfig(
                port, eventLoops, value, faults, keyFaults, revokedKeys, noCreditKeys, echoKeys, billing, buckets);
    }

    public MockConfig withFaults(FaultPlan value) {
        return new MockConfig(
                port, eventLoops, keys, value, keyFaults, revokedKeys, noCreditKeys, echoKeys, billing, buckets);
    }

    public MockConfig withKeyFaults(Map<String, FaultPlan> value) {
        return new MockConfig(
                port, eventLoops, keys, faults, value, revokedKeys, noCreditKeys, echoKeys, billing, buckets);
    }

    public MockConfig withRevokedKeys(Set<String> value) {
        return new MockConfig(
                port, eventLoops, keys, faults, keyFaults, value, noCreditKeys, echoKeys, billing, buckets);
    }

    public MockConfig withNoCreditKeys(Set<String> value) {
        return new MockConfig(
                port, eventLoops, keys, faults, keyFaults, revokedKeys, value, echoKeys, billing, buckets);
    }

    public MockConfig withEchoKeys(Set<String> value) {
        return new MockConfig(
                port, eventLoops, keys, faults, keyFaults, revokedKeys, noCreditKeys, value, billing, buckets);
    }

    public MockConfig withBuckets(List<MockBucket> value) {
        return new MockConfig(
                port, eventLoops, keys, faults, keyFaults, revokedKeys, noCreditKeys, echoKeys, billing, value);
    }

    public MockConfig withBilling(Billing value) {
        return new MockConfig(
                port, eventLoops, keys, faults, keyFaults, revokedKeys, noCreditKeys, echoKeys, value, buckets);
    }

    /**
     * Reads the JSON form: {@code {"port","eventLoops","keys":[MockKey...],"faults":FaultPlan,
     * "keyFaults":{"secret":FaultPlan},"revokedKeys":["secret"],"noCreditKeys":["secret"],
     * "echoKeys":["secret"],"billing":"upfront|produced"}}; every field is
     * optional.
     */
    public static MockConfig fromJson(JsonNode node) {
        JsonFields f = new JsonFields(node);
        f.only(
                "port",
                "eventLoops",
                "keys",
                "faults",
                "keyFaults",
                "revokedKeys",
                "noCreditKeys",
                "echoKeys",
                "billing");
        List<MockKey> keys = new ArrayList<>();
        JsonNode keysNode = f.get("keys");
        if (keysNode != null && !keysNode.isNull()) {
            if (!keysNode.isArray()) {
                throw new IllegalArgumentException("keys must be an array, was " + keysNode);
            }
            for (int i = 0; i < keysNode.size(); i++) {
                try {
                    keys.add(MockKey.fromJson(keysNode.get(i)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("keys[" + i + "]." + e.getMessage(), e);
                }
            }
        }
        FaultPlan faults = f.has("faults") ? prefixed("faults.", f.get("faults")) : FaultPlan.NONE;
        return new MockConfig(
                f.intOr("port", DEFAULT_PORT),
                f.intOr("eventLoops", DEFAULT_EVENT_LOOPS),
                keys,
                faults,
                keyFaultsFromJson(f.get("keyFaults")),
                keySetFromJson("revokedKeys", f.get("revokedKeys")),
                keySetFromJson("noCreditKeys", f.get("noCreditKeys")),
                keySetFromJson("echoKeys", f.get("echoKeys")),
                f.has("billing") ? Billing.fromJson(f.optString("billing")) : Billing.UPFRONT,
                List.of());
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("port", port);
        n.put("eventLoops", eventLoops);
        ArrayNode keysNode = n.putArray("keys");
        keys.forEach(k -> keysNode.add(k.toJson()));
        n.set("faults", faults.toJson());
        ObjectNode kf = n.putObject("keyFaults");
        keyFaults.forEach((k, v) -> kf.set(k, v.toJson()));
        ArrayNode revoked = n.putArray("revokedKeys");
        revokedKeys.forEach(revoked::add);
        ArrayNode noCredit = n.putArray("noCreditKeys");
        noCreditKeys.forEach(noCredit::add);
        ArrayNode echo = n.putArray("echoKeys");
        echoKeys.forEach(echo::add);
        n.put("billing", billing.jsonName());
        return n;
    }

    /** {@code keyFaults} entries; a JSON null value is kept as a null plan (meaning "remove"). */
    static Map<String, FaultPlan> keyFaultsFromJson(JsonNode node) {
        Map<String, FaultPlan> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("keyFaults must be an object, was " + node);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(
                    e.getKey(),
                    e.getValue().isNull() ? null : prefixed("keyFaults[\"" + e.getKey() + "\"].", e.getValue()));
        }
        return out;
    }

    /** A set of key secrets ({@code revokedKeys}, {@code noCreditKeys}); {@code field} names it in errors. */
    static Set<String> keySetFromJson(String field, JsonNode node) {
        Set<String> out = new LinkedHashSet<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(field + " must be an array, was " + node);
        }
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw new IllegalArgumentException(field + "[" + i + "] must be a string, was " + node.get(i));
            }
            out.add(node.get(i).textValue());
        }
        return out;
    }

    private static FaultPlan prefixed(String prefix, JsonNode node) {
        try {
            return FaultPlan.fromJson(node);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + e.getMessage(), e);
        }
    }
}
