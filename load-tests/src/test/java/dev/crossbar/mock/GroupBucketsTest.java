package dev.crossbar.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The mock's buckets over several keys, per model and per window: the referee's own arithmetic. */
class GroupBucketsTest {

    private static final long SECOND = 1_000_000;

    private final GroupBuckets groups = new GroupBuckets(List.of(
            new MockBucket(
                    "org",
                    Set.of("a", "b"),
                    null,
                    false,
                    List.of(
                            MockBucket.Window.requests(Duration.ofSeconds(1), 2),
                            MockBucket.Window.requests(Duration.ofSeconds(10), 3))),
            new MockBucket(
                    "m",
                    Set.of("a", "b", "c"),
                    Set.of("x"),
                    true,
                    List.of(new MockBucket.Window(Duration.ofSeconds(1), null, null, 100L, 10L)))));

    private GroupBuckets.Refusal admit(String key, String model, long input, long output, long now) {
        return groups.admit(key, model, input, output, now, new ArrayList<>());
    }

    @Test
    void shouldCountAnOrganisationAcrossItsKeys() {
        assertNull(admit("a", "y", 1, 1, 0));
        assertNull(admit("b", "y", 1, 1, 0));
        GroupBuckets.Refusal refused = admit("b", "y", 1, 1, 0);
        assertNotNull(refused);
        assertEquals(LimitCause.REQUESTS, refused.cause());
        assertNull(admit("c", "y", 1, 1, 0), "c is not the organisation's");
        assertEquals(1L, groups.overLimit().get("org"));
    }

    @Test
    void shouldReportTheOrganisationsShortestWindowInTheHeaders() {
        List<GroupBuckets.Taken> taken = new ArrayList<>();
        assertNull(groups.admit("a", "y", 1, 1, 0, taken));
        assertNull(groups.admit("b", "y", 1, 1, 0, taken));
        LimitSnapshot after = groups.limits(taken.get(1), 0);
        assertEquals(2L, after.requestLimit(), "the organisation's 1 s window, not a key's");
        assertEquals(0, after.requestsRemaining(), "both keys' calls counted");
        assertNull(after.tokenLimit());
        GroupBuckets.Refusal refused = admit("a", "y", 1, 1, 0);
        assertEquals(0, refused.limits().requestsRemaining(), "a refusal reports the window that refused");
        assertNull(groups.limits(GroupBuckets.Taken.NOTHING, 0), "a call on no bucket reports its key's levels");
    }

    @Test
    void shouldHoldTheLongerWindowWhenTheShortOneHasRefilled() {
        assertNull(admit("a", "y", 1, 1, 0));
        assertNull(admit("a", "y", 1, 1, 0));
        assertNull(admit("a", "y", 1, 1, 2 * SECOND));
        GroupBuckets.Refusal day = admit("a", "y", 1, 1, 3 * SECOND);
        assertNotNull(day, "the minute window has room again, the day window has not");
        assertEquals("org#PT10S", day.bucket());
    }

    @Test
    void shouldCountInputAndOutputTokensApartPerModel() {
        assertNull(admit("c", "x", 90, 5, 0));
        GroupBuckets.Refusal output = admit("c", "x", 5, 6, 0);
        assertNotNull(output, "5 + 6 output tokens is over 10");
        assertEquals(LimitCause.TOKENS, output.cause());
        assertNull(admit("c", "z", 90, 9, 0), "another model: not this bucket");
        assertEquals(1L, groups.overLimit().get("m/x"));
    }

    @Test
    void shouldGiveBackWhatAnErrorAnswerTook() {
        List<GroupBuckets.Taken> taken = new ArrayList<>();
        assertNull(groups.admit("a", "y", 1, 1, 0, taken));
        groups.refund(taken.get(0));
        assertNull(admit("a", "y", 1, 1, 0));
        assertNull(admit("b", "y", 1, 1, 0), "the refunded call left room for two");
    }
}
