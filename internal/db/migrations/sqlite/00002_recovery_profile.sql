-- +goose Up
-- PK 0106: temporary passwords are kept apart from the real one, which keeps working
-- until a temporary one is used (QUALITY.md, Recovery).
CREATE TABLE temp_passwords (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash       TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX temp_passwords_user ON temp_passwords (user_id);

-- A session opened with a temporary password may do nothing but change the password.
ALTER TABLE sessions ADD COLUMN temp_password_id BIGINT;

-- PK 0107: opt-in email when new statements are loaded.
ALTER TABLE users ADD COLUMN notify_email BOOLEAN NOT NULL DEFAULT FALSE;

-- Values eSPEKS generates once per installation (e.g. the key that picks a stand-in
-- security question for unknown IDs, so PK 0106 does not reveal which IDs exist).
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
