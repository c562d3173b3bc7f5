package dev.crossbar.codecs.json;

import org.jspecify.annotations.Nullable;

/**
 * Where a body's one top-level {@code model} string lies (its quotes included), found while intake read the
 * body's top level, so the model can be spliced without parsing the body again. It holds for that very array
 * only: a body changed since (a field dropped, a turn resolved) is a new array, and the splice parses it.
 */
public final class ModelSpan {

    private final byte[] body;
    private final int start;
    private final int end;

    ModelSpan(byte[] body, int start, int end) {
        this.body = body;
        this.start = start;
        this.end = end;
    }

    /** The body with the model replaced, or null when {@code of} is not the array this span was found in. */
    byte @Nullable [] splice(byte[] of, String model) {
        return of == body ? TopLevelScan.splice(body, start, end, model) : null;
    }
}
