package dev.crossbar.cluster.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A report's outcome travels as a fixed code, the one each constant's position gave it before. */
class KeyCommandWireTest {

    private static final Map<Outcome, Integer> CODES = Map.of(
            Outcome.SUCCESS, 0,
            Outcome.RATE_LIMITED, 1,
            Outcome.REJECTED, 2,
            Outcome.FAILED, 3,
            Outcome.NEUTRAL, 4,
            Outcome.OUT_OF_CREDIT, 5);

    @Test
    void shouldWriteEveryOutcomeWithItsFixedCodeAndReadItBack() throws IOException {
        assertEquals(Outcome.values().length, CODES.size(), "every outcome has a code");
        for (Map.Entry<Outcome, Integer> e : CODES.entrySet()) {
            KeyCommand.Report report = new KeyCommand.Report(e.getKey(), "node-1", 1_500, "why");
            byte[] bytes = write(report);
            assertEquals(2, bytes[0], "the report's tag");
            assertEquals(e.getValue(), (int) bytes[1], e.getKey() + "'s code");
            assertEquals(report, KeyCommand.readFrom(new DataInputStream(new ByteArrayInputStream(bytes))));
        }
    }

    @Test
    void shouldRefuseAnUnknownOutcomeCode() throws IOException {
        byte[] bytes = write(new KeyCommand.Report(Outcome.SUCCESS, "node-1", 0, null));
        bytes[1] = 9;
        IOException e = assertThrows(
                IOException.class, () -> KeyCommand.readFrom(new DataInputStream(new ByteArrayInputStream(bytes))));
        assertEquals("unknown outcome code 9", e.getMessage());
    }

    @Test
    void shouldReadTheScheduledCheckCommandsBack() throws IOException {
        for (KeyCommand command : new KeyCommand[] {
            new KeyCommand.ClaimCheck(30_000), new KeyCommand.Checked(true, "200 from GET /models")
        }) {
            assertEquals(command, KeyCommand.readFrom(new DataInputStream(new ByteArrayInputStream(write(command)))));
        }
    }

    private static byte[] write(KeyCommand command) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        command.writeTo(new DataOutputStream(out));
        return out.toByteArray();
    }
}
