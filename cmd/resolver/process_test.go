package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkProcess runs whole binaries, side by side: `resolver current` on
// the embedded default in an empty environment, and a do-nothing binary that
// links the same two libraries (testdata/floor), whose package
// initialisation is the floor. Each iteration runs both, one after the
// other, so that a change in machine load touches both alike; the medians
// are reported, with their ratio:
//
//	go test ./cmd/resolver -run '^$' -bench Process -benchtime 500x
func BenchmarkProcess(b *testing.B) {
	floor := buildBinary(b, "floor", "./testdata/floor")
	resolver := buildBinary(b, "resolver", ".")
	dir := b.TempDir() // no multienv.toml here or above: the embedded default
	run := func(bin string, args ...string) time.Duration {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = []string{}
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("%s: %v", bin, err)
		}
		return time.Since(start)
	}
	var floors, currents []time.Duration
	for b.Loop() {
		floors = append(floors, run(floor))
		currents = append(currents, run(resolver, "current"))
	}
	median := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)/2])
	}
	b.ReportMetric(median(floors), "floor-ns/run")
	b.ReportMetric(median(currents), "current-ns/run")
	b.ReportMetric(median(currents)/median(floors), "ratio")
}

func buildBinary(b *testing.B, name, pkg string) string {
	b.Helper()
	out := filepath.Join(b.TempDir(), name)
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("go build %s: %v", pkg, err)
	}
	return out
}
