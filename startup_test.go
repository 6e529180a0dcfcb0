package multienv_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkStartup runs whole processes, side by side: a program that
// imports multienv and calls Detect (testdata/startup/detect, in a
// directory without multienv.toml, so with the embedded default), and an
// empty Go program (testdata/startup/empty). Each iteration runs both, one
// after the other, so that a change in the machine's load touches both
// alike. It reports the medians of each, in wall time and in CPU time
// (user and system), and their ratios:
//
//	go test -run '^$' -bench Startup -benchtime 400x .
func BenchmarkStartup(b *testing.B) {
	empty := buildProgram(b, "empty", "./testdata/startup/empty")
	detect := buildProgram(b, "detect", "./testdata/startup/detect")
	dir := b.TempDir()
	run := func(bin string) (wall, cpu time.Duration) {
		cmd := exec.Command(bin)
		cmd.Dir = dir
		cmd.Env = []string{}
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", bin, err, out)
		}
		wall = time.Since(start)
		return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	var emptyWall, emptyCPU, detectWall, detectCPU []time.Duration
	for b.Loop() {
		w, c := run(empty)
		emptyWall, emptyCPU = append(emptyWall, w), append(emptyCPU, c)
		w, c = run(detect)
		detectWall, detectCPU = append(detectWall, w), append(detectCPU, c)
	}
	median := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)/2])
	}
	b.ReportMetric(median(emptyWall), "empty-ns/run")
	b.ReportMetric(median(detectWall), "detect-ns/run")
	b.ReportMetric(median(detectWall)/median(emptyWall), "wall-ratio")
	b.ReportMetric(median(emptyCPU), "empty-cpu-ns/run")
	b.ReportMetric(median(detectCPU), "detect-cpu-ns/run")
	b.ReportMetric(median(detectCPU)/median(emptyCPU), "cpu-ratio")
}

func buildProgram(b *testing.B, name, pkg string) string {
	b.Helper()
	out := filepath.Join(b.TempDir(), name)
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("go build %s: %v", pkg, err)
	}
	return out
}
