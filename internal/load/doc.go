// Package load owns loading SPEKS's CSV files (DATA.md): one code path for the command
// line, the Pentadbir's upload and the load API. A file is read three times, streaming:
// first validated whole (every error listed by line, column, value and reason, nothing
// written), then — only if it is clean — written in one transaction (COPY on
// PostgreSQL, prepared inserts on SQLite). Memory grows with the number of payslips or
// payments in a file, never with its size in bytes.
package load
