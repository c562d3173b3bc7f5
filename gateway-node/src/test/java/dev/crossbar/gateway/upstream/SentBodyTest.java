package dev.crossbar.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SentBodyTest {

    @Test
    void shouldHoldTheBodysBytesOverItsOwnArray() {
        byte[] body = "{\"model\":\"m\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        Buffer sent = SentBody.of(body);
        assertEquals(body.length, sent.length());
        assertArrayEquals(body, sent.getBytes());
        body[2] = 'M';
        assertEquals('M', sent.getByte(2), "the array itself, not a copy of it");
        assertEquals(0, SentBody.of(new byte[0]).length());
    }
}
