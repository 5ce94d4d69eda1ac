// Package httpx is what both faces of xinlu, the pages and the JSON API,
// answer over HTTP alike: the status of each error code, a request body
// over the limit, downloads and uploaded files. It imports only the domain.
package httpx

import (
	"net/http"

	"xinlu/internal/xinlu"
)

// ETooLarge is the code of a request body over the server's limit: 413.
// The API writes it as "invalid" in its error envelope.
const ETooLarge xinlu.Code = "too_large"

// TooLarge is the error of a request body over the limit.
func TooLarge() error { return &xinlu.Error{Code: ETooLarge, Key: "error.too_large"} }

// RetryAfter is the Retry-After (seconds) of a 503: the database is down or
// out of space, and a client may try again after it.
const RetryAfter = "30"

// Status is the HTTP status of an error code, the same on both faces.
func Status(c xinlu.Code) int {
	switch c {
	case xinlu.EINVALID:
		return http.StatusUnprocessableEntity
	case xinlu.ENOTFOUND:
		return http.StatusNotFound
	case xinlu.ECONFLICT:
		return http.StatusConflict
	case xinlu.EFORBIDDEN:
		return http.StatusForbidden
	case xinlu.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case xinlu.ETOOMANYREQUESTS:
		return http.StatusTooManyRequests
	case ETooLarge:
		return http.StatusRequestEntityTooLarge
	case xinlu.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
