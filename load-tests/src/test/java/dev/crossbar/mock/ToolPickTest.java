package dev.crossbar.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToolPickTest {

    static final List<ReplyRequest.Tool> TOOLS = List.of(
            new ReplyRequest.Tool("Agent", OpenAiMockTest.parse("{\"type\":\"object\"}")),
            new ReplyRequest.Tool("Read", OpenAiMockTest.parse("{\"type\":\"object\"}")));

    @Test
    void shouldCallTheFirstToolWithoutADirective() {
        assertEquals("Agent", ToolPick.choose(TOOLS, null, "hello").name());
    }

    @Test
    void shouldAnswerAnAgentsManyToolsWithTextUnlessToldOrForced() {
        List<ReplyRequest.Tool> many = new java.util.ArrayList<>();
        for (int i = 0; i <= ToolPick.AUTO_CALL_MAX_TOOLS; i++) {
            many.add(new ReplyRequest.Tool("t" + i, null));
        }
        assertNull(ToolPick.choose(many, null, "hello"));
        assertEquals("t3", ToolPick.choose(many, "t3", "hello").name());
        assertEquals("t4", ToolPick.choose(many, null, "mock:call t4").name());
    }

    @Test
    void shouldCallTheToolThatToolChoiceForces() {
        assertEquals("Read", ToolPick.choose(TOOLS, "Read", "hello").name());
    }

    @Test
    void shouldCallTheDictatedToolWithTheDictatedArguments() {
        ReplyRequest.Tool t = ToolPick.choose(
                TOOLS, "Agent", "<reminder>x</reminder>\nplease mock:call Read {\"file_path\":\"a b.txt\"} now\nmore");
        assertEquals("Read", t.name());
        assertEquals("{\"file_path\":\"a b.txt\"}", Json.write(t.arguments()));
    }

    @Test
    void shouldLeaveArgumentsToTheSchemaWhenTheDirectiveHasNone() {
        ReplyRequest.Tool t = ToolPick.choose(TOOLS, null, "mock:call Read\n{\"not\":\"these\"}");
        assertEquals("Read", t.name());
        assertNull(t.arguments());
    }

    @Test
    void shouldAnswerTextWhenToldToOrWhenTheDictatedToolIsNotOffered() {
        assertNull(ToolPick.choose(TOOLS, null, "just say hi mock:text"));
        assertNull(ToolPick.choose(TOOLS, null, "mock:call Bash {\"command\":\"ls\"}"));
        assertNull(ToolPick.choose(List.of(), null, "hello"));
    }
}
