package config

import "testing"

// TestKindFits: a value keeps its declared kind, but for an integer where
// a float is declared (TOML writes 1, not 1.0, for a whole number).
func TestKindFits(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		fits      bool
	}{
		{"a string", "a string", true},
		{"a float", "an integer", true},
		{"an integer", "a float", false},
		{"a string", "an integer", false},
		{"a table", "an array", false},
	} {
		if got := KindFits(tc.want, tc.got); got != tc.fits {
			t.Errorf("KindFits(%q, %q) = %v; want %v", tc.want, tc.got, got, tc.fits)
		}
	}
}
