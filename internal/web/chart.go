package web

import (
	"github.com/espeks/espeks/internal/money"
)

// barChart is a small server-rendered SVG bar chart (no script): the home page's net pay
// or payments per month. The same numbers are in a table beside it for screen readers.
type barChart struct {
	Width, Height int
	Bars          []bar
	Max           money.Sen
}

type bar struct {
	X, Y, W, H int
	LabelX     int
	Label      string // month label under the bar
	Value      money.Sen
}

// newBarChart lays out values (oldest first) in a width × height box with room for labels.
func newBarChart(labels []string, values []money.Sen) barChart {
	c := barChart{Width: 600, Height: 220}
	for _, v := range values {
		c.Max = max(c.Max, v)
	}
	const top, bottom, gap = 10, 30, 8
	plot := c.Height - top - bottom
	n := max(len(values), 1)
	w := (c.Width - gap*(n+1)) / n
	for i, v := range values {
		h := 0
		if c.Max > 0 && v > 0 {
			h = int(int64(v) * int64(plot) / int64(c.Max))
			h = max(h, 1)
		}
		x := gap + i*(w+gap)
		c.Bars = append(c.Bars, bar{X: x, Y: top + plot - h, W: w, H: h, LabelX: x + w/2, Label: labels[i], Value: v})
	}
	return c
}
