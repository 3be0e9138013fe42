// Package password implements eSPEKS's password policy, password hashing,
// temporary passwords and opaque tokens.
//
// The rules follow NIST SP 800-63B and OWASP ASVS 5.0 (V6 Authentication):
//
//   - Length, not composition. A password is 12 to 128 characters by default
//     (see [Policy]); the minimum can be configured but never below 8. There
//     are no "must contain a digit/symbol" rules: they push users towards
//     predictable patterns ("Password1!") without adding real entropy.
//   - Any characters are allowed, including spaces and non-Latin scripts. The
//     password is normalised to Unicode NFC ([Normalize]) before it is
//     counted, checked or hashed, so the same visible text typed on different
//     keyboards/operating systems (composed "é" versus "e"+combining acute)
//     is the same password. Length is counted in code points after NFC, so an
//     emoji counts as one character.
//   - Nothing is truncated or trimmed: the password is used exactly as typed.
//   - Passwords found in a bundled list of common/breached passwords
//     ([IsCommon]) or built from the user's own details (ID number, name,
//     e-mail, the portal and state names) are refused with a reason
//     ([Violation]) so the user knows what to change.
//
// Passwords are stored as argon2id hashes in the PHC string format
// ([Hasher]), with the parameters recorded in each hash so they can be raised
// later ([Hasher.NeedsRehash]) without invalidating existing passwords.
// Hashing is deliberately memory-hard (19 MiB per hash by default), so
// [Hasher] bounds how many hashes run at once; a flood of login attempts
// queues instead of exhausting memory.
//
// Session identifiers and e-mail link tokens ([NewToken]) are high-entropy
// random values, so a fast hash (SHA-256) is sufficient for storing them:
// they cannot be guessed, only stolen, and the hash makes a stolen database
// useless for replay.
package password
