package glob

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

func mustCompile(t testing.TB, s string) Pattern {
	t.Helper()
	p, err := Compile(s)
	if err != nil {
		t.Fatalf("Compile(%q): %v", s, err)
	}
	return p
}

func mustCapture(t testing.TB, s string) Pattern {
	t.Helper()
	p, err := CompileCapture(s)
	if err != nil {
		t.Fatalf("CompileCapture(%q): %v", s, err)
	}
	return p
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, value string
		want           bool
	}{
		// GitHub's "Patterns to match branches and tags", from the filter
		// pattern cheat sheet:
		// https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#filter-pattern-cheat-sheet
		// Every example match it lists, and non-matches of our own.
		{"feature/*", "feature/my-branch", true},
		{"feature/*", "feature/your-branch", true},
		{"feature/*", "feature/your-branch/x", false},
		{"feature/*", "feature/beta-a/my-branch", false},
		{"feature/*", "feature", false},
		{"feature/*", "feature/", true}, // * may be empty
		{"feature/**", "feature/beta-a/my-branch", true},
		{"feature/**", "feature/your-branch", true},
		{"feature/**", "feature/mona/the/octocat", true},
		{"feature/**", "features/x", false},
		{"main", "main", true},
		{"main", "mainline", false},
		{"main", "release/main", false},
		{"main", "mai", false},
		{"releases/mona-the-octocat", "releases/mona-the-octocat", true},
		{"releases/mona-the-octocat", "releases/mona", false},
		{"*", "main", true},
		{"*", "releases", true},
		{"*", "releases/v1", false},
		{"*", "all/the/branches", false},
		{"**", "all/the/branches", true},
		{"**", "every/tag", true},
		{"**", "main", true},
		{"**", "/", true},
		{"*feature", "mona-feature", true},
		{"*feature", "feature", true},
		{"*feature", "ver-10-feature", true},
		{"*feature", "a/feature", false},
		{"*feature", "feature-x", false},
		{"v2*", "v2", true},
		{"v2*", "v2.0", true},
		{"v2*", "v2.9", true},
		{"v2*", "v3", false},
		{"v2*", "v2/x", false},
		// [], ? and + are not special here: the cheat sheet's semver
		// pattern matches only itself.
		{"v[12].[0-9]+.[0-9]+", "v1.10.1", false},
		{"v[12].[0-9]+.[0-9]+", "v[12].[0-9]+.[0-9]+", true},
		{"Octoc?t", "Octocat", false},
		{"Octoc?t", "Octoc?t", true},
		{"!main", "!main", true},

		// Literals.
		{"refs/heads/main", "refs/heads/main", true},
		{"refs/heads/main", "refs/heads/mai", false},
		{"refs/heads/main", "refs/heads/main/", false},
		{"a", "A", false},
		{"é", "é", true},
		// * does not cross a slash; ** does.
		{"refs/heads/*", "refs/heads/feature/x", false},
		{"refs/heads/**", "refs/heads/feature/x", true},
		{"refs/*/main", "refs/heads/main", true},
		{"refs/*/main", "refs/a/b/main", false},
		{"refs/**/main", "refs/a/b/main", true},
		{"refs/**/main", "refs/main", false}, // **/ needs the slash
		{"refs/**main", "refs/main", true},
		{"**/main", "main", false},
		{"**/main", "a/b/main", true},
		{"*/*", "a/b", true},
		{"*/*", "a/b/c", false},
		{"*/*", "/", true},
		{"*/**", "a/b/c", true},
		{"***", "a/b", true}, // three stars are two
		{"a*b*c", "abc", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXb/Yc", false},
		{"a**b*c", "aX/bYc", true},
		{"a*b*c", "acb", false},
		{"*.*.*", "1.2.3", true},
		{"*.*.*", "1.2", false},
		{"*a*a*", "aa", true},
		{"*a*a*", "a", false},
		{"pre*mid*post", "premidpost", true},
		{"pre*mid*post", "prepost", false},
		{"ab*ba", "aba", false}, // prefix and suffix may not overlap
		{"ab*ba", "abba", true},
		// An empty value matches nothing.
		{"*", "", false},
		{"**", "", false},
		{"a*", "", false},
		// Escapes.
		{`\*`, "*", true},
		{`\*`, "a", false},
		{`\*\*`, "**", true},
		{`\**`, "*abc", true},
		{`\**`, "abc", false},
		{`a\\b`, `a\b`, true},
		{`\a`, "a", true},
		{`\{}`, "{}", true},
		{`{\}`, "{}", true},
		{`\{**}`, "{x/y}", true},
		{`\{**}`, "{}", true},
		{"{", "{", true},
		{"}", "}", true},
		{"{*}", "{abc}", true},
		{"{*}", "{a/c}", false},
		{"{***}", "{a/c}", true},
		{"x{y}", "x{y}", true},
	} {
		p := mustCompile(t, tc.pattern)
		if got := p.Match(tc.value); got != tc.want {
			t.Errorf("%q.Match(%q) = %v; want %v", tc.pattern, tc.value, got, tc.want)
		}
	}
}

