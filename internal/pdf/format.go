package pdf

import (
	"strconv"
	"strings"
	"time"
)

var malayMonths = [...]string{
	"Januari", "Februari", "Mac", "April", "Mei", "Jun",
	"Julai", "Ogos", "September", "Oktober", "November", "Disember",
}

// monthYear is the pay period in Malay: "Mac 2026".
func monthYear(month, year int) string {
	if month < 1 || month > 12 {
		return strconv.Itoa(month) + "/" + strconv.Itoa(year)
	}
	return malayMonths[month-1] + " " + strconv.Itoa(year)
}

// myKad formats a normalised 12-digit No. KP as YYMMDD-PB-###G; anything else is shown
// as it is.
func myKad(s string) string {
	if len(s) != 12 {
		return s
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return s
		}
	}
	return s[:6] + "-" + s[6:8] + "-" + s[8:]
}

// localTime shows t in Malaysian time, "02/01/2006 15:04"; the zero time is "-".
func localTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(myt).Format("02/01/2006 15:04")
}

// statusWords are the payment statuses as users know them (PRODUCT.md PK 0102).
var statusWords = map[string]string{
	"DIHANTAR":    "Dihantar ke bank",
	"DITERIMA":    "Diterima oleh bank",
	"GAGAL":       "Gagal diproses bank",
	"DIKELUARKAN": "Dikeluarkan",
	"DIBATALKAN":  "Dibatalkan",
}

func statusWord(s string) string {
	if w, ok := statusWords[strings.ToUpper(strings.TrimSpace(s))]; ok {
		return w
	}
	return s
}

var modeWords = map[string]string{
	"EFT":  "EFT",
	"CEK":  "Cek",
	"DRAF": "Draf Bank",
	"TT":   "Pindahan Telegraf (TT)",
}

func modeWord(s string) string {
	if w, ok := modeWords[strings.ToUpper(strings.TrimSpace(s))]; ok {
		return w
	}
	return s
}

// joinCode joins a code and a name ("1201 Jabatan Kewangan"), either may be empty.
func joinCode(code, name string) string {
	code, name = strings.TrimSpace(code), strings.TrimSpace(name)
	switch {
	case code == "":
		return name
	case name == "":
		return code
	}
	return code + " " + name
}
