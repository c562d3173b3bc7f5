package dev.crossbar.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crossbar.gateway.auth.ClientKeyDirectory.ClientKeyRecord;
import dev.crossbar.gateway.config.ClientKeyConfig;
import dev.crossbar.gateway.config.LimitsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientKeysTest {

    private static final String KEY = "team-key-0123456789";

    private static ClientKeyRecord record(String name, String key, List<String> models, LimitsConfig limits) {
        return ClientKeyRecord.of(new ClientKeyConfig(name, key, models, limits));
    }

    @Test
    void shouldKnowAKeyOnlyByItsDigest() {
        ClientKeyRecord stored = record("team", KEY, List.of("gpt-4o"), null);
        assertFalse(stored.sha256().contains(KEY));
        assertEquals(64, stored.sha256().length());
        ClientKeys keys = new ClientKeys(List.of(stored));
        ClientKey team = keys.authenticate(KEY);
        assertEquals("team", team.name());
        assertTrue(team.allows("gpt-4o"));
        assertFalse(team.allows("claude"));
        assertNull(team.ledgerId(), "no limits, no ledger entry");
        assertNull(keys.authenticate(KEY + "x"));
        assertNull(keys.authenticate(""));
        assertNull(keys.authenticate(null));
    }

    @Test
    void shouldCountALimitedKeyUnderItsOwnLedgerEntry() {
        ClientKeys keys = new ClientKeys(List.of(record("capped", KEY, null, new LimitsConfig(10L, null, null, null))));
        ClientKey capped = keys.authenticate(KEY);
        assertEquals("client:capped", capped.ledgerId());
        assertTrue(capped.allows("anything"), "no models listed allows all");
    }

    @Test
    void shouldAdmitNobodyWithARecordItCannotRead() {
        ClientKeyRecord broken = new ClientKeyRecord("broken", "not-a-digest", List.of("*"), 0, 0, 0, 60_000, false);
        ClientKeyRecord good = record("good", KEY, null, null);
        ClientKeys keys = new ClientKeys(List.of(broken, good));
        assertEquals("good", keys.authenticate(KEY).name());
        assertNull(keys.authenticate("not-a-digest"));
    }

    @Test
    void shouldCarryTheTeamAndWriteItOnlyWhenSetSoAnOlderNodeStillReadsAKeyOfNoTeam() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ClientKeyRecord teamless = record("solo", KEY, null, null);
        assertFalse(json.writeValueAsString(teamless).contains("team"), json.writeValueAsString(teamless));
        ClientKeyRecord member = ClientKeyRecord.of(new ClientKeyConfig("web", KEY, null, null, "search"));
        ClientKeyRecord read = json.readValue(json.writeValueAsString(member), ClientKeyRecord.class);
        assertEquals("search", new ClientKeys(List.of(read)).authenticate(KEY).team());
        String beforeTeams = "{\"name\":\"old\",\"sha256\":\"" + ClientKeys.hexDigest(KEY) + "\",\"models\":[\"*\"],"
                + "\"requests\":0,\"tokens\":0,\"concurrent\":0,\"windowMillis\":60000,\"deleted\":false}";
        ClientKey old = new ClientKeys(List.of(json.readValue(beforeTeams, ClientKeyRecord.class))).authenticate(KEY);
        assertEquals("old", old.name());
        assertNull(old.team());
    }
}
