package web

// Every page the web tests render is also rendered from the templates as written and
// compared byte for byte with the pre-translated one (see checkViews).
func init() { checkViews = true }

// CheckViews lets a benchmark turn the comparison off, to profile what production runs.
var CheckViews = &checkViews
