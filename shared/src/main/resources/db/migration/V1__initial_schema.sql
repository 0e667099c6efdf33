-- Model Maestro schema, version 1. Column names follow the original product where the meaning is the same
-- (../shared/docs/seeds-spec.md A1); the quirks are fixed: tokens are never stored (only the current token id),
-- node credentials are stored encrypted, and activity rows carry a unique request id so retries cannot duplicate them.

CREATE TABLE users (
    id              BIGSERIAL PRIMARY KEY,
    username        VARCHAR(255) NOT NULL UNIQUE,
    token_id        VARCHAR(64)  NOT NULL,
    is_active       BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE nodes (
    id                 BIGSERIAL PRIMARY KEY,
    name               VARCHAR(255) NOT NULL UNIQUE,
    code               VARCHAR(30)  UNIQUE,
    node_type          VARCHAR(30)  NOT NULL DEFAULT 'ollama',
    base_url           VARCHAR(500) NOT NULL,
    priority           INTEGER      NOT NULL DEFAULT 0,
    weight             INTEGER      NOT NULL DEFAULT 100,
    is_active          BOOLEAN      NOT NULL DEFAULT TRUE,
    warmup_enabled     BOOLEAN      NOT NULL DEFAULT FALSE,
    auto_sync_enabled  BOOLEAN      NOT NULL DEFAULT TRUE,
    scoped_models      BOOLEAN      NOT NULL DEFAULT FALSE,
    -- AES-GCM ciphertexts (base64), never plain text; see io.modelmaestro.crypto.SecretCipher
    api_key_enc        TEXT,
    headers_enc        TEXT,
    aws_access_key_enc TEXT,
    aws_secret_key_enc TEXT,
    aws_session_token_enc TEXT,
    aws_region         VARCHAR(50),
    health_status      VARCHAR(20)  NOT NULL DEFAULT 'unknown',
    last_health_check  TIMESTAMPTZ,
    last_error         TEXT,
    last_latency_ms    INTEGER,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT nodes_code_format CHECK (code IS NULL OR code ~ '^[a-z0-9_-]{1,30}$'),
    CONSTRAINT nodes_type_known CHECK (node_type IN ('ollama', 'openai', 'vllm', 'anthropic', 'bedrock'))
);

CREATE TABLE user_models (
    id                  BIGSERIAL PRIMARY KEY,
    user_id             BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    model_display_name  VARCHAR(255),
    has_all_models      BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (user_id, model_display_name)
);

CREATE TABLE user_nodes (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    node_id     BIGINT      NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (user_id, node_id)
);

CREATE TABLE user_node_models (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    node_id     BIGINT       NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    model_name  VARCHAR(255) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (user_id, node_id, model_name)
);

CREATE TABLE user_limits (
    id             BIGSERIAL PRIMARY KEY,
    user_id        BIGINT      NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    request_limit  INTEGER,
    token_limit    BIGINT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE model_mappings (
    id              BIGSERIAL PRIMARY KEY,
    display_name    VARCHAR(255) NOT NULL UNIQUE,
    real_name       VARCHAR(255) NOT NULL,
    context_length  INTEGER,
    capabilities    TEXT[],
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- An empty set of rows for a mapping means the mapping is global.
CREATE TABLE model_mapping_nodes (
    mapping_id  BIGINT NOT NULL REFERENCES model_mappings (id) ON DELETE CASCADE,
    node_id     BIGINT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    PRIMARY KEY (mapping_id, node_id)
);

CREATE TABLE node_models (
    id              BIGSERIAL PRIMARY KEY,
    node_id         BIGINT       NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    model_name      VARCHAR(255) NOT NULL,
    model_size      BIGINT,
    model_family    VARCHAR(100),
    model_digest    VARCHAR(100),
    context_length  INTEGER,
    capabilities    TEXT[],
    details         TEXT,
    modified_at     TIMESTAMPTZ,
    last_seen       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    is_available    BOOLEAN      NOT NULL DEFAULT TRUE,
    UNIQUE (node_id, model_name)
);

CREATE TABLE activity_logs (
    id                 BIGSERIAL PRIMARY KEY,
    request_id         UUID         NOT NULL UNIQUE,
    user_id            BIGINT       REFERENCES users (id) ON DELETE SET NULL,
    username           VARCHAR(255),
    model_name         VARCHAR(255) NOT NULL,
    node_id            BIGINT,
    node_name          VARCHAR(255),
    request_type       VARCHAR(50)  NOT NULL,
    source             VARCHAR(100),
    url_path           VARCHAR(500),
    status_code        INTEGER      NOT NULL,
    prompt_tokens      BIGINT       NOT NULL DEFAULT 0,
    completion_tokens  BIGINT       NOT NULL DEFAULT 0,
    total_tokens       BIGINT       NOT NULL DEFAULT 0,
    duration_ms        INTEGER      NOT NULL DEFAULT 0,
    ttft_ms            INTEGER,
    streamed           BOOLEAN      NOT NULL DEFAULT FALSE,
    attempts           INTEGER      NOT NULL DEFAULT 0,
    error_message      TEXT,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX activity_logs_created_at ON activity_logs (created_at);
CREATE INDEX activity_logs_user_created ON activity_logs (user_id, created_at);

CREATE TABLE audit_logs (
    id           BIGSERIAL PRIMARY KEY,
    action       VARCHAR(100) NOT NULL,
    entity_type  VARCHAR(100) NOT NULL,
    entity_id    VARCHAR(255),
    performed_by VARCHAR(255) NOT NULL,
    details      TEXT,
    admin_ip     VARCHAR(45),
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX audit_logs_action ON audit_logs (action);
CREATE INDEX audit_logs_created_at ON audit_logs (created_at);

CREATE TABLE settings (
    key          VARCHAR(255) PRIMARY KEY,
    value        TEXT         NOT NULL,
    description  TEXT,
    updated_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
