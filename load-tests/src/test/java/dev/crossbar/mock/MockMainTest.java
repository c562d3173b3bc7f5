package dev.crossbar.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MockMainTest {

    @Test
    void shouldServeDefaultKeysOnPort9090WithoutArguments() throws Exception {
        MockConfig c = MockMain.parse(new String[0]);
        assertEquals(9090, c.port());
        assertEquals(MockConfig.defaultKeys(), c.keys());
    }

    @Test
    void shouldAnswerHelpWithUsage() throws Exception {
        assertNull(MockMain.parse(new String[] {"--help"}));
    }

    @Test
    void shouldLetPortOverrideTheConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mock.json");
        Files.writeString(file, "{\"port\":1234,\"keys\":[{\"secret\":\"k\",\"provider\":\"anthropic\"}]}");
        MockConfig c = MockMain.parse(new String[] {"--config", file.toString(), "--port", "0"});
        assertEquals(0, c.port());
        assertEquals("k", c.keys().get(0).secret());
    }

    @Test
    void shouldRejectUnknownArguments() {
        assertThrows(IllegalArgumentException.class, () -> MockMain.parse(new String[] {"--prot", "1"}));
    }
}
