package dev.crossbar.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.model.ApiError;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {

    private static final String KEY = "sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34";
    private static final String LOCAL_KEY = "vllm-local-secret";
    private final SecretScrubber scrubber = new SecretScrubber(() -> List.of(KEY, LOCAL_KEY));

    @Test
    void shouldRemoveAWholeSecretWhereverItStands() {
        String out = scrubber.scrub("Bearer " + LOCAL_KEY + " is not allowed (" + LOCAL_KEY + ")");
        assertFalse(out.contains(LOCAL_KEY), out);
        assertEquals("Bearer [redacted] is not allowed ([redacted])", out);
    }

    @Test
    void shouldRemoveAMaskedQuoteOfTheKeyAsOpenAiWordsIt() {
        String out = scrubber.scrub("Incorrect API key provided: sk-proj-****************************Mn34. You can "
                + "find your API key at https://platform.openai.com/account/api-keys.");
        assertFalse(out.contains("Mn34"), out);
        assertFalse(out.contains("sk-proj"), out);
        assertTrue(out.startsWith("Incorrect API key provided: [redacted]. You can find"), out);
    }

    @Test
    void shouldRemoveTheKeysPrefixOrSuffixAlone() {
        assertEquals("key starting [redacted] refused", scrubber.scrub("key starting vllm-loc refused"));
        assertEquals("key ending in [redacted]", scrubber.scrub("key ending in Kl12Mn34"));
        assertEquals("key [redacted] refused", scrubber.scrub("key Ab12...Mn34 refused"));
    }

    @Test
    void shouldRemoveOrganisationAndProjectIdsAndAnythingShapedLikeAKey() {
        String out = scrubber.scrub("Organization org-AbCdEf0123 in project proj_9ZyXwV has no access; key "
                + "AIzaSyD-unrelated0123456789abcdefghij and token 8f14e45fceea167a5a36dedd4bea2543 refused");
        assertEquals(
                "Organization [redacted] in project [redacted] has no access; key [redacted] and token [redacted]"
                        + " refused",
                out);
    }

    @Test
    void shouldLeaveOrdinaryWordsModelNamesAndIdsAlone() {
        String message = "The model `claude-3-5-sonnet-20241022` does not exist... Please wait, or see "
                + "https://docs.example.com/errors. **Note**: max_tokens must be <= 4096 (request req_01ab).";
        assertEquals(message, scrubber.scrub(message));
    }

    @Test
    void shouldScrubTheParamTooAndKeepTheRestOfTheError() {
        ApiError error = new ApiError(400, dev.crossbar.codecs.model.ErrorKind.INVALID_REQUEST, "bad " + KEY, KEY, 5);
        ApiError out = scrubber.scrub(error);
        assertEquals(new ApiError(400, error.kind(), "bad [redacted]", "[redacted]", 5), out);
        ApiError clean = ApiError.invalid("messages", "messages must not be empty");
        assertSame(clean, scrubber.scrub(clean));
    }

    @Test
    void shouldSeeKeysAddedAfterItWasMade() {
        List<String> secrets = new java.util.ArrayList<>();
        SecretScrubber live = new SecretScrubber(() -> secrets);
        secrets.add("added-at-run-time");
        assertEquals("got [redacted]", live.scrub("got added-at-run-time"));
    }
}
