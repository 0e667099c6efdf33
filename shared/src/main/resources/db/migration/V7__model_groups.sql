-- Model groups (docs/model-groups.md, ADR 0010): one name a client asks for ("coding"), resolved per request to the
-- best available member. Column names follow the original product where the meaning is the same
-- (../shared/docs/seeds-spec.md A1/A6); a member pins at most one node here (model_group_member_nodes is not used).
CREATE TABLE model_groups (
    id               BIGSERIAL PRIMARY KEY,
    name             VARCHAR(255) NOT NULL UNIQUE,
    description      TEXT,
    strategy         VARCHAR(50)  NOT NULL DEFAULT 'round_robin',
    is_active        BOOLEAN      NOT NULL DEFAULT TRUE,
    list_in_catalog  BOOLEAN      NOT NULL DEFAULT TRUE,
    -- the most members one request may try (NULL: every member)
    failover_limit   INTEGER,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT model_groups_strategy_known CHECK (strategy IN ('round_robin', 'weighted', 'priority')),
    CONSTRAINT model_groups_failover_limit CHECK (failover_limit IS NULL OR failover_limit >= 1)
);

-- priority: LOWER is tried first (the original's member semantics; nodes are the other way round).
CREATE TABLE model_group_members (
    id                  BIGSERIAL PRIMARY KEY,
    group_id            BIGINT       NOT NULL REFERENCES model_groups (id) ON DELETE CASCADE,
    model_display_name  VARCHAR(255) NOT NULL,
    node_id             BIGINT       REFERENCES nodes (id) ON DELETE CASCADE,
    priority            INTEGER      NOT NULL DEFAULT 0,
    weight              INTEGER      NOT NULL DEFAULT 1,
    is_active           BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT model_group_members_weight CHECK (weight >= 0)
);
CREATE UNIQUE INDEX model_group_members_unique
    ON model_group_members (group_id, model_display_name, COALESCE(node_id, 0));
CREATE INDEX model_group_members_group ON model_group_members (group_id);
