package report

import (
	"xinlu/internal/i18n"
	"xinlu/internal/xinlu"
)

// ReasonText is a matching reason (要素匹配: why a park or parcel does or
// does not fit a project) in words, the same on the page and in the API.
func ReasonText(p *i18n.Printer, r xinlu.Reason) string {
	return p.Error(&xinlu.Error{Code: xinlu.EINVALID, Key: r.Key, Args: r.Args})
}
