-- +goose Up
-- PK 0102: an EFT payment's advice is shown once the user has typed the right account
-- number; the check holds for that session only and ends with it.
CREATE TABLE payment_checks (
    session_hash TEXT   NOT NULL REFERENCES sessions(token_hash) ON DELETE CASCADE,
    payment_id   BIGINT NOT NULL REFERENCES payments(id) ON DELETE CASCADE,
    checked_at   BIGINT NOT NULL,
    PRIMARY KEY (session_hash, payment_id)
);
