package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The process benchmarks run whole binaries, side by side: `resolver current`
// on the embedded default, and a do-nothing binary that links the same three
// libraries (testdata/floor), whose package initialisation is the floor.
//
//	go test ./cmd/resolver -run '^$' -bench Process -benchtime 400x -count 5
//
// The ratio of the two ns/op figures is the cost of resolving over the floor.

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

func benchProcess(b *testing.B, bin string, args ...string) {
	dir := b.TempDir() // no multienv.toml here or above: the embedded default
	for b.Loop() {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = []string{}
		if err := cmd.Run(); err != nil {
			b.Fatalf("%s: %v", bin, err)
		}
	}
}

func BenchmarkProcess(b *testing.B) {
	floor := buildBinary(b, "floor", "./testdata/floor")
	resolver := buildBinary(b, "resolver", ".")
	// Alternate the two so that a change in machine load touches both.
	for range 3 {
		b.Run("floor", func(b *testing.B) { benchProcess(b, floor) })
		b.Run("current", func(b *testing.B) { benchProcess(b, resolver, "current") })
	}
}
