package dev.crossbar.gateway.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.spi.Forwarded;
import dev.crossbar.codecs.spi.StreamFilter;
import dev.crossbar.codecs.spi.UpstreamRequest;
import dev.crossbar.gateway.config.BuiltinToolPolicy;
import dev.crossbar.gateway.routing.Target;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a call goes to each target (DESIGN.md 3): to a provider of the client's own protocol as the client sent
 * it (the model and the field policy aside), translated for any other. The body is decoded to the canonical
 * model the first time a translating target is tried, and only then; a body that cannot be translated (a field
 * the codecs do not carry, or a built-in tool the model will not drop) keeps the call to the targets that get it
 * unchanged. One per call, on its event loop.
 */
final class Translation {

    /**
     * The call made ready for one target.
     *
     * @param model        the model the request names, as the target's provider knows it (an Azure deployment)
     * @param passthrough  true when the body goes as the client sent it
     * @param streamFilter takes out of a stream passed through what the gateway asked for on its own account,
     *                     or null
     * @param droppedTools the built-in tools a translated call goes without, comma-separated, or null
     * @param droppedFields the fields the field policy took out of a body passed through, comma-separated, or null
     */
    record Prepared(
            UpstreamRequest request,
            String model,
            boolean passthrough,
            @Nullable StreamFilter streamFilter,
            @Nullable String droppedTools,
            @Nullable String droppedFields) {}

    private final Call call;
    private final FieldPolicy fieldPolicy;
    private @Nullable ChatRequest canonical;
    /** The body parsed already, until it is decoded; null when intake built no tree. */
    private @Nullable ObjectNode tree;

    private boolean decodeTried;
    /** Why no translating target can take the call, once known; null while they can. */
    private @Nullable ApiError untranslatable;

    /** @param tree the body as a tree when intake built one, else null */
    Translation(Call call, @Nullable ObjectNode tree, FieldPolicy fieldPolicy) {
        this.call = call;
        this.tree = tree;
        this.fieldPolicy = fieldPolicy;
    }

    /** Why the call cannot go to {@code target}, or null when it can. Decodes the body the first time it must. */
    @Nullable
    ApiError refusalFor(Target target) {
        if (call.passesThrough(target)) {
            return null;
        }
        decode();
        return untranslatable;
    }

    /**
     * The upstream request for {@code target}, which {@link #refusalFor} accepted.
     *
     * @throws CodecException with a 400 naming the field when the field policy refuses the body, or the target's
     *                        codec cannot express the request
     */
    Prepared prepare(Target target) {
        String model = target.upstream().wireModel(target.model());
        if (call.passesThrough(target)) {
            FieldPolicy.Applied applied = fieldPolicy.apply(call, target);
            Forwarded forwarded =
                    target.upstream().codec().forward(call.endpoint(), applied.body(), call.facts(), model);
            return new Prepared(forwarded.request(), model, true, forwarded.streamFilter(), null, applied.dropped());
        }
        decode();
        if (untranslatable != null) {
            throw new CodecException(untranslatable);
        }
        ChatRequest decoded = Objects.requireNonNull(canonical, "decode sets canonical when it sets no untranslatable");
        UpstreamRequest encoded = target.upstream().codec().encodeRequest(decoded, model);
        return new Prepared(
                encoded,
                model,
                false,
                null,
                decoded.builtinTools().isEmpty() ? null : BuiltinTools.dropped(decoded.builtinTools()),
                null);
    }

    /** The canonical request, decoded now if it was not yet; null when the body cannot be decoded. */
    @Nullable
    ChatRequest canonical() {
        decode();
        return canonical;
    }

    /**
     * The request a client stream encoder is made for: the canonical one when it was decoded, else one that holds
     * what intake read (a stream passed through uses its encoder only for a closing error event).
     */
    ChatRequest forEncoder() {
        if (canonical != null) {
            return canonical;
        }
        return ChatRequest.builder(call.facts().model()).messages(List.of()).stream(call.facts().stream())
                .includeUsage(call.facts().includeUsage())
                .maxTokens(call.facts().maxTokens())
                .build();
    }

    private void decode() {
        if (decodeTried) {
            return;
        }
        decodeTried = true;
        try {
            ObjectNode body = tree != null ? tree : Json.parseObject(call.body());
            tree = null;
            canonical = call.codec()
                    .decodeRequest(body, call.asked().pathModel(), call.asked().pathStream());
        } catch (CodecException e) {
            untranslatable = e.error();
            return;
        }
        if (!canonical.builtinTools().isEmpty() && call.route().builtinTools() == BuiltinToolPolicy.REFUSE) {
            // Only a provider of the client's own protocol gets the built-in tools, in the body as sent.
            untranslatable =
                    BuiltinTools.refusal(canonical.builtinTools(), call.route().name());
        }
    }
}
