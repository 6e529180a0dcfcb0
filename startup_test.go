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
// alike. It reports the medians of each, in wall time, in CPU time (user
// and system) and, where the system says, in pages first touched (minor
// page faults), and their ratios:
//
//	go test -run '^$' -bench Startup -benchtime 400x .
func BenchmarkStartup(b *testing.B) {
	empty := buildProgram(b, "empty", "./testdata/startup/empty")
	detect := buildProgram(b, "detect", "./testdata/startup/detect")
	dir := b.TempDir()
	var faults [2][]int64
	run := func(bin string, which int) (wall, cpu time.Duration) {
		cmd := exec.Command(bin)
		cmd.Dir = dir
		cmd.Env = []string{}
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", bin, err, out)
		}
		wall = time.Since(start)
		if n, ok := minorFaults(cmd.ProcessState); ok {
			faults[which] = append(faults[which], n)
		}
		return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	var emptyWall, emptyCPU, detectWall, detectCPU []time.Duration
	for b.Loop() {
		w, c := run(empty, 0)
		emptyWall, emptyCPU = append(emptyWall, w), append(emptyCPU, c)
		w, c = run(detect, 1)
		detectWall, detectCPU = append(detectWall, w), append(detectCPU, c)
	}
	b.ReportMetric(median(emptyWall), "empty-ns/run")
	b.ReportMetric(median(detectWall), "detect-ns/run")
	b.ReportMetric(median(detectWall)/median(emptyWall), "wall-ratio")
	b.ReportMetric(median(emptyCPU), "empty-cpu-ns/run")
	b.ReportMetric(median(detectCPU), "detect-cpu-ns/run")
	b.ReportMetric(median(detectCPU)/median(emptyCPU), "cpu-ratio")
	if len(faults[0]) > 0 && len(faults[1]) > 0 {
		b.ReportMetric(median(faults[0]), "empty-faults/run")
		b.ReportMetric(median(faults[1]), "detect-faults/run")
		b.ReportMetric(median(faults[1])/median(faults[0]), "faults-ratio")
	}
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

// median sorts d and returns its middle element.
func median[T time.Duration | int64](d []T) float64 {
	slices.Sort(d)
	return float64(d[len(d)/2])
}
