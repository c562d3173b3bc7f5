package dev.crossbar.gateway.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class KeepingCodecTest {

    @Test
    void shouldFindTheResponseOfTheTerminalEvent() {
        String events = """
                event: response.output_text.done
                data: {"type":"x"}

                event: response.completed
                data: {"type":"response.completed","response":{"id":"resp_1"}}

                """;
        assertEquals("resp_1", KeepingCodec.terminalResponse(events).path("id").asText());
        assertEquals(
                "resp_2",
                KeepingCodec.terminalResponse(
                                "event: response.incomplete\ndata: {\"response\":{\"id\":\"resp_2\"}}\n\n")
                        .path("id")
                        .asText());
    }

    @Test
    void shouldFindNothingInAFailedStream() {
        assertNull(KeepingCodec.terminalResponse("event: response.failed\ndata: {\"response\":{\"id\":\"r\"}}\n\n"));
    }
}
