-- Node pool management (issue 8, docs/node-pool.md, ADR 0009): the short history of active health checks, the models
-- each node warms up, and the leases that keep a job from running twice at once for the same node.

-- The last checks of each node (the job keeps at most 20 per node). nodes.health_status / last_health_check /
-- last_error / last_latency_ms hold the latest one; the catalog reads nodes.health_status.
CREATE TABLE node_health_checks (
    id          BIGSERIAL PRIMARY KEY,
    node_id     BIGINT       NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    checked_at  TIMESTAMPTZ  NOT NULL,
    ok          BOOLEAN      NOT NULL,
    latency_ms  INTEGER,
    error       TEXT,
    trigger     VARCHAR(20)  NOT NULL
);
CREATE INDEX node_health_checks_node ON node_health_checks (node_id, checked_at DESC, id DESC);

-- The models a node loads when nodes.warmup_enabled is on; only those discovery has seen on the node are requested.
CREATE TABLE node_warmup_models (
    node_id     BIGINT       NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    model_name  VARCHAR(255) NOT NULL,
    PRIMARY KEY (node_id, model_name)
);

-- One row per running job scope (e.g. 'health-check:node:7'). A lease is taken with
-- INSERT ... ON CONFLICT DO UPDATE ... WHERE expires_at <= now: only an expired lease can be taken over.
CREATE TABLE job_leases (
    lease_key    VARCHAR(200) PRIMARY KEY,
    owner_id     VARCHAR(200) NOT NULL,
    acquired_at  TIMESTAMPTZ  NOT NULL,
    expires_at   TIMESTAMPTZ  NOT NULL
);
