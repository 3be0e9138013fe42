package pdf

// Tables: the payslip's side-by-side item tables and the general column table of the
// payment advice. Both break across pages row by row, repeating their headings.

const (
	halfGap  = 14.0
	halfW    = (contentW - halfGap) / 2
	codeW    = 32.0 // item code column of the item tables
	amountW  = 62.0 // amount column
	tableSz  = 8.0  // font size of table rows
	barH     = 13.0 // height of a heading bar
	barSpace = barH + 2
)

// amountRow is one row of an item table: code, name and formatted amount.
type amountRow struct {
	code, name, amount string
}

// amountTables draws up to two item tables side by side (left and right half of the
// page): a heading bar each, the rows, then the total row of each. A side with an empty
// title is left blank.
func (d *doc) amountTables(titles [2]string, rows [2][]amountRow, totals [2]*amountRow) {
	var active [2]bool
	n := 0
	for s := range 2 {
		active[s] = titles[s] != ""
		if active[s] {
			if len(rows[s]) == 0 {
				rows[s] = []amountRow{{name: "Tiada / None"}}
			}
			n = max(n, len(rows[s]))
		}
	}
	heading := func() {
		for s := range 2 {
			if active[s] {
				d.sectionBarAt(sideX(s), d.y, halfW, titles[s], "RM")
			}
		}
		d.y += barSpace
	}
	rowH := tableSz*lineFactor + cellPadding
	d.need(barSpace + rowH)
	heading()
	prev := d.onNewPage
	d.onNewPage = heading
	defer func() { d.onNewPage = prev }()

	nameW := halfW - 8 - codeW - amountW
	for i := 0; i < n; i++ {
		d.font(false, tableSz)
		var lines [2][]string
		h := 0.0
		for s := range 2 {
			if active[s] && i < len(rows[s]) {
				lines[s] = d.wrap(rows[s][i].name, nameW)
				h = max(h, float64(max(1, len(lines[s])))*d.lh())
			}
		}
		h += cellPadding
		d.need(h)
		for s := range 2 {
			if !active[s] || i >= len(rows[s]) {
				continue
			}
			r, x := rows[s][i], sideX(s)
			d.text(x+4, d.y, r.code)
			for j, l := range lines[s] {
				d.text(x+4+codeW, d.y+float64(j)*d.lh(), l)
			}
			d.textRight(x+halfW-4, d.y, r.amount)
		}
		d.y += h
	}

	// totals
	d.font(true, tableSz)
	totalW := halfW - 8 - amountW
	var lines [2][]string
	h := 0.0
	for s := range 2 {
		if active[s] && totals[s] != nil {
			lines[s] = d.wrap(totals[s].name, totalW)
			h = max(h, float64(len(lines[s]))*d.lh())
		}
	}
	if h == 0 {
		return
	}
	h += cellPadding
	d.need(h + 3)
	for s := range 2 {
		if active[s] && totals[s] != nil {
			d.rule(sideX(s), sideX(s)+halfW, d.y+1, 0.6, darkGrey)
		}
	}
	d.y += 3
	for s := range 2 {
		if !active[s] || totals[s] == nil {
			continue
		}
		x := sideX(s)
		for j, l := range lines[s] {
			d.text(x+4, d.y+float64(j)*d.lh(), l)
		}
		d.textRight(x+halfW-4, d.y, totals[s].amount)
	}
	d.y += h
}

func sideX(s int) float64 { return marginX + float64(s)*(halfW+halfGap) }

// sectionBarAt draws a shaded heading bar with a bold title (and an optional right-aligned
// word) at (x, y), without moving.
func (d *doc) sectionBarAt(x, y, w float64, title, right string) {
	d.fill(x, y, w, barH, lightFill)
	d.font(true, 8)
	d.setColor(black)
	d.text(x+4, y+2.6, title)
	if right != "" {
		d.textRight(x+w-4, y+2.6, right)
	}
}

// column is one column of a general table.
type column struct {
	head  [2]string // Malay, English
	width float64
	right bool // right-aligned (amounts)
}

// table draws a general table: a two-line heading (Malay bold, English grey), then the
// rows with every cell wrapped within its column, then an optional bold total row whose
// label spans all columns but the last.
func (d *doc) table(cols []column, rows [][]string, totalLabel, total string) {
	const headSz = 7.5
	heading := func() {
		h := 2*headSz*lineFactor + 4
		d.fill(marginX, d.y, contentW, h, lightFill)
		x := marginX
		for _, c := range cols {
			for k, t := range c.head {
				if k == 0 {
					d.font(true, headSz)
					d.setColor(black)
				} else {
					d.font(false, headSz)
					d.setColor(darkGrey)
				}
				ty := d.y + 2 + float64(k)*headSz*lineFactor
				if c.right {
					d.textRight(x+c.width-3, ty, t)
				} else {
					d.text(x+3, ty, t)
				}
			}
			x += c.width
		}
		d.setColor(black)
		d.y += h + 2
	}
	d.need(2*7.5*lineFactor + 6 + tableSz*lineFactor + cellPadding)
	heading()
	prev := d.onNewPage
	d.onNewPage = heading
	defer func() { d.onNewPage = prev }()

	for _, row := range rows {
		d.font(false, tableSz)
		cells := make([][]string, len(cols))
		h := 0.0
		for i, c := range cols {
			if i < len(row) {
				cells[i] = d.wrap(row[i], c.width-6)
			}
			h = max(h, float64(max(1, len(cells[i])))*d.lh())
		}
		h += cellPadding + 3
		d.need(h)
		x := marginX
		for i, c := range cols {
			for j, l := range cells[i] {
				ly := d.y + 2 + float64(j)*d.lh()
				if c.right {
					d.textRight(x+c.width-3, ly, l)
				} else {
					d.text(x+3, ly, l)
				}
			}
			x += c.width
		}
		d.y += h
		d.rule(marginX, marginX+contentW, d.y-0.5, 0.3, midGrey)
	}

	if totalLabel == "" {
		return
	}
	d.font(true, 8.5)
	h := d.lh() + cellPadding + 3
	d.need(h)
	d.rule(marginX, marginX+contentW, d.y, 0.8, darkGrey)
	d.y += 3
	last := cols[len(cols)-1]
	d.textRight(marginX+contentW-last.width-3, d.y, totalLabel)
	d.textRight(marginX+contentW-3, d.y, total)
	d.y += h - 3
}
