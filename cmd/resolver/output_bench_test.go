package main

import (
	"strings"
	"testing"
)

// BenchmarkHostileOutput runs the output rule over what a hostile value
// could make it print: a line of 200,000 unfinished colour codes, where a
// look for each code's end that is not bounded would make the time grow
// with the square of the line; and a JSON document of 120,000 values 30
// levels deep, whose paths are put into words only for a value refused.
//
//	go test ./cmd/resolver -run '^$' -bench HostileOutput -benchmem
func BenchmarkHostileOutput(b *testing.B) {
	b.Run("escapes", func(b *testing.B) {
		line := strings.Repeat("\x1b[1", 200_000)
		for b.Loop() {
			if out := safeLine(line, true); !strings.HasPrefix(out, `\x1b[1`) {
				b.Fatalf("an unfinished colour code printed as %q", out[:min(len(out), 16)])
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		var doc strings.Builder
		doc.WriteString(strings.Repeat(`{"k":`, 30) + "[")
		for i := range 120_000 {
			if i > 0 {
				doc.WriteByte(',')
			}
			doc.WriteString(`"v"`)
		}
		doc.WriteString("]" + strings.Repeat("}", 30))
		data := []byte(doc.String())
		for b.Loop() {
			if _, err := jsonData(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
