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
