// Package xinlu holds the domain of a development zone: its types, their
// validation and the rules that govern them. It imports no other package of
// this module and knows nothing of SQL or HTTP.
package xinlu

import (
	"errors"
	"fmt"
)

// Code classifies an error; the API writes it in the error envelope and the
// web layer maps it to an HTTP status.
type Code string

const (
	EINVALID         Code = "invalid"
	ENOTFOUND        Code = "not_found"
	ECONFLICT        Code = "conflict"
	EFORBIDDEN       Code = "forbidden"
	EUNAUTHORIZED    Code = "unauthorized"
	ETOOMANYREQUESTS Code = "too_many_requests"
	EINTERNAL        Code = "internal"
	EUNAVAILABLE     Code = "unavailable" // the database is down or out of space: try again later
)

// Error is the one error type the domain and the store return. Key is a
// translation key (see internal/i18n); Args fill its placeholders.
type Error struct {
	Code  Code
	Field string
	Key   string
	Args  []any
	Err   error // wrapped cause, never shown to users
	// List holds every field error of an input found invalid in several
	// fields; Field, Key and Args are then those of its first.
	List []*Error
}

func (e *Error) Error() string {
	s := string(e.Code)
	if e.Field != "" {
		s += " " + e.Field
	}
	if e.Key != "" {
		s += ": " + e.Key
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// LabelKey is an error argument that names a translation key: the message
// shows the label ("招商推进") rather than the code ("promotion").
type LabelKey string

// Invalid reports bad input in one field.
func Invalid(field, key string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Key: key, Args: args}
}

// FieldErrors collects the errors of every field of a record, so that a
// form shows them all at once: validators check every field and add what
// they find, then answer Err.
type FieldErrors []*Error

// Invalid adds bad input in one field.
func (fe *FieldErrors) Invalid(field, key string, args ...any) {
	*fe = append(*fe, Invalid(field, key, args...))
}

// Add adds err (nil is nothing), with every field error it holds.
func (fe *FieldErrors) Add(err error) {
	if err != nil {
		*fe = append(*fe, ErrorsOf(err)...)
	}
}

// Has tells whether field already has an error.
func (fe FieldErrors) Has(field string) bool {
	for _, e := range fe {
		if e.Field == field {
			return true
		}
	}
	return false
}

// Err is nil when nothing was found, the one error found, or an invalid
// error that names the first field and lists them all. An error that is
// not about the input (internal, conflict …) is answered on its own.
func (fe FieldErrors) Err() error {
	switch len(fe) {
	case 0:
		return nil
	case 1:
		return fe[0]
	}
	for _, e := range fe {
		if e.Code != EINVALID {
			return e
		}
	}
	first := fe[0]
	return &Error{Code: EINVALID, Field: first.Field, Key: first.Key, Args: first.Args, List: append([]*Error(nil), fe...)}
}

// ErrorsOf lists the errors err holds: its List, else err itself; nil for nil.
func ErrorsOf(err error) []*Error {
	if err == nil {
		return nil
	}
	e := AsError(err)
	if len(e.List) > 0 {
		return e.List
	}
	return []*Error{e}
}

// NotFound reports a record that does not exist or that the caller may not see.
func NotFound(key string) *Error { return &Error{Code: ENOTFOUND, Key: key} }

// Conflict reports a stale version or a unique-key clash.
func Conflict(field, key string) *Error { return &Error{Code: ECONFLICT, Field: field, Key: key} }

// Forbidden reports an action the caller's roles do not allow.
func Forbidden() *Error { return &Error{Code: EFORBIDDEN, Key: "error.forbidden"} }

// Internal wraps an unexpected failure.
func Internal(err error) *Error { return &Error{Code: EINTERNAL, Key: "error.internal", Err: err} }

// Unavailable wraps a failure of the database itself (down, unreachable,
// out of disk space): nothing is wrong with the request, it may be tried
// again later.
func Unavailable(err error) *Error {
	return &Error{Code: EUNAVAILABLE, Key: "error.unavailable", Err: err}
}

// Internalf wraps an unexpected failure with context.
func Internalf(format string, args ...any) *Error {
	return Internal(fmt.Errorf(format, args...))
}

// ErrorCode returns the code of err, EINTERNAL for errors of other types and
// "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// AsError returns err as *Error, wrapping foreign errors as internal ones.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}
