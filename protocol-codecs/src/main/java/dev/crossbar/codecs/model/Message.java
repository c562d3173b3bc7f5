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
}
