package text

import (
	"fmt"
	"strings"
	"testing"
)

func TestClosest(t *testing.T) {
	envs := []string{"devops", "sbx", "tst", "stg", "prd"}
	runtimes := []string{"prow", "github_actions", "gitlab", "laptop", "when"}
	for _, tc := range []struct {
		in         string
		candidates []string
		want       string
	}{
		{"PRD", envs, "prd"},
		{" stg ", envs, "stg"},
		{"prod", envs, "prd"},
		{"stage", envs, "stg"},
		{"dev", envs, "devops"},
		{"qa", envs, ""},
		{"x", envs, ""},
		{"", envs, ""},
		{"prd", runtimes, ""}, // two edits from prow: too far for three letters
		{"prw", runtimes, "prow"},
		{"whne", runtimes, "when"}, // a swap is one edit
		{"gitlba", runtimes, "gitlab"},
		{"github_actoins", runtimes, "github_actions"},
		{"gihtub_actiosn", runtimes, "github_actions"}, // two swaps
		{"gihtbu_atcions", runtimes, ""},               // three
		{"laptpo", runtimes, "laptop"},
		{strings.Repeat("a", 300), []string{strings.Repeat("a", 299)}, ""},
	} {
		if got := Closest(tc.in, tc.candidates); got != tc.want {
			t.Errorf("Closest(%.20q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestDistanceWithin(t *testing.T) {
	var buf [3 * 32]int
	for _, tc := range []struct {
		a, b string
		k    int
		want int
	}{
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 2, 3},
		{"ab", "ba", 1, 1},
		{"abc", "abc", 0, 0},
		{"abc", "abcdef", 2, 3},
		{"", "ab", 2, 2},
		{"ca", "abc", 3, 3}, // no edit of a swapped pair afterwards
	} {
		if got := distanceWithin(tc.a, tc.b, tc.k, buf[:]); got != tc.want {
			t.Errorf("distanceWithin(%q, %q, %d) = %d; want %d", tc.a, tc.b, tc.k, got, tc.want)
		}
	}
}

// TestClosestAllocatesNothing: comparing with thousands of names costs no
// allocation, whatever their number.
func TestClosestAllocatesNothing(t *testing.T) {
	var names []string
	for i := range 5000 {
		names = append(names, "runtime"+strings.Repeat("x", i%20))
	}
	if n := testing.AllocsPerRun(20, func() { Closest("runtimexxxxq", names) }); n != 0 {
		t.Errorf("%v allocations; want 0", n)
	}
}

func TestDidYouMean(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "",
		"prd":                   `; did you mean "prd"?`,
		"a\nb":                  `; did you mean "a\nb"?`,
		strings.Repeat("x", 70): `; did you mean "` + strings.Repeat("x", 64) + `"...?`,
	} {
		if got := DidYouMean(in); got != want {
			t.Errorf("DidYouMean(%.10q) = %s; want %s", in, got, want)
		}
	}
}

func TestList(t *testing.T) {
	for _, tc := range []struct {
		names []string
		limit int
		want  string
	}{
		{nil, 3, ""},
		{[]string{"a"}, 3, "a"},
		{[]string{"a", "b", "c"}, 3, "a, b, c"},
		{[]string{"a", "b", "c", "d", "e"}, 3, "a, b, c and 2 more"},
		{[]string{"a\x1b[2J", "b"}, 1, `a\x1b[2J and 1 more`},
		// Long names: as many as fit in 400 bytes, 66 each with ", ".
		{long(20), 20, strings.Join(long(20)[:6], ", ") + " and 14 more"},
		{[]string{strings.Repeat("x", 500), "y"}, 20, strings.Repeat("x", 500) + " and 1 more"},
	} {
		if got := List(tc.names, tc.limit); got != tc.want {
			t.Errorf("List(%q, %d) = %q; want %q", tc.names, tc.limit, got, tc.want)
		}
	}
}

// long is n names of 64 bytes.
func long(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%02d", strings.Repeat("r", 62), i)
	}
	return out
}

// TestClosestLongAfterLowering: a value that lower-casing makes longer
// than Closest looks at (Ⱥ is 2 bytes, ⱥ 3) gets no suggestion, and no
// candidate as long overruns the distance's buffer.
func TestClosestLongAfterLowering(t *testing.T) {
	long := strings.Repeat("a", 259)
	for _, n := range []int{85, 86, 87, 128} {
		s := strings.Repeat("\u023a", n) // 2n bytes, 3n once lowered
		want := ""
		if got := Closest(s, []string{long, strings.Repeat("\u2c65", n)}); n <= 85 {
			want = strings.Repeat("\u2c65", n)
			if got != want {
				t.Errorf("Closest(%d×Ⱥ) = %q; want its lower case", n, got)
			}
		} else if got != want {
			t.Errorf("Closest(%d×Ⱥ) = %q; want none: %d bytes once lowered", n, got, 3*n)
		}
	}
}
