package dev.crossbar.mock;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure OpenAI under {@code /openai}: the dated API ({@code /openai/deployments/{deployment}/chat/completions} and
 * {@code /embeddings}, {@code /openai/responses}, each with {@code ?api-version=}) and the v1 API
 * ({@code /openai/v1/chat/completions}, {@code /embeddings}, {@code /responses}). Keys are {@code azure} keys sent
 * in {@code api-key}, or Entra ID tokens from {@link EntraTokenMock} sent as a bearer. Bodies, headers and errors
 * are OpenAI's, as Azure's are.
 */
final class AzureOpenAiMock {

    static final String PREFIX = "/openai/";
    private static final Pattern DEPLOYMENT =
            Pattern.compile("/openai/deployments/([^/]+)(/chat/completions|/embeddings)");

    private final OpenAiMock openAi;
    private final OpenAiResponsesMock responses;

    AzureOpenAiMock(KeyRegistry keys, RuntimeFaults faults, Delivery delivery, Ids ids, CloudTokens tokens) {
        CloudCredentials azure = new CloudCredentials(MockKey.AZURE, tokens, true);
        this.openAi = new OpenAiMock(keys, faults, delivery, ids, azure);
        this.responses = new OpenAiResponsesMock(keys, faults, delivery, ids, openAi, azure);
    }

    void handle(HttpServerRequest req, Buffer body) {
        String path = req.path();
        if (!HttpMethod.POST.equals(req.method())) {
            openAi.notFound(req);
            return;
        }
        Matcher deployment = DEPLOYMENT.matcher(path);
        boolean dated = req.getParam("api-version") != null;
        if (deployment.matches() && dated) {
            operation(deployment.group(2), req, body);
        } else if ("/openai/responses".equals(path) && dated) {
            responses.respond(req, body);
        } else if (path.startsWith("/openai/v1/")) {
            operation(path.substring("/openai/v1".length()), req, body);
        } else {
            openAi.notFound(req);
        }
    }

    private void operation(String operation, HttpServerRequest req, Buffer body) {
        switch (operation) {
            case "/chat/completions" -> openAi.chat(req, body);
            case "/embeddings" -> openAi.embeddings(req, body);
            case "/responses" -> responses.respond(req, body);
            default -> openAi.notFound(req);
        }
    }
}
