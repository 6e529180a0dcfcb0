package position

import (
	"strings"
	"testing"
)

// TestIndexBounded: a header or a key far deeper than the format goes, or
// under a very long key, adds only a bounded number of short pointers to
// the position index.
func TestIndexBounded(t *testing.T) {
	long := strings.Repeat("k", 5000)
	for _, tc := range []struct {
		name, data string
		want       []string // pointers that must be indexed
	}{
		{"deep header", "[" + strings.Repeat("a.", 3000) + "a]\nk = 1\n", []string{"/a/a/a/a/a/a/a/a/a/a/a/a"}},
		{"deep array header", "[[" + strings.Repeat("a.", 3000) + "a]]\n[[" + strings.Repeat("a.", 3000) + "a]]\n", []string{"/a/a/a"}},
		{"deep key", strings.Repeat("a.", 3000) + "a = 1\n", []string{"/a/a/a/a/a/a/a/a/a/a/a/a"}},
		{"long key", "[" + long + "]\n" + strings.Repeat("x = 1\n", 1) + "[" + long + ".t]\n", []string{"/" + long}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := Build([]byte(tc.data))
			for ptr := range ix {
				if strings.Count(ptr, "/") > maxIndexDepth || len(ptr) > maxPointer+len(long)+1 {
					t.Errorf("indexed %d segments, %d bytes: %.40s...", strings.Count(ptr, "/"), len(ptr), ptr)
				}
				if strings.HasPrefix(ptr, "/"+long+"/") {
					t.Errorf("indexed %.20s... under a key longer than %d bytes", ptr, maxPointer)
				}
			}
			if len(ix) > 2*maxIndexDepth+2 {
				t.Errorf("index of %d pointers", len(ix))
			}
			for _, ptr := range tc.want {
				if _, ok := ix[ptr]; !ok {
					t.Errorf("%.40s is not indexed", ptr)
				}
			}
		})
	}
}

// TestPointerRFC6901: the pointers of RFC 6901, section 5, name the values
// it says in its document, and keys are escaped as it says.
func TestPointerRFC6901(t *testing.T) {
	foo := []any{"bar", "baz"}
	doc := map[string]any{"foo": foo, "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4,
		`i\j`: 5, `k"l`: 6, " ": 7, "m~n": 8, "~1": 9}
	for _, tc := range []struct {
		ptr  string
		want any // nil: names nothing
	}{
		{"/foo/0", "bar"}, {"/", 0}, {"/a~1b", 1}, {"/c%d", 2}, {"/e^f", 3}, {"/g|h", 4},
		{`/i\j`, 5}, {`/k"l`, 6}, {"/ ", 7}, {"/m~0n", 8}, {"/~01", 9},
		{"/foo/2", nil}, {"/foo/-1", nil}, {"/foo/x", nil}, {"/a/b", nil}, {"/foo/0/x", nil},
	} {
		got, ok := Lookup(doc, tc.ptr)
		if ok != (tc.want != nil) || got != tc.want {
			t.Errorf("Lookup(%q) = %v, %v; want %v", tc.ptr, got, ok, tc.want)
		}
	}
	if got, ok := Lookup(doc, "/foo"); !ok || len(got.([]any)) != 2 {
		t.Errorf("Lookup(/foo) = %v, %v; want %v", got, ok, foo)
	}
	if got := Pointer([]string{"a/b", "m~n", "~1", "x"}); got != "/a~1b/m~0n/~01/x" {
		t.Errorf("Pointer = %q; want /a~1b/m~0n/~01/x", got)
	}
	for _, seg := range []string{"a/b", "m~n", "~1", "~0/~", ""} {
		if got := UnescapeSegment(EscapeSegment(seg)); got != seg {
			t.Errorf("UnescapeSegment(EscapeSegment(%q)) = %q", seg, got)
		}
	}
}
