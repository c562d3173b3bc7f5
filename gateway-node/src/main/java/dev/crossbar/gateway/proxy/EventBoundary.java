package dev.crossbar.gateway.proxy;

/**
 * Finds where whole SSE events end in a byte stream split anywhere, so a pass-through stream reaches
 * the client one whole event at a time: when the upstream breaks off mid-event, the client gets a clean
 * error event instead of half an event glued to it. An event ends with an empty line; lines end with
 * CR, LF or CRLF (a CRLF split across chunks counts once). Keeps two bits of state, never buffers.
 */
final class EventBoundary {

    private boolean atLineStart = true;
    private boolean afterCr;

    /**
     * Scans {@code bytes[from, to)}, which follow everything scanned before.
     *
     * @return the offset just past the last event end in the range, or -1 when no event ends in it
     */
    int scan(byte[] bytes, int from, int to) {
        int end = -1;
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b == '\n' && afterCr) {
                afterCr = false;
                if (end == i) {
                    end = i + 1; // the LF of the CRLF that ended the event belongs to it
                }
                continue;
            }
            afterCr = b == '\r';
            if (b == '\r' || b == '\n') {
                if (atLineStart) {
                    end = i + 1;
                }
                atLineStart = true;
            } else {
                atLineStart = false;
            }
        }
        return end;
    }
}
