// Package pdf renders eSPEKS statements — the payslip (Penyata Gaji), the Borang EC
// (Penyata Saraan Tahunan) and the payment advice (Nasihat Pembayaran) — as A4 PDF
// documents that look like the paper statements they replace (PRODUCT.md "Printing and
// PDF").
//
// It is the only package that imports the PDF library (github.com/signintech/gopdf).
// The DejaVu Sans font is embedded in the binary (fonts/, with its licence) and parsed once
// per process; each document embeds only the glyph outlines it uses, with a ToUnicode map
// so that its text can be extracted (pdftotext, copy and paste, screen readers). DejaVu
// Sans covers Latin (Malay, English) and more; a character it lacks (Chinese or Tamil
// script, say) prints as a space.
//
// A document is optionally encrypted with a user password (Meta.Password, the user's ID
// number): gopdf implements only the PDF Standard security handler revision 2, that is
// RC4 with a 40-bit key. It keeps a downloaded statement from being opened casually by
// someone who does not know the ID number; it is not strong cryptography.
//
// Full bank account numbers never reach the PDF: only the masked form is written.
package pdf

import (
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/signintech/gopdf"
)

// Meta is what every statement shows besides its content.
type Meta struct {
	StateName string    // "Melaka": header "Kerajaan Negeri Melaka", and the crest
	PrintedAt time.Time // "Tarikh dicetak / Printed" (shown in Malaysian time UTC+8, 02/01/2006 15:04)
	Password  string    // non-empty: encrypt with this user password (the user's ID number)
}

//go:embed fonts/DejaVuSans.ttf
var fontRegular []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var fontBold []byte

const (
	famRegular = "DejaVuSans"
	famBold    = "DejaVuSans-Bold"
)

// The fonts are parsed once per process; every document gets its own copy of the parsed
// font (gopdf.FontContainer) with its own glyph subset, so documents can be rendered
// concurrently.
var (
	fontsOnce sync.Once
	fonts     *gopdf.FontContainer
	fontsErr  error
)

func loadFonts() (*gopdf.FontContainer, error) {
	fontsOnce.Do(func() {
		fc := &gopdf.FontContainer{}
		if err := fc.AddTTFFontData(famRegular, fontRegular); err != nil {
			fontsErr = fmt.Errorf("pdf: parse %s: %w", famRegular, err)
			return
		}
		if err := fc.AddTTFFontData(famBold, fontBold); err != nil {
			fontsErr = fmt.Errorf("pdf: parse %s: %w", famBold, err)
			return
		}
		fonts = fc
	})
	return fonts, fontsErr
}

// myt is Malaysian time (UTC+8, no daylight saving).
var myt = time.FixedZone("MYT", 8*60*60)

// Page geometry, in points (A4 portrait).
const (
	pageW       = 595.28
	pageH       = 841.89
	marginX     = 36.0
	contentW    = pageW - 2*marginX
	contentTop  = 92.0         // below the header
	contentBot  = pageH - 50.0 // above the footer
	footerRule  = pageH - 44.0 // the footer's top rule
	lineFactor  = 1.28         // line height = font size × lineFactor
	cellPadding = 1.6          // vertical padding of table rows
)

// grey levels used for text, rules and fills.
type rgb struct{ r, g, b uint8 }

var (
	black     = rgb{0, 0, 0}
	darkGrey  = rgb{85, 85, 85}
	midGrey   = rgb{150, 150, 150}
	lightFill = rgb{232, 234, 238}
	netFill   = rgb{220, 228, 240}
	navy      = rgb{25, 48, 94}
)

// doc is one document being drawn: the gopdf document, the page header it repeats and the
// vertical position on the current page. The first error is kept and returned at the end,
// so that drawing code need not check every call.
type doc struct {
	pdf   *gopdf.GoPdf
	meta  Meta
	title string
	ref   string // the reference line under the title
	y     float64
	pages int
	err   error

	bold  bool // current font
	size  float64
	color rgb // current text colour
	// onNewPage, when set, is called after a continuation page's header is drawn (e.g.
	// to repeat a table's column headings).
	onNewPage func()
}

var errNoState = errors.New("pdf: Meta.StateName is empty")

