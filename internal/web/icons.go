package web

import "html/template"

// icons are the menu's and the top bar's pictures: inline SVG drawn with
// the text colour, so that they show on desktops without an emoji font
// (麒麟, UOS) and need nothing fetched.
var icons = map[string]string{
	"home":      `<path d="M3 11l9-8 9 8"/><path d="M5 10v10h5v-6h4v6h5V10"/>`,
	"user":      `<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4 4-6 8-6s8 2 8 6"/>`,
	"bell":      `<path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4z"/><path d="M10 20a2 2 0 0 0 4 0"/>`,
	"plus":      `<circle cx="12" cy="12" r="9"/><path d="M12 8v8M8 12h8"/>`,
	"list":      `<path d="M8 6h12M8 12h12M8 18h12"/><circle cx="4" cy="6" r="1"/><circle cx="4" cy="12" r="1"/><circle cx="4" cy="18" r="1"/>`,
	"flag":      `<path d="M5 21V4"/><path d="M5 4h11l-2 4 2 4H5"/>`,
	"monitor":   `<rect x="3" y="4" width="18" height="12" rx="1"/><path d="M8 20h8M12 16v4"/>`,
	"columns":   `<rect x="3" y="4" width="18" height="16" rx="1"/><path d="M9 4v16M15 4v16"/>`,
	"table":     `<rect x="3" y="4" width="18" height="16" rx="1"/><path d="M3 10h18M3 15h18M9 10v10"/>`,
	"chart":     `<path d="M4 20V4"/><path d="M4 20h16"/><path d="M8 16v-5M12 16V8M16 16v-3"/>`,
	"star":      `<path d="M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z"/>`,
	"calendar":  `<rect x="3" y="5" width="18" height="16" rx="1"/><path d="M3 10h18M8 3v4M16 3v4"/>`,
	"scale":     `<path d="M12 4v17M7 21h10M5 7h14"/><path d="M5 7l-3 7h6zM19 7l-3 7h6z"/>`,
	"money":     `<path d="M7 4l5 7 5-7M6 12h12M6 16h12M12 11v10"/>`,
	"award":     `<circle cx="12" cy="9" r="6"/><path d="M8.5 14L7 22l5-3 5 3-1.5-8"/>`,
	"gavel":     `<path d="M14 4l6 6M11 7l6 6M12.5 5.5l-4 4 6 6 4-4M10.5 11.5L4 18l2 2 6.5-6.5"/>`,
	"shield":    `<path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z"/><path d="M9 12l2 2 4-4"/>`,
	"tree":      `<rect x="9" y="3" width="6" height="5" rx="1"/><rect x="3" y="16" width="6" height="5" rx="1"/><rect x="15" y="16" width="6" height="5" rx="1"/><path d="M12 8v4M6 16v-4h12v4"/>`,
	"badge":     `<rect x="4" y="3" width="16" height="18" rx="2"/><circle cx="12" cy="10" r="3"/><path d="M8 17c1-2 7-2 8 0"/>`,
	"people":    `<circle cx="9" cy="8" r="3.5"/><path d="M2 20c0-3.5 3-5.5 7-5.5s7 2 7 5.5"/><path d="M16 4.5a3.5 3.5 0 0 1 0 7M18 14.5c2.5.5 4 2.5 4 5.5"/>`,
	"hourglass": `<path d="M6 3h12M6 21h12M7 3c0 5 10 7 10 9s-10 4-10 9M17 3c0 5-10 7-10 9s10 4 10 9"/>`,
	"target":    `<circle cx="12" cy="12" r="9"/><circle cx="12" cy="12" r="5"/><circle cx="12" cy="12" r="1"/>`,
	"map":       `<path d="M3 6l6-3 6 3 6-3v15l-6 3-6-3-6 3z"/><path d="M9 3v15M15 6v15"/>`,
	"alert":     `<path d="M12 3l10 18H2z"/><path d="M12 10v5M12 18v.5"/>`,
	"swap":      `<path d="M4 8h14l-4-4M20 16H6l4 4"/>`,
	"lock":      `<rect x="5" y="11" width="14" height="10" rx="1"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>`,
	"gear":      `<circle cx="12" cy="12" r="3"/><path d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1"/>`,
	"sliders":   `<path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0"/><circle cx="16" cy="6" r="2"/><circle cx="10" cy="12" r="2"/><circle cx="18" cy="18" r="2"/>`,
	"pen":       `<path d="M4 20l4-1L19 8l-3-3L5 16z"/><path d="M14 7l3 3"/>`,
	"menu":      `<path d="M4 6h16M4 12h16M4 18h16"/>`,
	"help":      `<circle cx="12" cy="12" r="9"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6v.6M12 17h.01"/>`,
	"search":    `<circle cx="11" cy="11" r="6.5"/><path d="M16 16l4.5 4.5"/>`,
}

// icon is the inline SVG of the named icon, sized by the text around it.
func icon(name string) template.HTML {
	inner, ok := icons[name]
	if !ok {
		return ""
	}
	return template.HTML(`<svg class="svg-ico" viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">` + inner + `</svg>`)
}
