package dev.crossbar.codecs.responses;

import dev.crossbar.codecs.json.JsonOutput;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import java.util.ArrayList;
import java.util.List;

/** A whole canonical reply as a Response object: consecutive parts of one kind make one output item. */
final class ResponseEncoder {

    private ResponseEncoder() {}

    static byte[] encode(ChatResponse response, ChatRequest request, String id, String model, long createdAt) {
        String base = ResponsesIds.base(id);
        List<OutputItem> output = new ArrayList<>();
        OutputItem current = null;
        for (ContentPart p : response.content()) {
            if (p instanceof ContentPart.Text t) {
                if (t.text().isEmpty()) {
                    continue; // as in a stream, where an empty delta announces nothing
                }
                if (current == null || current.kind != OutputItem.Kind.MESSAGE) {
                    current = done(output, OutputItem.message(base, output.size()));
                }
                current.text.append(t.text());
            } else if (p instanceof ContentPart.Thinking th) {
                if (current == null || current.kind != OutputItem.Kind.REASONING || current.encryptedContent != null) {
                    current = done(output, OutputItem.reasoning(base, output.size()));
                }
                current.text.append(th.text());
                if (th.signature() != null) {
                    current.sign(th.issuer(), false, th.signature());
                }
            } else if (p instanceof ContentPart.RedactedThinking r) {
                current = done(output, OutputItem.reasoning(base, output.size()));
                current.sign(r.issuer(), true, r.data());
            } else if (p instanceof ContentPart.ToolCall c) {
                current = done(output, OutputItem.functionCall(base, output.size(), c.id(), c.name(), request.tools()));
                current.text.append(c.argumentsJson());
            }
        }
        String status = ResponseObjectWriter.status(response.finishReason());
        if (ResponseObjectWriter.INCOMPLETE.equals(status) && !output.isEmpty()) {
            output.get(output.size() - 1).incomplete = true;
        }
        return JsonOutput.bytes(g -> ResponseObjectWriter.write(
                g,
                ResponsesIds.responseId(id),
                createdAt,
                model,
                request,
                status,
                output,
                response.finishReason(),
                response.usage(),
                null));
    }

    private static OutputItem done(List<OutputItem> output, OutputItem item) {
        item.done = true;
        output.add(item);
        return item;
    }
}
