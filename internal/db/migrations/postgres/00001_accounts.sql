-- +goose Up
-- Instants are Unix milliseconds (BIGINT) on both databases: see db.Millis.

CREATE TABLE users (
    id                    BIGSERIAL PRIMARY KEY,
    login_id              TEXT    NOT NULL UNIQUE,
    id_kind               TEXT    NOT NULL CHECK (id_kind IN ('MYKAD','SSM')),
    user_type             TEXT    NOT NULL CHECK (user_type IN ('KAKITANGAN','PEMBEKAL')),
    role                  TEXT    NOT NULL DEFAULT 'PENGGUNA' CHECK (role IN ('PENGGUNA','PENTADBIR')),
    status                TEXT    NOT NULL CHECK (status IN ('MENUNGGU','AKTIF','DITOLAK','DIGANTUNG')),
    name                  TEXT    NOT NULL,
    email                 TEXT    NOT NULL,
    phone                 TEXT    NOT NULL DEFAULT '',
    department            TEXT    NOT NULL DEFAULT '',
    staff_no              TEXT    NOT NULL DEFAULT '',
    security_question     TEXT    NOT NULL DEFAULT '',
    security_answer_hash  TEXT    NOT NULL DEFAULT '',
    password_hash         TEXT    NOT NULL,
    must_change_password  BOOLEAN NOT NULL DEFAULT FALSE,
    email_confirmed_at    BIGINT,
    rejection_reason      TEXT    NOT NULL DEFAULT '',
    created_at            BIGINT  NOT NULL,
    updated_at            BIGINT  NOT NULL,
    decided_at            BIGINT,
    decided_by            BIGINT REFERENCES users(id),
    last_login_at         BIGINT,
    last_login_ip         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX users_status ON users (status, created_at);
CREATE INDEX users_email ON users (email);

CREATE TABLE login_throttle (
    login_id     TEXT    PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0,
    locks        INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT  NOT NULL DEFAULT 0,
    updated_at   BIGINT  NOT NULL
);

CREATE TABLE source_failures (
    id     BIGSERIAL PRIMARY KEY,
    source TEXT   NOT NULL,
    at     BIGINT NOT NULL
);
CREATE INDEX source_failures_source_at ON source_failures (source, at);

CREATE TABLE sessions (
    token_hash     TEXT    PRIMARY KEY,
    user_id        BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at     BIGINT  NOT NULL,
    last_seen_at   BIGINT  NOT NULL,
    expires_at     BIGINT  NOT NULL,
    source         TEXT    NOT NULL DEFAULT '',
    user_agent     TEXT    NOT NULL DEFAULT '',
    prev_login_at  BIGINT,
    failed_since   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE email_tokens (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose    TEXT   NOT NULL,
    email      TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    to_addr         TEXT    NOT NULL,
    template        TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    secret          BOOLEAN NOT NULL DEFAULT FALSE,
    status          TEXT    NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','SENDING','SENT','FAILED')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    claimed_until   BIGINT  NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      BIGINT  NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE audit_log (
    id            BIGSERIAL PRIMARY KEY,
    at            BIGINT  NOT NULL,
    event         TEXT    NOT NULL,
    outcome       TEXT    NOT NULL,
    actor_id      BIGINT,
    actor_login   TEXT    NOT NULL DEFAULT '',
    subject_id    BIGINT,
    subject_login TEXT    NOT NULL DEFAULT '',
    source        TEXT    NOT NULL DEFAULT '',
    detail        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject_id, at);
CREATE INDEX audit_log_event ON audit_log (event, subject_login, at);

-- The audit log is append-only: the database itself refuses changes.
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
