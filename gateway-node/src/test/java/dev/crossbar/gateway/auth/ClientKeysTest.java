package dev.crossbar.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.cluster.records.ClientKeyRecord;
import dev.crossbar.cluster.records.RecordCodec;
import dev.crossbar.cluster.seal.ClusterKey;
import dev.crossbar.cluster.seal.ClusterKeyring;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientKeysTest {

    private static final String KEY = "team-key-0123456789";
    private final ClusterKeyring keys = ClusterKeyring.of(ClusterKey.random(), List.of());
    private final List<ClientKeys.Rekey> rekeys = new ArrayList<>();

    private ClientKeyRecord record(ClusterKeyring under, String name, String key, List<String> models, KeyLimits l) {
        return new ClientKeyRecord(
                name, ClientKeys.hexDigest(under, key), under.current().id(), models, l, false);
    }

    @Test
    void shouldKnowAKeyOnlyByItsKeyedDigest() throws Exception {
        ClientKeyRecord stored = record(keys, "team", KEY, List.of("gpt-4o"), KeyLimits.UNLIMITED);
        assertFalse(stored.digest().contains(KEY));
        assertEquals(64, stored.digest().length());
        String bareSha256 = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(KEY.getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(bareSha256, stored.digest(), "not a bare SHA-256 anyone can check a guess against");
        assertNotEquals(
                stored.digest(),
                ClientKeys.hexDigest(ClusterKeyring.of(ClusterKey.random(), List.of()), KEY),
                "another cluster key, another digest");
        ClientKeys clientKeys = new ClientKeys(List.of(stored), keys, rekeys::add);
        ClientKey team = clientKeys.authenticate(KEY);
        assertEquals("team", team.name());
        assertTrue(team.allows("gpt-4o"));
        assertFalse(team.allows("claude"));
        assertNull(team.ledgerId(), "no limits, no ledger entry");
        assertNull(clientKeys.authenticate(KEY + "x"));
        assertNull(clientKeys.authenticate(""));
        assertNull(clientKeys.authenticate(null));
        assertTrue(rekeys.isEmpty());
    }

    @Test
    void shouldStillRefuseNearMissesAfterAKeyWasVerifiedOnce() {
        ClientKeys clientKeys =
                new ClientKeys(List.of(record(keys, "team", KEY, null, KeyLimits.UNLIMITED)), keys, rekeys::add);
        for (int i = 0; i < 3; i++) {
            assertEquals("team", clientKeys.authenticate(KEY).name(), "the same key, again");
            assertEquals(
                    "team",
                    clientKeys.authenticate(new String(KEY.toCharArray())).name(),
                    "an equal copy");
        }
        String sameLength = KEY.substring(0, KEY.length() - 1) + "x";
        assertNull(clientKeys.authenticate(sameLength));
        assertNull(clientKeys.authenticate(KEY.substring(1)));
        assertNull(clientKeys.authenticate(KEY + KEY));
    }

    @Test
    void shouldCountALimitedKeyUnderItsOwnLedgerEntry() {
        ClientKeys clientKeys = new ClientKeys(
                List.of(record(keys, "capped", KEY, null, new KeyLimits(10, 0, 0, 60_000))), keys, rekeys::add);
        ClientKey capped = clientKeys.authenticate(KEY);
        assertEquals("client:capped", capped.ledgerId());
        assertTrue(capped.allows("anything"), "no models listed allows all");
    }

    @Test
    void shouldAdmitNobodyWithARecordItCannotReadOrADeletedOne() {
        ClientKeyRecord broken =
                new ClientKeyRecord("broken", "not-a-digest", keys.current().id(), null, KeyLimits.UNLIMITED, false);
        ClientKeyRecord gone = ClientKeyRecord.tombstone("gone");
        ClientKeyRecord otherKey = record(
                ClusterKeyring.of(ClusterKey.random(), List.of()),
                "other",
                "other-key-01234",
                null,
                KeyLimits.UNLIMITED);
        ClientKeyRecord good = record(keys, "good", KEY, null, KeyLimits.UNLIMITED);
        ClientKeys clientKeys = new ClientKeys(List.of(broken, gone, otherKey, good), keys, rekeys::add);
        assertEquals("good", clientKeys.authenticate(KEY).name());
        assertNull(clientKeys.authenticate("not-a-digest"));
        assertNull(clientKeys.authenticate("other-key-01234"), "a digest under a key this node does not hold");
    }

    @Test
    void shouldAdmitAKeyDigestedWithThePreviousClusterKeyAndAskForTheCurrentDigest() {
        ClusterKeyring rotated = ClusterKeyring.of(ClusterKey.random(), List.of(keys.current()));
        ClientKeyRecord old = record(keys, "team", KEY, null, KeyLimits.UNLIMITED);
        ClientKeys clientKeys = new ClientKeys(List.of(old), rotated, rekeys::add);
        assertEquals("team", clientKeys.authenticate(KEY).name());
        assertEquals(1, rekeys.size());
        assertEquals("team", clientKeys.authenticate(KEY).name());
        assertEquals(2, rekeys.size(), "a previous key's match is not remembered: it asks again until rebuilt");
        rekeys.remove(1);
        assertEquals(old, rekeys.get(0).record());
        assertEquals(rotated.current().id(), rekeys.get(0).digestKey());
        assertEquals(ClientKeys.hexDigest(rotated, KEY), rekeys.get(0).digest());
    }

    @Test
    void shouldCarryTheTeamThroughTheClusterRecordAndARekey() {
        ClientKeyRecord member = new ClientKeyRecord(
                "web",
                ClientKeys.hexDigest(keys, KEY),
                keys.current().id(),
                null,
                KeyLimits.UNLIMITED,
                false,
                "search");
        RecordCodec<ClientKeyRecord> codec = new RecordCodec<>(ClientKeyRecord.FORMAT, keys);
        ClientKeyRecord read = codec.decode("web", codec.encode("web", member)).record();
        assertEquals(
                "search",
                new ClientKeys(List.of(read), keys, rekeys::add)
                        .authenticate(KEY)
                        .team());
        assertEquals("search", read.withDigest("00", 1).team(), "a rotation keeps the team");
        ClientKeyRecord solo = record(keys, "solo", KEY, null, KeyLimits.UNLIMITED);
        ClientKeyRecord soloRead =
                codec.decode("solo", codec.encode("solo", solo)).record();
        assertNull(new ClientKeys(List.of(soloRead), keys, rekeys::add)
                .authenticate(KEY)
                .team());
    }
}
