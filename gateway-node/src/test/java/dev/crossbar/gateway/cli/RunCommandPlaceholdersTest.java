package dev.crossbar.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandPlaceholdersTest {

    @Test
    void shouldRefuseToStartWithTheDemosTokenAndSayWhatToDo(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("node.yaml");
        Files.writeString(config, """
                admin: { token: crossbar-admin }
                clientKeys: [ { name: a, key: replace-me-client-key } ]
                """);
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = RunCommand.run(new Args(new String[] {"run", "--config", config.toString()}, 1, List.of()));
        } finally {
            System.setErr(before);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, said);
        assertTrue(said.contains("admin.token, clientKeys[0].key"), said);
        assertTrue(said.contains("the node did not start; put secrets of your own there"), said);
        assertTrue(!said.contains("replace-me-client-key"), "the value itself is not repeated: " + said);
    }
}
