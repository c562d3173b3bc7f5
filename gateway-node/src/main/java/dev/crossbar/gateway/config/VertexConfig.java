package dev.crossbar.gateway.config;

import org.jspecify.annotations.Nullable;

/**
 * Where a {@code vertex} provider's models live. Each key's secret is a service account's JSON key
 * (write {@code ${file:/path/key.json}}).
 *
 * @param publisher {@code google} (Gemini through generateContent, the default) or {@code anthropic} (Claude
 *                  through rawPredict): one provider speaks one publisher's API
 * @param tokenUrl  where the signed JWT is exchanged for an access token; default the key's {@code token_uri}
 */
public record VertexConfig(
        String project,
        String location,
        String publisher,
        @Nullable String tokenUrl) {

    public static final String GOOGLE = "google";
    public static final String ANTHROPIC = "anthropic";

    // Not compact, so that a field left out (null) can be passed in for its default.
    public VertexConfig(String project, String location, @Nullable String publisher, @Nullable String tokenUrl) {
        Check.required("project", project);
        Check.required("location", location);
        if (!project.matches("[a-z][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("project must be a Google Cloud project id, was '" + project + "'");
        }
        if (!location.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException(
                    "location must be a region such as us-east5 or global, was '" + location + "'");
        }
        publisher = publisher == null ? GOOGLE : publisher;
        if (!publisher.equals(GOOGLE) && !publisher.equals(ANTHROPIC)) {
            throw new IllegalArgumentException("publisher must be google or anthropic, was '" + publisher + "'");
        }
        if (tokenUrl != null) {
            Check.httpUrl("tokenUrl", tokenUrl);
        }
        this.project = project;
        this.location = location;
        this.publisher = publisher;
        this.tokenUrl = tokenUrl;
    }

    /** The regional endpoint with its version segment; {@code global} has no region prefix. */
    public String defaultBaseUrl() {
        return "global".equals(location)
                ? "https://aiplatform.googleapis.com/v1"
                : "https://" + location + "-aiplatform.googleapis.com/v1";
    }
}
