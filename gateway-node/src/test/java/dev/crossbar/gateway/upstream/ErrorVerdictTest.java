package dev.crossbar.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.ledger.Outcome;
import dev.crossbar.codecs.anthropic.AnthropicUpstreamCodec;
import dev.crossbar.codecs.gemini.GeminiUpstreamCodec;
import dev.crossbar.codecs.openai.OpenAiDialect;
import dev.crossbar.codecs.openai.OpenAiUpstreamCodec;
import dev.crossbar.codecs.spi.UpstreamCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorVerdictTest {

    private static final UpstreamCodec OPENAI = new OpenAiUpstreamCodec(OpenAiDialect.OPENAI);
    private static final UpstreamCodec ANTHROPIC = new AnthropicUpstreamCodec();
    private static final UpstreamCodec GEMINI = new GeminiUpstreamCodec();

    private static ErrorVerdict judge(UpstreamCodec codec, int status, String body, long headerRetryAfter) {
        return ErrorVerdict.of(
                codec.decodeError(status, body.getBytes(StandardCharsets.UTF_8)), headerRetryAfter, "prov");
    }

    @Test
    void shouldDisableAGeminiKeyTheProviderCallsInvalidAndNeverShowTheClientWhy() {
        ErrorVerdict v = judge(GEMINI, 400, """
                {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
                 "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}""", -1);
        assertTrue(v.failOver());
        assertEquals(Outcome.REJECTED, v.keyOutcome());
        assertEquals("key refused: 400 API_KEY_INVALID from prov", v.reason());
        assertEquals(503, v.clientError().status());
        assertFalse(
                v.clientError().message().contains("API key not valid"),
                v.clientError().message());
    }

    @Test
    void shouldCoolAnOpenAiKeyWithoutQuotaDownForLongInsteadOfTreatingItAsARateLimit() {
        ErrorVerdict v = judge(OPENAI, 429, """
                {"error":{"message":"You exceeded your current quota, please check your plan and billing details.",
                 "type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""", 1_000);
        assertEquals(Outcome.OUT_OF_CREDIT, v.keyOutcome());
        assertEquals(-1, v.retryAfterMillis(), "no wait the provider names ends an empty account");
        assertEquals("out of credit: 429 insufficient_quota from prov", v.reason());
        assertFalse(v.clientError().message().contains("quota"), v.clientError().message());
    }

    @Test
    void shouldCoolAnAnthropicKeyWithTooLowACreditBalanceDownAndFailOver() {
        ErrorVerdict v = judge(ANTHROPIC, 400, """
                {"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}""", -1);
        assertEquals(Outcome.OUT_OF_CREDIT, v.keyOutcome());
        assertTrue(v.failOver());
        assertFalse(
                v.clientError().message().contains("credit"), v.clientError().message());
    }

    @Test
    void shouldCoolARateLimitedKeyDownForTheHeadersDelayAndTellTheClientThatDelay() {
        ErrorVerdict v = judge(
                OPENAI,
                429,
                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}",
                7_000);
        assertEquals(Outcome.RATE_LIMITED, v.keyOutcome());
        assertEquals(7_000, v.retryAfterMillis());
        assertEquals(7_000, v.clientError().retryAfterMs());
        assertEquals("429 from prov", v.reason());
    }

    @Test
    void shouldTakeGeminisRetryInfoWhenNoHeaderSaysMore() {
        ErrorVerdict v = judge(GEMINI, 429, """
                {"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED",
                 "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"3s"}]}}""", -1);
        assertEquals(Outcome.RATE_LIMITED, v.keyOutcome());
        assertEquals(3_000, v.retryAfterMillis());
    }

    @Test
    void shouldBackAFaultyProviderOffAndTryElsewhere() {
        ErrorVerdict v = judge(ANTHROPIC, 529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}", -1);
        assertEquals(Outcome.FAILED, v.keyOutcome());
        assertEquals("529 from prov", v.reason());
    }

    @Test
    void shouldLetTheClientHearWhatIsWrongWithItsOwnRequest() {
        ErrorVerdict v = judge(
                OPENAI,
                400,
                "{\"error\":{\"message\":\"max_tokens is too large\",\"type\":\"invalid_request_error\",\"param\":\"max_tokens\"}}",
                -1);
        assertFalse(v.failOver());
        assertEquals(Outcome.NEUTRAL, v.keyOutcome());
        assertEquals(400, v.clientError().status());
        assertEquals("max_tokens is too large", v.clientError().message());
        assertEquals("max_tokens", v.clientError().param());
    }

    @Test
    void shouldKeepAHostileCodeOutOfTheReason() {
        ErrorVerdict v = judge(
                OPENAI,
                401,
                "{\"error\":{\"message\":\"no\",\"code\":\"invalid_api_key\\n<script>sk-secret</script>\"}}",
                -1);
        assertEquals(Outcome.REJECTED, v.keyOutcome());
        assertFalse(v.reason().contains("<"), v.reason());
        assertFalse(v.reason().contains("\n"), v.reason());
    }
}