func newDoc(m Meta, title, ref string) (*doc, error) {
	fc, err := loadFonts()
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(m.StateName) == "" {
		return nil, errNoState
	}
	cfg := gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: pageW, H: pageH}}
	if m.Password != "" {
		owner, err := randomOwnerPassword()
		if err != nil {
			return nil, err
		}
		cfg.Protection = gopdf.PDFProtectionConfig{
			UseProtection: true,
			Permissions:   gopdf.PermissionsPrint | gopdf.PermissionsCopy, // copy: text extraction, screen readers
			UserPass:      []byte(m.Password),
			OwnerPass:     owner,
		}
	}
	p := &gopdf.GoPdf{}
	p.Start(cfg)
	// The page content stream is left uncompressed (15–20 KB a page): every zlib writer
	// gopdf makes allocates ~650 KB, so this saves a third of the allocation of a
	// document (less garbage collection) and the deflate time, for a file that is ~60 KB
	// instead of ~48 KB. The font streams, the bulk of the file, gopdf always compresses.
	p.SetNoCompression()
	if m.Password == "" {
		// gopdf writes the Info dictionary unencrypted, inline in the trailer, even in an
		// encrypted file, which the PDF format does not provide for (readers may try to
		// decrypt its strings); an encrypted statement goes without it.
		p.SetInfo(gopdf.PdfInfo{
			Title:        title,
			Creator:      "eSPEKS",
			Producer:     "eSPEKS",
			CreationDate: m.PrintedAt,
		})
	}
	if err := p.AddTTFFontFromFontContainer(famRegular, fc); err != nil {
		return nil, err
	}
	if err := p.AddTTFFontFromFontContainer(famBold, fc); err != nil {
		return nil, err
	}
	d := &doc{pdf: p, meta: m, title: title, ref: ref}
	d.newPage()
	return d, d.err
}

// randomOwnerPassword is the owner password of an encrypted document: random and never
// kept, so that nobody can use it to lift the permissions (print and copy only).
func randomOwnerPassword() ([]byte, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("pdf: owner password: %w", err)
	}
	return []byte(hex.EncodeToString(b[:])), nil
}

// finish draws the footer on every page and returns the PDF.
func (d *doc) finish() ([]byte, error) {
	for i := 1; i <= d.pages; i++ {
		if d.err != nil {
			break
		}
		if err := d.pdf.SetPage(i); err != nil {
			d.setErr(err)
			break
		}
		d.footer(i)
	}
	if d.err != nil {
		return nil, d.err
	}
	b, err := d.pdf.GetBytesPdfReturnErr()
	if err != nil {
		return nil, fmt.Errorf("pdf: write: %w", err)
	}
	return b, nil
}

func (d *doc) setErr(err error) {
	if err != nil && d.err == nil {
		d.err = fmt.Errorf("pdf: %w", err)
	}
}

// ---- pages, header and footer ---------------------------------------------------------

func (d *doc) newPage() {
	d.pdf.AddPage()
	d.pages++
	d.header()
	d.y = contentTop
}

// need makes sure h points fit on the current page, starting a new page (with the header
// and whatever onNewPage draws) when they do not. It reports whether a page was added.
func (d *doc) need(h float64) bool {
	if d.y+h <= contentBot || d.y <= contentTop+0.5 {
		return false
	}
	bold, size, color := d.bold, d.size, d.color
	d.newPage()
	if d.onNewPage != nil {
		d.onNewPage()
	}
	d.font(bold, size) // the caller carries on in its font and colour
	d.setColor(color)
	return true
}

func (d *doc) header() {
	d.emblem(marginX, 30, 38, 46)
	x := marginX + 50
	d.font(true, 13)
	d.setColor(navy)
	d.text(x, 30, "Kerajaan Negeri "+strings.TrimSpace(d.meta.StateName))
	// the title shrinks if it would not fit (it never needs to with the titles used)
	size := 11.0
	d.font(true, size)
	for size > 7 && d.width(d.title) > pageW-marginX-x {
		size -= 0.5
		d.font(true, size)
	}
	d.setColor(black)
	d.text(x, 48, d.title)
	d.font(false, 8.5)
	d.text(x, 65, d.ref)
	d.rule(marginX, pageW-marginX, 84, 1.2, navy)
}

// emblem draws a plain shield with a star: a stand-in for the state crest (the real coat
// of arms is not reproduced).
func (d *doc) emblem(x, y, w, h float64) {
	p := d.pdf
	p.SetLineWidth(1.4)
	p.SetStrokeColor(navy.r, navy.g, navy.b)
	p.SetFillColor(255, 255, 255)
	p.Polygon(shield(x, y, w, h), "D")
	p.SetLineWidth(0.6)
	const in = 3.5
	p.Polygon(shield(x+in, y+in, w-2*in, h-2*in*1.15), "D")
	// a five-pointed star in the upper part and a band under it
	p.SetFillColor(navy.r, navy.g, navy.b)
	p.Polygon(star(x+w/2, y+h*0.36, w*0.24, w*0.095), "F")
	p.SetLineWidth(1.0)
	p.Line(x+in+3, y+h*0.62, x+w-in-3, y+h*0.62)
	p.SetLineWidth(0.5)
	p.SetStrokeColor(0, 0, 0)
	p.SetFillColor(0, 0, 0)
}

