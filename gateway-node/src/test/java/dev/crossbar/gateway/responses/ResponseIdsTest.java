package dev.crossbar.gateway.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResponseIdsTest {

    @Test
    void shouldNameTheResponseOfAnItem() {
        assertEquals("resp_mock662", ResponseIds.responseOf("msg_mock662_0"));
        assertEquals("resp_01AB_cd", ResponseIds.responseOf("fc_01AB_cd_12"));
        assertEquals("resp_x", ResponseIds.responseOf("rs_x_3"));
    }

    @Test
    void shouldNotGuessForIdsThatAreNotOurs() {
        assertNull(ResponseIds.responseOf("msg_abc"));
        assertNull(ResponseIds.responseOf("msg__1"));
        assertNull(ResponseIds.responseOf("msg_abc_"));
        assertNull(ResponseIds.responseOf("msg_abc_x1"));
        assertNull(ResponseIds.responseOf("_abc_1"));
    }

    @Test
    void shouldRefuseIdsThatCannotBeKeys() {
        assertTrue(ResponseIds.plausible("resp_abc-1"));
        assertFalse(ResponseIds.plausible("resp_a\nb"));
        assertFalse(ResponseIds.plausible(""));
        assertFalse(ResponseIds.plausible("x".repeat(257)));
    }
}
