-- The admin sign-in for people (ADR 0012): accounts with Argon2id password hashes, and server-side sessions whose
-- ids are stored only as SHA-256 digests (a leaked table cannot be replayed as cookies).

CREATE TABLE admin_accounts (
    id             BIGSERIAL PRIMARY KEY,
    username       VARCHAR(255) NOT NULL UNIQUE,
    -- PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    password_hash  TEXT         NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE admin_sessions (
    id            BIGSERIAL PRIMARY KEY,
    -- hex SHA-256 of the cookie value; the value itself is never stored
    session_hash  CHAR(64)     NOT NULL UNIQUE,
    account_id    BIGINT       NOT NULL REFERENCES admin_accounts (id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ  NOT NULL,
    last_seen_at  TIMESTAMPTZ  NOT NULL,
    expires_at    TIMESTAMPTZ  NOT NULL,
    ip            VARCHAR(45),
    user_agent    VARCHAR(500)
);

CREATE INDEX admin_sessions_expires_at ON admin_sessions (expires_at);
CREATE INDEX admin_sessions_account ON admin_sessions (account_id);