// shield is the outline of a heater shield: straight top, straight sides down to 45% of
// the height, then two curves meeting at the bottom point.
func shield(x, y, w, h float64) []gopdf.Point {
	pts := []gopdf.Point{{X: x, Y: y}, {X: x + w, Y: y}, {X: x + w, Y: y + h*0.45}}
	const n = 10
	// right curve: from (x+w, y+.45h) to (x+w/2, y+h), control (x+w, y+.85h)
	for i := 1; i <= n; i++ {
		t := float64(i) / n
		pts = append(pts, quad(x+w, y+h*0.45, x+w, y+h*0.85, x+w/2, y+h, t))
	}
	for i := 1; i <= n; i++ {
		t := float64(i) / n
		pts = append(pts, quad(x+w/2, y+h, x, y+h*0.85, x, y+h*0.45, t))
	}
	return pts
}

func quad(x0, y0, x1, y1, x2, y2, t float64) gopdf.Point {
	u := 1 - t
	return gopdf.Point{X: u*u*x0 + 2*u*t*x1 + t*t*x2, Y: u*u*y0 + 2*u*t*y1 + t*t*y2}
}

func star(cx, cy, outer, inner float64) []gopdf.Point {
	// precomputed unit vectors for a five-pointed star pointing up
	unit := [10][2]float64{
		{0, -1}, {0.5878, -0.8090}, {0.9511, -0.3090}, {0.9511, 0.3090}, {0.5878, 0.8090},
		{0, 1}, {-0.5878, 0.8090}, {-0.9511, 0.3090}, {-0.9511, -0.3090}, {-0.5878, -0.8090},
	}
	pts := make([]gopdf.Point, 0, 10)
	for i := 0; i < 10; i += 2 {
		pts = append(pts,
			gopdf.Point{X: cx + outer*unit[i][0], Y: cy + outer*unit[i][1]},
			gopdf.Point{X: cx + inner*unit[(i+1)%10][0], Y: cy + inner*unit[(i+1)%10][1]})
	}
	return pts
}

func (d *doc) footer(page int) {
	d.rule(marginX, pageW-marginX, footerRule, 0.5, midGrey)
	d.setColor(darkGrey)
	d.font(false, 7)
	y := footerRule + 4
	d.text(marginX, y, "Penyata ini dijana oleh komputer. Tiada tandatangan diperlukan. / "+
		"This statement is computer generated. No signature is required.")
	y += 7 * lineFactor
	d.text(marginX, y, "Tarikh dicetak / Printed: "+printed(d.meta.PrintedAt))
	d.textRight(pageW-marginX, y, fmt.Sprintf("Halaman / Page %d/%d", page, d.pages))
	d.setColor(black)
}

// printed formats the print time in Malaysian time.
func printed(t time.Time) string {
	if t.IsZero() {
		t = time.Now()
	}
	return localTime(t)
}

// ---- drawing primitives ---------------------------------------------------------------

func (d *doc) font(bold bool, size float64) {
	if d.bold == bold && d.size == size {
		return
	}
	fam := famRegular
	if bold {
		fam = famBold
	}
	d.setErr(d.pdf.SetFont(fam, "", size))
	d.bold, d.size = bold, size
}

func (d *doc) lh() float64 { return d.size * lineFactor }

func (d *doc) setColor(c rgb) {
	d.pdf.SetTextColor(c.r, c.g, c.b)
	d.color = c
}

// clean makes s printable on one line: control characters (newlines, tabs) become spaces
// and invalid UTF-8 is replaced.
func clean(s string) string {
	if !needsClean(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

func needsClean(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return true
		}
	}
	return false
}

// text draws s with its top-left corner at (x, y).
func (d *doc) text(x, y float64, s string) {
	s = clean(s)
	if strings.TrimSpace(s) == "" || d.err != nil {
		return
	}
	d.pdf.SetXY(x, y)
	d.setErr(d.pdf.Cell(nil, s))
}

// textRight draws s ending at x.
func (d *doc) textRight(x, y float64, s string) {
	d.text(x-d.width(s), y, s)
}

func (d *doc) width(s string) float64 {
	s = clean(s)
	if s == "" || d.err != nil {
		return 0
	}
	w, err := d.pdf.MeasureTextWidth(s)
	d.setErr(err)
	return w
}

