package envfile

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The README lists the reserved names, the list Reserved holds, in order.
func TestReadmeListsReservedNames(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "<!-- reserved-names -->")
	list, _, ok2 := strings.Cut(rest, "<!-- /reserved-names -->")
	if !ok || !ok2 {
		t.Fatal("README: no <!-- reserved-names --> ... <!-- /reserved-names --> list")
	}
	var got []string
	for _, m := range regexp.MustCompile("`([A-Z0-9_]+)`").FindAllStringSubmatch(list, -1) {
		got = append(got, m[1])
	}
	want := slices.Clone(reservedNames)
	want = append(want, reservedPrefixes...)
	if !slices.Equal(got, want) {
		t.Errorf("README lists\n%q\nReserved holds\n%q", got, want)
	}
}
