-- Daily usage aggregates, kept after raw activity rows expire, and the indexes the request-log queries filter on.
-- The aggregate is maintained by a trigger, so every writer (the JDBC sink, the SQS consumer) feeds it the same way,
-- and a duplicate delivery that ON CONFLICT skips never counts twice.

CREATE TABLE usage_daily (
    day                DATE         NOT NULL,
    user_id            BIGINT       NOT NULL DEFAULT 0,
    model_name         VARCHAR(255) NOT NULL,
    node_id            BIGINT       NOT NULL DEFAULT 0,
    requests           BIGINT       NOT NULL DEFAULT 0,
    errors             BIGINT       NOT NULL DEFAULT 0,
    prompt_tokens      BIGINT       NOT NULL DEFAULT 0,
    completion_tokens  BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (day, user_id, model_name, node_id)
);
CREATE INDEX usage_daily_user ON usage_daily (user_id, day);

-- A statement-level trigger with a transition table: one aggregate upsert per insert statement (per batch), not
-- per row. Rows skipped by ON CONFLICT DO NOTHING are not in the transition table, so they never count.
CREATE FUNCTION activity_logs_to_usage_daily() RETURNS trigger AS $$
BEGIN
    INSERT INTO usage_daily AS u (day, user_id, model_name, node_id, requests, errors, prompt_tokens, completion_tokens)
    SELECT (i.created_at AT TIME ZONE 'UTC')::date, COALESCE(i.user_id, 0), i.model_name, COALESCE(i.node_id, 0),
           count(*), count(*) FILTER (WHERE i.status_code >= 400), sum(i.prompt_tokens), sum(i.completion_tokens)
    FROM inserted i
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, user_id, model_name, node_id) DO UPDATE
        SET requests = u.requests + EXCLUDED.requests,
            errors = u.errors + EXCLUDED.errors,
            prompt_tokens = u.prompt_tokens + EXCLUDED.prompt_tokens,
            completion_tokens = u.completion_tokens + EXCLUDED.completion_tokens;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER activity_logs_usage_daily AFTER INSERT ON activity_logs
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION activity_logs_to_usage_daily();

CREATE INDEX activity_logs_model_created ON activity_logs (model_name, created_at);
CREATE INDEX activity_logs_node_created ON activity_logs (node_id, created_at);
CREATE INDEX activity_logs_source_created ON activity_logs (source, created_at);
CREATE INDEX activity_logs_status_created ON activity_logs (status_code, created_at);
