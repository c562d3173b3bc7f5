-- One row per request a node finished (docs/spend.md, The usage database).
CREATE TABLE usage_records (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at                   TIMESTAMPTZ   NOT NULL,
    request_id           TEXT          NOT NULL,
    node                 TEXT          NOT NULL,
    client_key           TEXT,
    team                 TEXT,
    model                TEXT,
    provider             TEXT,
    key_id               TEXT,
    protocol             TEXT,
    stream               BOOLEAN       NOT NULL,
    status               SMALLINT      NOT NULL,
    outcome              TEXT          NOT NULL,
    input_tokens         BIGINT        NOT NULL,
    cache_read_tokens    BIGINT        NOT NULL,
    cache_write_tokens   BIGINT        NOT NULL,
    cache_write_1h_tokens BIGINT       NOT NULL,
    output_tokens        BIGINT        NOT NULL,
    reasoning_tokens     BIGINT        NOT NULL,
    cost_usd             NUMERIC(20, 12),
    cost_estimated       BOOLEAN       NOT NULL,
    priced               BOOLEAN       NOT NULL,
    latency_ms           INTEGER       NOT NULL,
    -- A batch written again after a lost acknowledgement must not count its requests twice.
    CONSTRAINT usage_records_once UNIQUE (node, request_id)
);

-- Reads are by time first (a period's spend, a range of the usage API), then by who.
CREATE INDEX usage_records_at ON usage_records USING BRIN (at);
CREATE INDEX usage_records_client_key_at ON usage_records (client_key, at);
CREATE INDEX usage_records_team_at ON usage_records (team, at);
