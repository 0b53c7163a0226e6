// Package report writes and verifies photoscrub's audit report: the record
// of what a run found and removed, when, with which tool and settings, kept
// as evidence for UK GDPR Art. 5(2) accountability and Art. 30 records of
// processing. docs/report.md describes schema v1 and docs/report.schema.json
// is its JSON Schema (draft 2020-12).
//
// A report is JSON Lines (RFC 8259 values, one per line): a header, one
// record per file in walk order, and a seal (the summary). Every line is the
// encoding/json marshalling of a fixed struct, so its bytes are canonical.
// Lines form a hash chain: each carries seq (0, 1, 2, ...) and prev, the hex
// SHA-256 (FIPS 180-4) of the previous line's bytes without the newline;
// the header's prev is SHA-256("photoscrub-report-v1" || run_id). The head
// of the chain is the SHA-256 of the seal line. The seal may be signed with
// Ed25519 (RFC 8032); paths may be replaced by HMAC-SHA256 (RFC 2104)
// tokens.
//
// The report never holds a metadata value: findings are category, place
// and tag names (meta.Finding); reasons are fixed classes; warnings and
// errors are photoscrub's own wording, and the Writer replaces any control
// character in them. This follows the ICO's logging guidance: record what
// was done, never the data itself.
//
// Write with Create (or NewWriter), WriteFile and Close; check with Verify;
// summarise with Summarize; export to spreadsheets with CSVWriter.
package report
