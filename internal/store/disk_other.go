//go:build !(linux || darwin || freebsd)

package store

// diskSpace is not known on this system.
func diskSpace(string) (free, total uint64, ok bool) { return 0, 0, false }
