-- +goose Up
CREATE TABLE temp_passwords (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash       TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX temp_passwords_user ON temp_passwords (user_id);

ALTER TABLE sessions ADD COLUMN temp_password_id BIGINT;

ALTER TABLE users ADD COLUMN notify_email BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
