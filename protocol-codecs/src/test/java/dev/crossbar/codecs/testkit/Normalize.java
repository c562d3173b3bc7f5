package dev.crossbar.codecs.testkit;

import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What any protocol with a top-level system prompt and strictly alternating user/assistant turns
 * cannot distinguish, applied to a canonical conversation:
 * <ul>
 *   <li>where a system message stood (all are hoisted, in order, into one leading SYSTEM message);</li>
 *   <li>turn boundaries between consecutive same-side messages (USER and TOOL are both the user side);</li>
 *   <li>the order of tool results and other user content inside one user turn (results go first);</li>
 *   <li>empty text parts and empty messages (never sent).</li>
 * </ul>
 * {@code keep} maps each part to what the protocol keeps of it (null: dropped); {@code userTurn}
 * finishes a merged user turn (Gemini adds a " " text to image-only turns).
 */
public final class Normalize {

    private Normalize() {}

    public static List<Message> conversation(
            List<Message> messages,
            Function<ContentPart, ContentPart> keep,
            Function<List<ContentPart>, List<ContentPart>> userTurn) {
        List<ContentPart> system = new ArrayList<>();
        List<List<ContentPart>> turns = new ArrayList<>();
        List<Boolean> userSide = new ArrayList<>();
        for (Message m : messages) {
            if (m.role() == Role.SYSTEM) {
                for (ContentPart p : m.parts()) {
                    if (p instanceof ContentPart.Text t && !t.text().isEmpty()) {
                        system.add(t);
                    }
                }
                continue;
            }
            boolean user = m.role() != Role.ASSISTANT;
            List<ContentPart> kept = new ArrayList<>();
            for (ContentPart p : m.parts()) {
                if (p instanceof ContentPart.Text t && t.text().isEmpty()) {
                    continue;
                }
                ContentPart k = keep.apply(p);
                if (k != null) {
                    kept.add(k);
                }
            }
            if (kept.isEmpty()) {
                continue;
            }
            if (!turns.isEmpty() && userSide.get(userSide.size() - 1) == user) {
                turns.get(turns.size() - 1).addAll(kept);
            } else {
                turns.add(kept);
                userSide.add(user);
            }
        }
        List<Message> out = new ArrayList<>();
        if (!system.isEmpty()) {
            out.add(new Message(Role.SYSTEM, system));
        }
        for (int i = 0; i < turns.size(); i++) {
            List<ContentPart> parts = turns.get(i);
            if (!userSide.get(i)) {
                out.add(new Message(Role.ASSISTANT, parts));
                continue;
            }
            List<ContentPart> results = new ArrayList<>();
            List<ContentPart> others = new ArrayList<>();
            for (ContentPart p : parts) {
                (p instanceof ContentPart.ToolResult ? results : others).add(p);
            }
            others = userTurn.apply(others);
            if (!results.isEmpty()) {
                out.add(new Message(Role.TOOL, results));
            }
            if (!others.isEmpty()) {
                out.add(new Message(Role.USER, others));
            }
        }
        return out;
    }

    public static ChatRequest withMessages(ChatRequest r, List<Message> messages) {
        return new ChatRequest(
                r.model(),
                messages,
                r.tools(),
                r.toolChoice(),
                r.maxTokens(),
                r.temperature(),
                r.topP(),
                r.topK(),
                r.stop(),
                r.stream(),
                r.includeUsage(),
                r.responseFormat(),
                r.parallelToolCalls(),
                r.thinkingBudget(),
                r.user(),
                List.of());
    }
}
