package multienv_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestNoWorkAtInit runs a program that links all of Detect, and the
// command, with GODEBUG=inittrace=1, under which the runtime writes a line
// for each package whose initialisation runs code: no package of this
// module may be among them (a package-level map, or a call such as
// sync.OnceValue, is such code; a composite literal of constants is laid
// out by the linker).
func TestNoWorkAtInit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds programs")
	}
	for name, pkg := range map[string]string{"linked": "./testdata/startup/linked", "resolver": "./cmd/resolver"} {
		bin := buildProgram(t, name, pkg)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := exec.CommandContext(ctx, bin, "--version")
		cmd.Dir = t.TempDir()
		cmd.Env = []string{"GODEBUG=inittrace=1"}
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		if !strings.Contains(string(out), "init runtime @") {
			t.Fatalf("%s: GODEBUG=inittrace=1 traced no initialisation, not even the runtime's:\n%s", name, out)
		}
		for line := range strings.Lines(string(out)) {
			if strings.HasPrefix(line, "init github.com/multienv/") {
				t.Errorf("%s: a package of this module runs code at init: %s", name, strings.TrimSpace(line))
			}
		}
	}
}

// BenchmarkStartup runs whole processes, side by side: a program that
// imports multienv and calls Detect (testdata/startup/detect, in a
// directory without multienv.toml, so with the embedded default), and an
// empty Go program (testdata/startup/empty). Beside them, two programs
// that bound what Detect could cost: floor (testdata/startup/floor) does
// with the standard library alone what any Detect must (the working
// directory, a look for the file, a few variables); linked
// (testdata/startup/linked) links all of Detect and runs none of it. Each
// iteration runs all four, one after the other, so that a change in the
// machine's load touches them alike. It reports the medians of each, in
// wall time, in CPU time (user and system) and, where the system says, in
// pages first touched (minor page faults), and their ratios to the empty
// program's:
//
//	go test -run '^$' -bench Startup -benchtime 300x .
func BenchmarkStartup(b *testing.B) {
	programs := []string{"empty", "floor", "linked", "detect"}
	bins := make([]string, len(programs))
	for i, name := range programs {
		bins[i] = buildProgram(b, name, "./testdata/startup/"+name)
	}
	dir := b.TempDir()
	wall := make([][]time.Duration, len(programs))
	cpu := make([][]time.Duration, len(programs))
	faults := make([][]int64, len(programs))
	for b.Loop() {
		for i, bin := range bins {
			cmd := exec.Command(bin)
			cmd.Dir = dir
			cmd.Env = []string{}
			start := time.Now()
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%s: %v\n%s", bin, err, out)
			}
			wall[i] = append(wall[i], time.Since(start))
			cpu[i] = append(cpu[i], cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
			if n, ok := minorFaults(cmd.ProcessState); ok {
				faults[i] = append(faults[i], n)
			}
		}
	}
	for i, name := range programs {
		b.ReportMetric(median(wall[i]), name+"-ns/run")
		b.ReportMetric(median(cpu[i]), name+"-cpu-ns/run")
		if i > 0 {
			b.ReportMetric(median(wall[i])/median(wall[0]), name+"-wall-ratio")
			b.ReportMetric(median(cpu[i])/median(cpu[0]), name+"-cpu-ratio")
		}
		if len(faults[i]) > 0 {
			b.ReportMetric(median(faults[i]), name+"-faults/run")
		}
	}
}

func buildProgram(b testing.TB, name, pkg string) string {
	b.Helper()
	out := filepath.Join(b.TempDir(), name)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("go build %s: %v", pkg, err)
	}
	return out
}

// median sorts d and returns its middle element.
func median[T time.Duration | int64](d []T) float64 {
	slices.Sort(d)
	return float64(d[len(d)/2])
}
