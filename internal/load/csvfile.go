package load

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// column describes one column of a file kind.
type column struct {
	name     string
	required bool // present in the header, and non-empty in every row
	maxLen   int
}

// table is a CSV file being read: the header mapped to known columns, then rows.
type table struct {
	r     *csv.Reader
	index map[string]int // column name → position in the row
	rec   []string
	line  int
}

// progressReader counts bytes for the progress bar.
type progressReader struct {
	r    io.Reader
	n    int64
	tick func(n int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.tick != nil {
		p.tick(p.n)
	}
	return n, err
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// openTable reads and checks the header. Names are case-insensitive and may come in any
// order; unknown, duplicate and missing required columns are errors (so a typo is never
// silently ignored). A nil table with errors means the file cannot be read further.
func openTable(r io.Reader, cols []column, errs *Errors) *table {
	br := bufio.NewReaderSize(r, 1<<20)
	if head, err := br.Peek(3); err == nil && bytes.Equal(head, bom) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		errs.add(1, "", "", "load.empty")
		return nil
	}
	if err != nil {
		errs.add(1, "", "", "load.header.unreadable")
		return nil
	}
	known := map[string]column{}
	for _, c := range cols {
		known[c.name] = c
	}
	t := &table{r: cr, index: map[string]int{}, line: 1}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch _, ok := known[name]; {
		case !ok:
			errs.add(1, h, h, "load.header.unknown")
		case hasIndex(t.index, name):
			errs.add(1, h, h, "load.header.duplicate")
		default:
			t.index[name] = i
		}
	}
	for _, c := range cols {
		if _, ok := t.index[c.name]; !ok && c.required {
			errs.add(1, c.name, "", "load.header.missing")
		}
	}
	if errs.Len() > 0 {
		return nil
	}
	cr.FieldsPerRecord = len(header)
	return t
}

func hasIndex(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// next reads the next row; false at the end. A malformed line is recorded and skipped.
func (t *table) next(errs *Errors) bool {
	for {
		rec, err := t.r.Read()
		if errors.Is(err, io.EOF) {
			return false
		}
		if err != nil {
			// FieldPos is only valid after a successful Read: a malformed first field
			// has no position, so the parse error's own line is used.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				t.line = pe.StartLine
				code := "load.csv.malformed"
				if errors.Is(pe.Err, csv.ErrFieldCount) {
					code = "load.csv.field_count"
				}
				errs.add(pe.StartLine, "", "", code)
				continue // keep reading: every error is counted, up to the listed limit
			}
			errs.add(t.line+1, "", "", "load.csv.malformed")
			return false
		}
		t.line, _ = t.r.FieldPos(0)
		t.rec = rec
		return true
	}
}

// get returns a cell of the current row ("" when the column is absent).
func (t *table) get(name string) string {
	i, ok := t.index[name]
	if !ok {
		return ""
	}
	return t.rec[i]
}

// text checks a text cell: required, length, valid UTF-8 and no control characters
// (so nothing can forge lines in a statement, a log or a CSV export).
func (t *table) text(c column, errs *Errors) string {
	v := strings.TrimSpace(t.get(c.name))
	switch {
	case v == "" && c.required:
		errs.add(t.line, c.name, "", "load.required")
	case !utf8.ValidString(v):
		errs.add(t.line, c.name, "", "load.text.encoding")
	case utf8.RuneCountInString(v) > c.maxLen:
		errs.add(t.line, c.name, v, "load.text.too_long")
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		errs.add(t.line, c.name, v, "load.text.control")
	}
	return v
}