func TestCapture(t *testing.T) {
	const no = "\x00" // the pattern does not match
	for _, tc := range []struct {
		pattern, value, want string
	}{
		{"refs/pull/{}/merge", "refs/pull/123/merge", "123"},
		{"refs/pull/{}/merge", "refs/pull/1/2/merge", no},
		{"refs/pull/{}/merge", "refs/pull//merge", no},
		{"refs/pull/{}/merge", "refs/pull/123/head", no},
		{"refs/tags/{**}", "refs/tags/v1.2/rc", "v1.2/rc"},
		{"refs/tags/{**}", "refs/tags/", no},
		{"refs/tags/{}", "refs/tags/v1.2/rc", no},
		{"refs/heads/{**}", "refs/heads/feature/login", "feature/login"},
		{"**/pull/{}", "https://github.com/o/r/pull/42", "42"},
		{"**/pull/{}", "https://github.com/o/r/pull/42/files", no},
		{"**/pull/{}", "https://github.com/o/r/pull/", no},
		{"https://*/{**}.git", "https://github.com/owner/name.git", "owner/name"},
		{"https://*/{**}.git", "https://github.com/owner/name", no},
		{"git@*:{**}.git", "git@github.com:owner/name.git", "owner/name"},
		{"https://*/{**}", "https://gitlab.com/group/sub/project", "group/sub/project"},
		{"https://*/{**}", "https://gitlab.com/", no},
		{"{}", "abc", "abc"},
		{"{}", "a/c", no},
		{"{**}", "a/c", "a/c"},
		{"{}", "", no},
		{"{**}", "", no},
		// Ties: the capture that starts leftmost, then the longest.
		{"{}*", "abc", "abc"},
		{"*{}", "abc", "abc"},
		{"*{}*", "abc", "abc"},
		{"{**}**", "a/b", "a/b"},
		{"**{**}", "a/b", "a/b"},
		{"{**}/**", "a/b/c", "a/b"},
		{"**/{**}", "a/b/c", "b/c"},
		{"*/{**}", "a/b/c", "b/c"},
		{"{}/*", "a/b", "a"},
		{"*/{}", "a/b", "b"},
		{"{**}/*", "a/b/c", "a/b"},
		{"{}x*", "axbxc", "axb"},
		{"*x{}", "axbxc", "bxc"},
		{"*x{}x*", "axbxcxd", "bxc"},
		{"**x{}x**", "a/xb/xcx", "c"}, // "b" starts earlier, but no x follows it
		{"a*{}*b", "aXYb", "XY"},
		{"a*{**}/b", "ax/y/b", "x/y"},
		{"*-{}-*-*", "a-b-c-d-e", "b-c"},
		{"v{}.*", "v1.2.3", "1.2"},
		{"v*.{}", "v1.2.3", "2.3"},
		{"**/{}/**", "a/b/c/d", "b"},
		// Escapes around a capture.
		{`\{}{}`, "{}x", "x"},
		{`{}\{}`, "x{}", "x"},
		{`{**}\*`, "a/b*", "a/b"},
		{`\\{}`, `\x`, "x"},
		// The capture is a substring of the value whatever the literals.
		{"x{}x", "xxx", "x"},
		{"x{}x", "xx", no},
		{"{}{", "a{", "a"},
		{"}{}", "}a", "a"},
	} {
		p := mustCapture(t, tc.pattern)
		got, ok := p.Capture(tc.value)
		if !ok {
			got = no
		} else if got == no {
			t.Fatalf("test captures the marker")
		}
		if got != tc.want {
			t.Errorf("%q.Capture(%q) = %q, %v; want %q", tc.pattern, tc.value, got, ok, tc.want)
		}
		if m := p.Match(tc.value); m != ok {
			t.Errorf("%q.Match(%q) = %v; Capture says %v", tc.pattern, tc.value, m, ok)
		}
		if ok && !isSubstring(got, tc.value) {
			t.Errorf("%q.Capture(%q) = %q: not a substring of the value", tc.pattern, tc.value, got)
		}
	}
}

