-- +goose Up
-- PRODUCT.md, Printing and PDF: a user may have their statement PDFs encrypted with
-- their ID number as the password.
ALTER TABLE users ADD COLUMN pdf_encrypt BOOLEAN NOT NULL DEFAULT FALSE;
