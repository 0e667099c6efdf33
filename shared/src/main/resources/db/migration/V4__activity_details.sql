-- What the activity log also records per request: the client's wire format, the real model name sent upstream, the
-- prompt tokens served from a cache, and the class of error (never a prompt or a secret).
ALTER TABLE activity_logs ADD COLUMN client_format VARCHAR(20);
ALTER TABLE activity_logs ADD COLUMN real_model VARCHAR(255);
ALTER TABLE activity_logs ADD COLUMN cached_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE activity_logs ADD COLUMN error_class VARCHAR(50);
