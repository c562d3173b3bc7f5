package dev.crossbar.gateway.responses;

/**
 * A Responses client codec (or its stream encoder) that keeps what it answers with, also when the answer is a
 * Responses provider's own, relayed unchanged: a model whose targets are of several protocols may serve the next
 * turn from a target that keeps nothing, where Crossbar resolves {@code previous_response_id} itself.
 */
public interface RelayedKeeper {

    /**
     * Hands the Response in {@code relayed} to the keeper: a whole answer's body, or for a stream the whole events
     * about to be relayed, of which the terminal one carries it.
     *
     * @return true when {@code relayed} held a Response to keep: what carries it waits for {@code kept}
     */
    boolean keepRelayed(byte[] relayed);
}
