-- +goose Up
-- Data loaded from SPEKS (DATA.md). Money is integer sen (BIGINT); civil dates are TEXT
-- 'YYYY-MM-DD', which sorts and compares correctly on both databases.

CREATE TABLE loads (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL CHECK (kind IN ('payroll','payments')),
    file_name    TEXT    NOT NULL,
    content_hash TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('ACCEPTED','REJECTED','DUPLICATE')),
    row_count    INTEGER NOT NULL DEFAULT 0,
    added        INTEGER NOT NULL DEFAULT 0,
    replaced     INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    duration_ms  BIGINT  NOT NULL DEFAULT 0,
    errors       TEXT    NOT NULL DEFAULT '',
    loaded_by    BIGINT REFERENCES users(id),
    via          TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL
);
-- One accepted load per file content: a second load of the same file, even at the same
-- moment from another process, fails on this index and is refused.
CREATE UNIQUE INDEX loads_accepted_hash ON loads (content_hash) WHERE status = 'ACCEPTED';
CREATE INDEX loads_created ON loads (created_at);

CREATE TABLE payroll_runs (
    id           INTEGER PRIMARY KEY,
    payroll_id   TEXT   NOT NULL UNIQUE,
    load_id      BIGINT NOT NULL REFERENCES loads(id),
    loaded_at    BIGINT NOT NULL
);

CREATE TABLE payslips (
    id               INTEGER PRIMARY KEY,
    public_id        TEXT    NOT NULL UNIQUE,  -- opaque ID for URLs
    run_id           BIGINT  NOT NULL REFERENCES payroll_runs(id) ON DELETE CASCADE,
    payroll_id       TEXT    NOT NULL,
    ic_no            TEXT    NOT NULL,         -- normalised No. KP of the owner
    year             INTEGER NOT NULL,
    month            INTEGER NOT NULL,
    pay_date         TEXT    NOT NULL,
    staff_no         TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    position         TEXT    NOT NULL,
    grade            TEXT    NOT NULL,
    department_code  TEXT    NOT NULL,
    department_name  TEXT    NOT NULL,
    ptj_code         TEXT    NOT NULL,
    ptj_name         TEXT    NOT NULL,
    bank_name        TEXT    NOT NULL,
    bank_account     TEXT    NOT NULL,
    epf_no           TEXT    NOT NULL DEFAULT '',
    socso_no         TEXT    NOT NULL DEFAULT '',
    tax_no           TEXT    NOT NULL DEFAULT '',
    total_income     BIGINT  NOT NULL,
    total_deductions BIGINT  NOT NULL,
    total_employer   BIGINT  NOT NULL,
    net_pay          BIGINT  NOT NULL
);
CREATE INDEX payslips_owner ON payslips (ic_no, year, month);
CREATE INDEX payslips_run ON payslips (run_id);

CREATE TABLE payslip_items (
    payslip_id BIGINT  NOT NULL REFERENCES payslips(id) ON DELETE CASCADE,
    line       INTEGER NOT NULL,
    item_code  TEXT    NOT NULL,
    item_name  TEXT    NOT NULL,
    category   TEXT    NOT NULL,
    amount     BIGINT  NOT NULL
);
CREATE INDEX payslip_items_payslip ON payslip_items (payslip_id);

CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    public_id    TEXT   NOT NULL UNIQUE,
    payment_no   TEXT   NOT NULL UNIQUE,
    payee_id     TEXT   NOT NULL,          -- normalised No. KP or SSM number
    payee_name   TEXT   NOT NULL,
    mode         TEXT   NOT NULL,
    payment_date TEXT   NOT NULL,
    status       TEXT   NOT NULL,
    bank_name    TEXT   NOT NULL DEFAULT '',
    bank_account TEXT   NOT NULL DEFAULT '',
    amount       BIGINT NOT NULL,
    fingerprint  TEXT   NOT NULL,          -- hash of everything but the status: a later file must match it
    load_id      BIGINT NOT NULL REFERENCES loads(id),
    updated_at   BIGINT NOT NULL
);
CREATE INDEX payments_payee_date ON payments (payee_id, payment_date);

CREATE TABLE payment_lines (
    payment_id   BIGINT  NOT NULL REFERENCES payments(id) ON DELETE CASCADE,
    line         INTEGER NOT NULL,
    voucher_no   TEXT    NOT NULL,
    voucher_date TEXT    NOT NULL,
    invoice_no   TEXT    NOT NULL DEFAULT '',
    ptj_code     TEXT    NOT NULL,
    ptj_name     TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    amount       BIGINT  NOT NULL
);
CREATE INDEX payment_lines_payment ON payment_lines (payment_id);
CREATE INDEX payment_lines_voucher ON payment_lines (voucher_no);
CREATE INDEX payment_lines_invoice ON payment_lines (invoice_no);

CREATE TABLE payment_status_history (
    payment_id BIGINT NOT NULL REFERENCES payments(id) ON DELETE CASCADE,
    status     TEXT   NOT NULL,
    changed_at BIGINT NOT NULL,
    load_id    BIGINT NOT NULL REFERENCES loads(id)
);
CREATE INDEX payment_status_history_payment ON payment_status_history (payment_id);

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT   NOT NULL,
    prefix       TEXT   NOT NULL,          -- first characters, shown so keys can be told apart
    key_hash     TEXT   NOT NULL UNIQUE,   -- SHA-256 of the key; the key itself is shown once
    created_by   BIGINT NOT NULL REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT,
    last_used_at BIGINT
);
