package dev.crossbar.codecs.model;

import java.util.List;
import java.util.Objects;

/** One turn of a conversation. */
public record Message(Role role, List<ContentPart> parts) {

    public Message {
        Objects.requireNonNull(role, "role");
        parts = List.copyOf(parts);
    }

    public static Message text(Role role, String text) {
        return new Message(role, List.of(new ContentPart.Text(text)));
    }

    /** The concatenated text parts, for protocols and estimates that only need text. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (ContentPart part : parts) {
            if (part instanceof ContentPart.Text t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    /**
     * Adds the non-empty text parts of this system message to {@code into}, for upstreams that keep system
     * text apart from the turns; any other part is refused, as {@code targetProtocol} cannot carry it.
     */
    public void addSystemTexts(List<ContentPart.Text> into, String param, String targetProtocol) {
        for (ContentPart p : parts) {
            if (!(p instanceof ContentPart.Text t)) {
                throw CodecException.unsupported(param, targetProtocol, "a non-text system message part");
            }
            if (!t.text().isEmpty()) {
                into.add(t);
            }
        }
    }
}
