package dev.crossbar.codecs.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.SignatureEnvelope;
import dev.crossbar.codecs.model.Tool;
import dev.crossbar.codecs.model.ToolChoice;
import dev.crossbar.codecs.testkit.Canon;
import dev.crossbar.codecs.testkit.CanonicalGen;
import dev.crossbar.codecs.testkit.Normalize;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Canonical -> Anthropic upstream request -> Anthropic client decode gives the request back, up to what
 * the Messages API cannot tell apart (see {@link #normalize}); likewise for replies the other way.
 */
class AnthropicRoundTripProperties {

    private static final CanonicalGen.Features FEATURES = new CanonicalGen.Features(true, false, false);

    private final AnthropicUpstreamCodec upstream = new AnthropicUpstreamCodec();
    private final AnthropicClientCodec client = new AnthropicClientCodec();

    @Provide
    Arbitrary<ChatRequest> requests() {
        return CanonicalGen.requests(FEATURES);
    }

    @Provide
    Arbitrary<ChatResponse> responses() {
        return CanonicalGen.responses(FEATURES);
    }

    @Property(tries = 500)
    void shouldRoundTripRequestsThroughUpstreamEncodeAndClientDecode(@ForAll("requests") ChatRequest original)
            throws Exception {
        byte[] wire = upstream.encodeRequest(original, original.model()).body();
        ChatRequest back = client.decodeRequest(Json.MAPPER.readTree(wire), null, false);
        assertEquals(
                Canon.render(normalize(original)),
                Canon.render(back),
                new String(wire, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Property(tries = 500)
    void shouldRoundTripResponsesThroughClientEncodeAndUpstreamDecode(@ForAll("responses") ChatResponse original) {
        byte[] wire = client.encodeResponse(original, ChatRequest.builder("m").build());
        ChatResponse back = upstream.decodeResponse(wire);
        assertEquals(Canon.render(normalize(original)), Canon.render(back));
    }

    /**
     * Besides the conversation shape ({@link Normalize}): Anthropic keeps only the thinking it signed (it
     * rejects unsigned reasoning and other families' signatures); a tool_result carries no function name; a missing max_tokens gets the default; tool choice travels only
     * with tools, and parallel calls only as disable_parallel_tool_use; a tool without a schema gets an
     * empty object schema; includeUsage has no Anthropic form.
     */
    static ChatRequest normalize(ChatRequest r) {
        List<Message> messages = Normalize.conversation(
                r.messages(),
                p -> {
                    if (p instanceof ContentPart.Thinking th) {
                        return th.signedBy(Issuer.ANTHROPIC) ? th : null;
                    }
                    if (p instanceof ContentPart.RedactedThinking rt) {
                        return rt.issuer() == Issuer.ANTHROPIC ? rt : null;
                    }
                    if (p instanceof ContentPart.ToolResult tr) {
                        return new ContentPart.ToolResult(tr.toolCallId(), null, tr.content(), tr.isError());
                    }
                    return p;
                },
                others -> others);
        boolean thinking = r.thinkingBudget() != null && r.thinkingBudget() > 0;
        int maxTokens = r.maxTokens() != null
                ? r.maxTokens()
                : thinking
                        ? r.thinkingBudget() + AnthropicRequestWriter.DEFAULT_MAX_TOKENS
                        : AnthropicRequestWriter.DEFAULT_MAX_TOKENS;
        List<Tool> tools = new ArrayList<>();
        for (Tool t : r.tools()) {
            ObjectNode empty = Json.NODES.objectNode().put("type", "object");
            empty.putObject("properties");
            tools.add(new Tool(t.name(), t.description(), t.parameters() != null ? t.parameters() : empty));
        }
        ToolChoice choice = null;
        Boolean parallel = null;
        if (!tools.isEmpty()) {
            boolean disable = Boolean.FALSE.equals(r.parallelToolCalls());
            choice = r.toolChoice() != null ? r.toolChoice() : disable ? ToolChoice.AUTO : null;
            parallel = (disable && choice.mode() != ToolChoice.Mode.NONE) ? Boolean.FALSE : null;
        }
        return new ChatRequest(
                r.model(),
                messages,
                tools,
                choice,
                maxTokens,
                r.temperature(),
                r.topP(),
                r.topK(),
                r.stop(),
                r.stream(),
                false,
                null,
                parallel,
                thinking ? r.thinkingBudget() : null,
                r.user(),
                List.of());
    }

    /**
     * Empty text is never a block; another family's signature (and redacted thinking) comes back sealed, read
     * as Anthropic's own; "tool_use" without a tool call and OTHER (sent as end_turn) read back as STOP.
     */
    static ChatResponse normalize(ChatResponse r) {
        List<ContentPart> content = new ArrayList<>();
        boolean calls = false;
        for (ContentPart p : r.content()) {
            if (p instanceof ContentPart.Text t && t.text().isEmpty()) {
                continue;
            }
            if (p instanceof ContentPart.Thinking th && th.signature() != null) {
                p = new ContentPart.Thinking(
                        th.text(),
                        SignatureEnvelope.seal(th.issuer(), false, th.signature(), Issuer.ANTHROPIC, false),
                        Issuer.ANTHROPIC);
            } else if (p instanceof ContentPart.RedactedThinking rt) {
                p = new ContentPart.RedactedThinking(
                        SignatureEnvelope.seal(rt.issuer(), true, rt.data(), Issuer.ANTHROPIC, true), Issuer.ANTHROPIC);
            }
            calls |= p instanceof ContentPart.ToolCall;
            content.add(p);
        }
        FinishReason finish = r.finishReason();
        if (finish == FinishReason.OTHER || (finish == FinishReason.TOOL_CALLS && !calls)) {
            finish = FinishReason.STOP;
        }
        return new ChatResponse(r.id(), r.model(), content, finish, r.stopSequence(), r.usage(), 0);
    }
}
