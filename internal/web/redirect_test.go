package web

import "testing"

// TestSafeNext: a post-sign-in redirect stays on the site whatever the
// link carries, as a browser would read it.
func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Paths of the site are kept.
		{"/", "/"},
		{"/departments", "/departments"},
		{"/leads/7?tab=files#top", "/leads/7?tab=files#top"},
		{"/projects?q=a%2Fb&page=2", "/projects?q=a%2Fb&page=2"},
		{"/a/..//b", "/a/..//b"}, // a path of this site, however odd
		{"/search?next=//evil.example", "/search?next=//evil.example"},
		// Characters browsers drop are dropped first.
		{"/depart\tments", "/departments"},
		// Anything that leaves the site, or is not a path, goes home.
		{"", "/"},
		{"departments", "/"},
		{"//evil.example/phish", "/"},
		{"/\\evil.example/phish", "/"},
		{"\\\\evil.example", "/"},
		{"/\t/evil.example/phish", "/"},
		{"/\n/evil.example", "/"},
		{"/\r\n/evil.example", "/"},
		{"\t//evil.example", "/"},
		{"/\t\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"http:/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"  //evil.example", "/"},
		{" /departments", "/"},
		{"/\x00/evil.example", "/"},
		{"/x\x7f", "/"},
		{"/%zz", "/"},
		{"\x01//evil.example", "/"},
	} {
		if got := safeNext(tc.in); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