// isSubstring reports whether s lies in the memory of v.
func isSubstring(s, v string) bool {
	if s == "" {
		return true
	}
	sp, vp := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(v)))
	return vp <= sp && sp+uintptr(len(s)) <= vp+uintptr(len(v))
}

func TestCompileErrors(t *testing.T) {
	long := strings.Repeat("a", maxLen+1)
	for _, tc := range []struct {
		pattern     string
		match, fact string // the errors of Compile and CompileCapture
	}{
		{"", "is empty", "is empty"},
		{long, "is longer than 256 characters", "is longer than 256 characters"},
		{long[:maxLen-2] + "{}", "has a capture; a capture is allowed only in a fact's pattern", ""},
		{`a\`, `ends with a lone \`, `ends with a lone \`},
		{`\`, `ends with a lone \`, `ends with a lone \`},
		{`{}\`, `ends with a lone \`, `ends with a lone \`},
		{`a\\`, "", "has no capture; a fact's pattern takes one, {} or {**}"},
		{"refs/pull/{}/merge", "has a capture; a capture is allowed only in a fact's pattern", ""},
		{"refs/tags/{**}", "has a capture; a capture is allowed only in a fact's pattern", ""},
		{"refs/heads/*", "", "has no capture; a fact's pattern takes one, {} or {**}"},
		{"{}/{**}", "has a capture; a capture is allowed only in a fact's pattern", "has two captures; a pattern takes one"},
		{"{}{}{}", "has a capture; a capture is allowed only in a fact's pattern", "has 3 captures; a pattern takes one"},
		{`\{}/{}`, "has a capture; a capture is allowed only in a fact's pattern", ""},
		{`\{}`, "", "has no capture; a fact's pattern takes one, {} or {**}"},
		{"{*}", "", "has no capture; a fact's pattern takes one, {} or {**}"},
		{"{***}", "", "has no capture; a fact's pattern takes one, {} or {**}"},
	} {
		_, err := Compile(tc.pattern)
		if got := errString(err); got != tc.match {
			t.Errorf("Compile(%.20q): %q; want %q", tc.pattern, got, tc.match)
		}
		_, err = CompileCapture(tc.pattern)
		if got := errString(err); got != tc.fact {
			t.Errorf("CompileCapture(%.20q): %q; want %q", tc.pattern, got, tc.fact)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestLongest(t *testing.T) {
	// A pattern of 256 bytes: 257 states, five words.
	pat := strings.Repeat("a*", maxLen/2)
	p := mustCompile(t, pat)
	if !p.Match(strings.Repeat("a", 128)) || !p.Match(strings.Repeat("ab", 200)) || p.Match(strings.Repeat("a", 127)) {
		t.Errorf("%.20q… mismatches", pat)
	}
	pat = strings.Repeat("a", 64) + "*" + strings.Repeat("b/", 95) + "c"
	p = mustCompile(t, pat)
	v := strings.Repeat("a", 64) + "x" + strings.Repeat("b/", 95) + "c"
	if !p.Match(v) || p.Match(v[:len(v)-1]+"d") {
		t.Errorf("%.20q… mismatches", pat)
	}
	// Stars all over, so that prefix and suffix are empty and the
	// automaton spans words.
	pat = "*" + strings.Repeat("ab*", 80)
	p = mustCompile(t, pat)
	if !p.Match(strings.Repeat("ab", 80)) || !p.Match("x"+strings.Repeat("abx", 80)) || p.Match(strings.Repeat("ab", 79)) || p.Match("x/"+strings.Repeat("ab", 80)) {
		t.Errorf("%.20q… mismatches", pat)
	}
	pat = "*x{}" + strings.Repeat("y*", 100)
	p = mustCapture(t, pat)
	v = "axbc" + strings.Repeat("y", 100)
	if got, ok := p.Capture(v); !ok || got != "bc" {
		t.Errorf("%.20q….Capture(%.20q…) = %q, %v; want bc", pat, v, got, ok)
	}
	if got, ok := p.Capture(v + "/"); ok {
		t.Errorf("%.20q….Capture(%.20q…/) = %q, %v; want no match", pat, v, got, ok)
	}
}

func TestString(t *testing.T) {
	for _, s := range []string{"refs/heads/*", `\*{}`, "**"} {
		p, err := Compile(s)
		if err != nil {
			p = mustCapture(t, s)
		}
		if p.String() != s {
			t.Errorf("String() = %q; want %q", p.String(), s)
		}
	}
	var zero Pattern
	if zero.String() != "" || zero.Match("x") {
		t.Errorf("the zero Pattern is %q and matches x", zero.String())
	}
	if got, ok := zero.Capture("x"); got != "" || ok {
		t.Errorf("the zero Pattern captures %q, %v", got, ok)
	}
	if got, ok := mustCompile(t, "*").Capture("x"); got != "" || ok {
		t.Errorf("a pattern without capture captures %q, %v", got, ok)
	}
}

// TestHostile checks that patterns built to make a backtracking matcher
// take exponential or polynomial time finish, with the right answer.
func TestHostile(t *testing.T) {
	as := strings.Repeat("a", MaxValue)
	for _, tc := range []struct {
		pattern string
		want    bool
	}{
		{"*a*a*a*a*a*a*a*a*b", false},
		{"**a**a**a**a**b", false},
		{"*a*a*a*a*a*a*a*a*b*", false}, // no literal suffix to rule it out
		{"**a**a**a**a**b**", false},
		{"*a*a*a*a*a*a*a*a*", true},
		{"a**a**a**a**a", true},
	} {
		if got := mustCompile(t, tc.pattern).Match(as); got != tc.want {
			t.Errorf("%q.Match(4096 a) = %v; want %v", tc.pattern, got, tc.want)
		}
	}
	for _, tc := range []struct {
		pattern, want string
		ok            bool
	}{
		{"*a*a*a*a{}a*a*a*a*b*", "", false},
		{"**a**a**{**}a**a**b**", "", false},
		{"*a*a*a*a{}a*a*a*a*", as[4 : len(as)-4], true},
		{"**a**{**}**a**", as[1 : len(as)-1], true},
	} {
		got, ok := mustCapture(t, tc.pattern).Capture(as)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q.Capture(4096 a) = %d bytes, %v; want %d, %v", tc.pattern, len(got), ok, len(tc.want), tc.ok)
		}
	}
	// Many slash-free runs, each a place a {} may be.
	slashed := strings.Repeat("aa/", MaxValue/3)
	for _, tc := range []struct {
		pattern, want string
		ok            bool
	}{
		{"**a**a{}a**a**b**", "", false},
		{"**a/{}a**", slashed[3:4], true},
		{"**a/{}/**", slashed[3:5], true},
	} {
		got, ok := mustCapture(t, tc.pattern).Capture(slashed)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q.Capture(1365 aa/) = %q, %v; want %q, %v", tc.pattern, got, ok, tc.want, tc.ok)
		}
	}
}

// TestMaxValue: past MaxValue bytes between its literal start and end, a
// value matches no pattern of two wildcards or more (their state holds a
// bit a position); a pattern of one wildcard matches any length, so that a
// long ref keeps its branch whole (CONTRACT §10: a fact is never cut).
func TestMaxValue(t *testing.T) {
	long := strings.Repeat("b", 5000)
	for _, tc := range []struct {
		pattern, value string
		match          bool
	}{
		{"a*", strings.Repeat("a", MaxValue+1), true},
		{"a**", strings.Repeat("a", MaxValue+1), true},
		{"*a*", strings.Repeat("a", MaxValue), true},
		{"*a*", strings.Repeat("a", MaxValue+1), false},
		{"x*a*", "x" + strings.Repeat("a", MaxValue+1), false},
		{"x*a*", "x" + strings.Repeat("a", MaxValue), true},
	} {
		if got := mustCompile(t, tc.pattern).Match(tc.value); got != tc.match {
			t.Errorf("%s.Match(%d bytes) = %v, want %v", tc.pattern, len(tc.value), got, tc.match)
		}
	}
	for _, tc := range []struct{ pattern, value, want string }{
		{"refs/heads/{**}", "refs/heads/" + long, long},
		{"TAG_PUSH refs/tags/{**}", "TAG_PUSH refs/tags/" + long, long},
		{"a{}", strings.Repeat("a", MaxValue+1), strings.Repeat("a", MaxValue)},
		{"**/{}", "x/" + long, ""},
		{"**/{}", "x/" + long[:MaxValue-2], long[:MaxValue-2]},
	} {
		if got, _ := mustCapture(t, tc.pattern).Capture(tc.value); got != tc.want {
			t.Errorf("%s.Capture(%d bytes) = %d bytes, want %d", tc.pattern, len(tc.value), len(got), len(tc.want))
		}
	}
}

func TestNoAllocs(t *testing.T) {
	long := strings.Repeat("abc/", 1000)
	for _, tc := range []struct{ pattern, value string }{
		{"main", "main"},
		{"refs/heads/*", "refs/heads/main"},
		{"feature/**", "feature/a/b"},
		{"*a*b*c*", "xxaxxbxxcxx"},
		{"**/*.md", "docs/a/b/README.md"},
		{strings.Repeat("a*", 100), strings.Repeat("a", 100)},
		{"*b*b*", long},
	} {
		p := mustCompile(t, tc.pattern)
		if n := testing.AllocsPerRun(100, func() { p.Match(tc.value) }); n != 0 {
			t.Errorf("%.20q.Match(%.20q) allocates %v times", tc.pattern, tc.value, n)
		}
	}
	for _, tc := range []struct{ pattern, value string }{
		{"refs/pull/{}/merge", "refs/pull/123/merge"},
		{"refs/tags/{**}", "refs/tags/v1.2/rc"},
		{"**/pull/{}", "https://github.com/o/r/pull/42"},
		{"https://*/{**}.git", "https://github.com/owner/name.git"},
		{"git@*:{**}.git", "git@github.com:owner/name.git"},
		{"{}/*", "abc/def"},
		{"*-{}-*", "a-b-c"}, // the small machine
		{"*-{}" + strings.Repeat("-*", 30), "a-b" + strings.Repeat("-c", 30)}, // the large one
		{"**a{}/**", long},
		{"**/x{}/**", strings.Repeat("a/", 40) + "xb/c"},                                                  // many slashes: the machine
		{"**/x{}" + strings.Repeat("/*", 20), strings.Repeat("a/", 40) + "xb" + strings.Repeat("/c", 20)}, // its large form
	} {
		p := mustCapture(t, tc.pattern)
		if _, ok := p.Capture(tc.value); !ok {
			t.Errorf("%.20q.Capture(%.20q) fails", tc.pattern, tc.value)
		}
		if n := testing.AllocsPerRun(100, func() { p.Capture(tc.value) }); n != 0 {
			t.Errorf("%.20q.Capture(%.20q) allocates %v times", tc.pattern, tc.value, n)
		}
	}
}

// refMatch reports whether the pattern source p, without capture, matches
// all of v, which may be empty.
func refMatch(p, v string) bool { return refSuffix(p, v)(0) }

// refSuffix returns a function that reports whether the pattern source p,
// without capture, matches v[j:]. It reads p directly, by recursion, with a
// memo shared by its calls so that it takes polynomial time.
func refSuffix(p, v string) func(j int) bool {
	m := &refMatcher{p: p, v: v, memo: make([]int8, (len(p)+1)*(len(v)+1))}
	return func(j int) bool { return m.match(0, j) }
}

// refMatcher is the state of refSuffix.
type refMatcher struct {
	p, v string
	memo []int8 // 0 unknown, 1 no, 2 yes
}

// match reports whether p[i:] matches v[j:].
func (m *refMatcher) match(i, j int) bool {
	p, v := m.p, m.v
	key := i*(len(v)+1) + j
	if m.memo[key] != 0 {
		return m.memo[key] == 2
	}
	var r bool
	switch {
	case i == len(p):
		r = j == len(v)
	case p[i] == '\\':
		r = j < len(v) && v[j] == p[i+1] && m.match(i+2, j+1)
	case strings.HasPrefix(p[i:], "**"):
		r = m.run(i+2, j, true)
	case p[i] == '*':
		r = m.run(i+1, j, false)
	default:
		r = j < len(v) && v[j] == p[i] && m.match(i+1, j+1)
	}
	m.memo[key] = 1
	if r {
		m.memo[key] = 2
	}
	return r
}

// run reports whether p[i:] matches v[k:] for a k from j on that the run
// of a star reaches: the end of v for **, the next slash for *.
func (m *refMatcher) run(i, j int, slashes bool) bool {
	for k := j; ; k++ {
		if m.match(i, k) {
			return true
		}
		if k == len(m.v) || !slashes && m.v[k] == '/' {
			return false
		}
	}
}

// refSplit finds the captures of the pattern source p: it returns the text
// before the first and after it, whether it is {**}, and how many there are.
func refSplit(p string) (before, after string, slashes bool, n int) {
	for i := 0; i < len(p); {
		switch {
		case p[i] == '\\':
			i += 2
			continue
		case strings.HasPrefix(p[i:], "{}"):
			if n == 0 {
				before, after = p[:i], p[i+2:]
			}
			n++
			i += 2
		case strings.HasPrefix(p[i:], "{**}"):
			if n == 0 {
				before, after, slashes = p[:i], p[i+4:], true
			}
			n++
			i += 4
		default:
			i++
		}
	}
	return before, after, slashes, n
}

// refCapture tries every span of v, leftmost start first, then longest.
func refCapture(p, v string) (string, bool) {
	before, after, slashes, _ := refSplit(p)
	okAfter := refSuffix(after, v)
	for s := 0; s < len(v); s++ {
		if !refMatch(before, v[:s]) {
			continue
		}
		for e := len(v); e > s; e-- {
			if (slashes || strings.IndexByte(v[s:e], '/') < 0) && okAfter(e) {
				return v[s:e], true
			}
		}
	}
	return "", false
}

// escape returns a pattern that matches exactly s.
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte('\\')
		b.WriteByte(s[i])
	}
	return b.String()
}

// check compares p's Match and Capture on v with the reference matchers.
func check(t *testing.T, p, v string, ref bool) {
	t.Helper()
	m, merr, c, cerr := checkCompile(t, p)
	if merr == nil {
		got := m.Match(v)
		if ref && got != (v != "" && refMatch(p, v)) {
			t.Fatalf("%q.Match(%q) = %v; the reference disagrees", p, v, got)
		}
	}
	if cerr == nil {
		checkCapture(t, c, p, v, ref)
	}
}

// checkCompile compiles p both ways, and checks that each fails exactly
// when p is empty, too long, ends with a lone \ or has the wrong number of
// captures.
func checkCompile(t *testing.T, p string) (m Pattern, merr error, c Pattern, cerr error) {
	t.Helper()
	_, _, _, caps := refSplit(p)
	long := len(p) > maxLen
	lone := false
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' {
			if i+1 == len(p) {
				lone = true
			}
			i++
		}
	}
	m, merr = Compile(p)
	c, cerr = CompileCapture(p)
	if wantOK := p != "" && !long && !lone && caps == 0; (merr == nil) != wantOK {
		t.Fatalf("Compile(%q): %v", p, merr)
	}
	if wantOK := p != "" && !long && !lone && caps == 1; (cerr == nil) != wantOK {
		t.Fatalf("CompileCapture(%q): %v", p, cerr)
	}
	return m, merr, c, cerr
}

// checkCapture compares c's Capture on v, c compiled from p, with its
// Match, with the pattern the capture makes, and, when ref, with the
// reference.
func checkCapture(t *testing.T, c Pattern, p, v string, ref bool) {
	t.Helper()
	before, after, slashes, _ := refSplit(p)
	got, ok := c.Capture(v)
	if c.Match(v) != ok {
		t.Fatalf("%q.Match(%q) = %v; Capture says %v", p, v, !ok, ok)
	}
	if ok {
		if got == "" || !slashes && strings.IndexByte(got, '/') >= 0 {
			t.Fatalf("%q.Capture(%q) = %q", p, v, got)
		}
		if e := escape(got); len(before)+len(e)+len(after) <= maxLen {
			q := before + e + after
			if !mustCompile(t, q).Match(v) {
				t.Fatalf("%q.Capture(%q) = %q, but %q does not match", p, v, got, q)
			}
		}
	}
	if ref {
		want, wantOK := refCapture(p, v)
		if v == "" {
			want, wantOK = "", false
		}
		if got != want || ok != wantOK {
			t.Fatalf("%q.Capture(%q) = %q, %v; the reference says %q, %v", p, v, got, ok, want, wantOK)
		}
	}
}

// instance returns a value that p, a pattern made of the tokens of
// TestAgainstReference, matches, as a rule, or one near it: r picks each
// run of a star or capture, and now and then a byte to drop or add.
func instance(r *rand.Rand, p string, alphabet string) string {
	var b strings.Builder
	run := func(min int, slash bool) {
		for range min + r.IntN(3) {
			c := alphabet[r.IntN(len(alphabet))]
			if c == '/' && !slash {
				c = 'a'
			}
			b.WriteByte(c)
		}
	}
	for i := 0; i < len(p); {
		switch {
		case p[i] == '\\':
			b.WriteByte(p[i+1])
			i += 2
		case strings.HasPrefix(p[i:], "{}"):
			run(1, false)
			i += 2
		case strings.HasPrefix(p[i:], "{**}"):
			run(1, true)
			i += 4
		case strings.HasPrefix(p[i:], "**"):
			run(0, true)
			i += 2
		case p[i] == '*':
			run(0, false)
			i++
		default:
			b.WriteByte(p[i])
			i++
		}
		if r.IntN(40) == 0 {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
	}
	v := b.String()
	if v != "" && r.IntN(10) == 0 {
		i := r.IntN(len(v))
		v = v[:i] + v[i+1:]
	}
	return v
}

// TestAgainstReference compares the matcher with the reference one on
// random patterns and values over a small alphabet: short patterns with
// random values and values made to match, and patterns long enough that
// their automata take several words.
func TestAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(alphabet []string, n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	tokens := []string{"a", "b", "/", "*", "*", "**", `\*`, `\a`, "{}", "{**}", "{", "}"}
	const alphabet = "ab/*{}"
	n := 10_000
	if testing.Short() {
		n = 1_000
	}
	for range n {
		p := pick(tokens, 1+r.IntN(7))
		check(t, p, pick(strings.Split(alphabet, ""), r.IntN(12)), true)
		check(t, p, instance(r, p, alphabet), true)
	}
	long := []string{"a", "a", "a", "b", "/", "*", "*", "**"}
	for range n / 100 {
		toks := make([]string, 60+r.IntN(140))
		for i := range toks {
			toks[i] = long[r.IntN(len(long))]
		}
		if k := r.IntN(3); k > 0 { // most have a capture somewhere
			toks = slices.Insert(toks, r.IntN(len(toks)+1), [...]string{"", "{}", "{**}"}[k])
		}
		p := strings.Join(toks, "")
		for range 3 {
			if v := instance(r, p, alphabet); len(p) <= maxLen && len(v) <= 200 {
				check(t, p, v, true)
			}
		}
	}
}

func FuzzGlob(f *testing.F) {
	for _, s := range [][2]string{
		{"feature/*", "feature/my-branch"},
		{"feature/**", "feature/a/b"},
		{"refs/pull/{}/merge", "refs/pull/123/merge"},
		{"https://*/{**}.git", "https://github.com/owner/name.git"},
		{"**/pull/{}", "https://github.com/o/r/pull/42"},
		{"*x{}x*", "axbxcxd"},
		{`\*{}\{}`, "*a{}"},
		{"a*b**c", "a/b/c"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, p, v string) {
		check(t, p, v, len(p) <= 64 && len(v) <= 64)
	})
}

func BenchmarkMatch(b *testing.B) {
	for _, bc := range []struct{ name, pattern, value string }{
		{"literal", "main", "main"},
		{"branch", "refs/heads/*", "refs/heads/feature-login"},
		{"tree", "refs/heads/feature/**", "refs/heads/feature/login/form"},
		{"stars", "*-*-*", "release-2024-10"},
		{"middle", "refs/**/v*.*", "refs/tags/release/v1.2"},
		{"miss", "refs/**/v*.*", "refs/heads/release/main"},
		{"hostile", "*a*a*a*a*a*a*a*a*b*", strings.Repeat("a", 1000)},
	} {
		p := mustCompile(b, bc.pattern)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.Match(bc.value)
			}
		})
	}
}

func BenchmarkCapture(b *testing.B) {
	for _, bc := range []struct{ name, pattern, value string }{
		{"pull", "refs/pull/{}/merge", "refs/pull/123/merge"},
		{"tag", "refs/tags/{**}", "refs/tags/v1.2/rc"},
		{"url", "**/pull/{}", "https://github.com/o/r/pull/42"},
		{"repo", "https://*/{**}.git", "https://github.com/owner/name.git"},
		{"ssh", "git@*:{**}.git", "git@github.com:owner/name.git"},
		{"segments", "*/{}-*", "refs/feature-login"},
		{"machine", "**/x{}/**", strings.Repeat("a/", 40) + "xb/c"},
		{"hostile", "*a*a*a*a{}a*a*a*a*b*", strings.Repeat("a", 1000)},
	} {
		p := mustCapture(b, bc.pattern)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.Capture(bc.value)
			}
		})
	}
}

// TestFootprint: a compiled pattern costs memory in proportion to its
// text: its fields and two bytes a token, whatever the pattern.
func TestFootprint(t *testing.T) {
	for _, s := range []string{"a", "main", "refs/heads/*", strings.Repeat("*a", 128), "refs/pull/{}/merge"} {
		p, err := Compile(s)
		if err != nil {
			p = mustCapture(t, s)
		}
		size := int(unsafe.Sizeof(p)) + cap(p.toks)*int(unsafe.Sizeof(token{}))
		if max := int(unsafe.Sizeof(p)) + 2*len(s); size > max {
			t.Errorf("%.20q: %d bytes; want at most %d", s, size, max)
		}
	}
}

// TestLongFault: the fault of a long pattern, a constant, states the bound.
func TestLongFault(t *testing.T) {
	if want := "is longer than " + strconv.Itoa(maxLen) + " characters"; errLong.Error() != want {
		t.Errorf("errLong is %q; want %q", errLong, want)
	}
	if _, err := Compile(strings.Repeat("a", maxLen+1)); err != errLong {
		t.Errorf("a pattern of %d characters: %v; want %v", maxLen+1, err, errLong)
	}
}
