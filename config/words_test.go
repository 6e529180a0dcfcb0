package config

import "testing"

// TestWordsOfAnyFilter holds the wording of conditions and fact sources to a
// total function of their fields: PRFilter is an exported number, and a
// value no constant names is worded as no filter, never a panic.
func TestWordsOfAnyFilter(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{Condition{PR: 3}.String(), "always"},
		{Condition{PR: PROnly}.String(), "a pull request"},
		{Condition{PR: NotPR}.String(), "not a pull request"},
		{FactSource{Var: "X", PR: 3}.String(), "X"},
		{FactSource{Var: "X", PR: NotPR}.String(), "X, except on pull requests"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
