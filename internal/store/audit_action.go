package store

import (
	"fmt"
	"testing"

	"xinlu/internal/xinlu"
)

// checkAuditAction refuses, while tests run, an action that has no place in
// xinlu.AuditActions (and so no words on the audit page). Actions of the
// "test" module are the tests' own. In production it never refuses: a row
// is never lost for want of a label.
func checkAuditAction(action string) error {
	if testing.Testing() && xinlu.AuditModule(action) != "test" && !xinlu.KnownAuditAction(action) {
		return xinlu.Internal(fmt.Errorf("audit action %q is missing from xinlu.AuditActions", action))
	}
	return nil
}