// maxLines bounds the lines of one wrapped value, so that no single table cell can be
// taller than a page (absurd data is cut with an ellipsis rather than drawn over the
// footer).
const maxLines = 40

// wrap breaks s into lines no wider than w at spaces (and within words longer than a
// line). Newlines in s start new lines. An empty s gives no lines.
func (d *doc) wrap(s string, w float64) []string {
	var out []string
	add := func(l string) bool {
		out = append(out, l)
		return len(out) <= maxLines
	}
	for para := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line := ""
		for word := range strings.FieldsSeq(clean(para)) {
			if line != "" {
				if cand := line + " " + word; d.width(cand) <= w {
					line = cand
					continue
				}
				if !add(line) {
					return ellipsis(out)
				}
				line = ""
			}
			// a word wider than the line is broken where it must be
			for d.width(word) > w {
				cut := d.fitPrefix(word, w)
				if !add(word[:cut]) {
					return ellipsis(out)
				}
				word = word[cut:]
			}
			line = word
		}
		if line != "" && !add(line) {
			return ellipsis(out)
		}
	}
	return out
}

// ellipsis cuts lines to maxLines, marking the cut.
func ellipsis(lines []string) []string {
	lines = lines[:maxLines]
	lines[maxLines-1] += " …"
	return lines
}

// fitPrefix is the byte length of the longest prefix of s (at least one rune) that is no
// wider than w.
func (d *doc) fitPrefix(s string, w float64) int {
	var ends []int // byte offsets of rune ends
	for i, r := range s {
		ends = append(ends, i+utf8.RuneLen(r))
	}
	lo, hi := 1, len(ends) // the answer is in ends[lo-1 .. hi-1]
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.width(s[:ends[mid-1]]) <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return ends[lo-1]
}

func (d *doc) rule(x1, x2, y, width float64, c rgb) {
	d.pdf.SetLineWidth(width)
	d.pdf.SetStrokeColor(c.r, c.g, c.b)
	d.pdf.Line(x1, y, x2, y)
	d.pdf.SetStrokeColor(0, 0, 0)
}

func (d *doc) fill(x, y, w, h float64, c rgb) {
	d.pdf.SetFillColor(c.r, c.g, c.b)
	d.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "F")
	d.pdf.SetFillColor(0, 0, 0)
}

func (d *doc) box(x, y, w, h, width float64, c rgb) {
	d.pdf.SetLineWidth(width)
	d.pdf.SetStrokeColor(c.r, c.g, c.b)
	d.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "D")
	d.pdf.SetStrokeColor(0, 0, 0)
}

// ---- blocks shared by the statements --------------------------------------------------

// kv is one "label: value" pair of a particulars block.
type kv struct {
	label, value string
	bold         bool
}

// sectionBar draws a shaded heading bar across the page and moves below it.
func (d *doc) sectionBar(title, right string) {
	d.need(barSpace + 2*8*lineFactor)
	d.sectionBarAt(marginX, d.y, contentW, title, right)
	d.y += barSpace
}

// particulars draws label/value pairs in two columns (left[i] beside right[i]), each
// column's values aligned after its widest label and wrapped within the column.
func (d *doc) particulars(left, right []kv) {
	sides := [2][]kv{left, right}
	var labelW [2]float64
	d.font(false, 8)
	for c, side := range sides {
		for _, p := range side {
			labelW[c] = max(labelW[c], d.width(p.label)+8)
		}
		labelW[c] = min(labelW[c], halfW*0.65) // longer labels wrap
	}
	n := max(len(left), len(right))
	for i := 0; i < n; i++ {
		h := 0.0
		var cells, labels [2][]string
		for c, side := range sides {
			if i < len(side) {
				d.font(false, 8)
				labels[c] = d.wrap(side[i].label, labelW[c]-6)
				d.font(side[i].bold, 8)
				cells[c] = d.wrap(orDash(side[i].value), halfW-labelW[c]-8)
				h = max(h, float64(max(len(cells[c]), len(labels[c])))*d.lh())
			}
		}
		h += cellPadding
		d.need(h)
		for c, side := range sides {
			if i >= len(side) {
				continue
			}
			x := sideX(c) + 4
			d.font(false, 8)
			d.setColor(darkGrey)
			for j, l := range labels[c] {
				d.text(x, d.y+float64(j)*d.lh(), l)
			}
			d.setColor(black)
			d.font(side[i].bold, 8)
			for j, l := range cells[c] {
				d.text(x+labelW[c], d.y+float64(j)*d.lh(), l)
			}
		}
		d.y += h
	}
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}
