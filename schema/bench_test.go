package schema

import (
	"os"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// BenchmarkValidate checks the built-in catalog, the largest file the
// project ships, against the schema:
//
//	go test ./schema -run '^$' -bench Validate -benchmem
func BenchmarkValidate(b *testing.B) {
	data, err := os.ReadFile("../catalog/runtimes.toml")
	if err != nil {
		b.Fatal(err)
	}
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		b.Fatal(err)
	}
	if vs, err := Validate(doc); err != nil || len(vs) > 0 {
		b.Fatalf("the catalog fails the schema: %v %v", vs, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Validate(doc); err != nil {
			b.Fatal(err)
		}
	}
}
