package dev.crossbar.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RepliesTest {

    static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":[\"string\",\"null\"]},"
            + "\"n\":{\"type\":\"NUMBER\"},\"b\":{\"type\":\"boolean\"},\"o\":{\"type\":\"array\"}},"
            + "\"required\":[\"s\",\"n\",\"b\",\"o\",\"missing\"]}";

    @Test
    void shouldSplitWordsBeforeEachSpaceKeepingTheSpaces() {
        assertEquals(List.of("echo:", " hello", " world"), Replies.words("echo: hello world"));
        assertEquals(List.of("a", " ", " b"), Replies.words("a  b"));
        assertEquals(List.of(), Replies.words(""));
    }

    @Test
    void shouldFillRequiredArgumentsByType() {
        assertEquals(
                "{\"s\":\"txt\",\"n\":0,\"b\":false}",
                Json.write(Replies.arguments(OpenAiMockTest.parse(SCHEMA), "txt")));
    }

    @Test
    void shouldPadTextToTheRequestedChunkCount() {
        Reply.Text r = (Reply.Text) Replies.reply(new ReplyRequest(2, "hi", null, null, null), 10);
        assertEquals(10, r.chunks().size());
        assertEquals(String.join("", r.chunks()), r.text());
        assertEquals(Replies.tokens(r.text().length()), r.outputTokens());
    }

    @Test
    void shouldTruncateToolArgumentsAndEmptyTheirObject() {
        ReplyRequest rq =
                new ReplyRequest(4, "some text", null, new ReplyRequest.Tool("t", OpenAiMockTest.parse(SCHEMA)), 2L);
        Reply.ToolCall call = (Reply.ToolCall) Replies.reply(rq, 0);
        assertTrue(call.truncated());
        assertEquals(8, call.arguments().length());
        assertTrue(call.input().isEmpty());
        assertEquals(2, call.outputTokens());
        assertEquals(call.arguments(), String.join("", call.fragments()));
    }

    @Test
    void shouldPreferToolResultOverToolCall() {
        ReplyRequest rq = new ReplyRequest(4, "q", "42", new ReplyRequest.Tool("t", null), null);
        assertEquals("tool said: 42", ((Reply.Text) Replies.reply(rq, 0)).text());
    }

    @Test
    void shouldCallWithDictatedArgumentsInsteadOfSchemaOnes() {
        ReplyRequest.Tool tool = new ReplyRequest.Tool(
                "t", OpenAiMockTest.parse(SCHEMA), OpenAiMockTest.parse("{\"path\":\"notes.txt\"}"));
        Reply.ToolCall call = (Reply.ToolCall) Replies.reply(new ReplyRequest(4, "q", null, tool, null), 0);
        assertEquals("{\"path\":\"notes.txt\"}", call.arguments());
    }

    @Test
    void shouldAnswerJsonOfTheRequestedSchemaUnpadded() {
        String schema = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
                + "\"kind\":{\"enum\":[\"a\",\"b\"]},\"n\":{\"type\":\"INTEGER\"},\"tags\":{\"type\":\"array\","
                + "\"items\":{\"type\":\"string\"},\"minItems\":1},\"opt\":{\"anyOf\":[{\"type\":\"boolean\"}]},"
                + "\"inner\":{\"properties\":{\"x\":{\"type\":[\"null\",\"number\"]}}}}}";
        ReplyRequest rq = new ReplyRequest(4, "Ada", null, null, null, OpenAiMockTest.parse(schema));
        Reply.Text r = (Reply.Text) Replies.reply(rq, 10);
        assertEquals(
                "{\"name\":\"Ada\",\"kind\":\"a\",\"n\":0,\"tags\":[\"Ada\"],\"opt\":false,\"inner\":{\"x\":0}}",
                r.text());
        assertEquals(r.text(), String.join("", r.chunks()));
        Reply.Text anyObject =
                (Reply.Text) Replies.reply(new ReplyRequest(4, "Ada", null, null, null, Json.object()), 0);
        assertEquals("{}", anyObject.text());
    }

    @Test
    void shouldRoundTokensUp() {
        assertEquals(0, Replies.tokens(0));
        assertEquals(1, Replies.tokens(1));
        assertEquals(1, Replies.tokens(4));
        assertEquals(2, Replies.tokens(5));
    }
}
