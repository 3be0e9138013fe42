package web

import (
	"crypto/sha256"
	"encoding/hex"
)

func contentHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}
