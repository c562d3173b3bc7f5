package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.BuiltinTool;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinToolsTest {

    @Test
    void shouldNameEachDroppedTypeOnce() {
        assertEquals(
                "web_search,web_search_call,googleSearch",
                BuiltinTools.dropped(List.of(
                        new BuiltinTool("web_search", "tools[7]"),
                        new BuiltinTool("web_search_call", "input[2]"),
                        new BuiltinTool("web_search", "tool_choice"),
                        new BuiltinTool("googleSearch", "tools[0].googleSearch"))));
    }

    @Test
    void shouldKeepAHostileTypeFromBreakingTheHeader() {
        List<BuiltinTool> tools = new ArrayList<>();
        tools.add(new BuiltinTool("web\r\nset-cookie: x=1", "tools[0]"));
        tools.add(new BuiltinTool("x".repeat(500), "tools[1]"));
        for (int i = 0; i < 40; i++) {
            tools.add(new BuiltinTool("t" + i, "tools[" + (i + 2) + "]"));
        }
        String header = BuiltinTools.dropped(tools);
        assertTrue(header.matches("[A-Za-z0-9_.,-]+"), header);
        assertTrue(header.startsWith("web__set-cookie__x_1,"), header);
        assertEquals(BuiltinTools.MAX_NAMED, header.split(",", -1).length);
        assertEquals(BuiltinTools.MAX_NAME_CHARS, header.split(",", -1)[1].length());
    }

    @Test
    void shouldRefuseNamingTheFirstToolsField() {
        ApiError e = BuiltinTools.refusal(
                List.of(new BuiltinTool("web_search_20250305", "tools[3]"), new BuiltinTool("bash", "tools[4]")),
                "strict-model");
        assertEquals(400, e.status());
        assertEquals("tools[3]", e.param());
        assertTrue(e.message().contains("'web_search_20250305'") && e.message().contains("strict-model"), e.message());
    }
}
