package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/multienv/multienv"
)

// fullDisk fails every write after the first n bytes, as /dev/full or a
// full disk does.
type fullDisk struct{ n int }

func (f *fullDisk) Write(p []byte) (int, error) {
	if len(p) <= f.n {
		f.n -= len(p)
		return len(p), nil
	}
	n := f.n
	f.n = 0
	return n, errors.New("no space left on device")
}

// Output that cannot be written whole fails the command with exit 3 and
// says why on stderr, whatever the command and however much got out.
func TestOutputNotWritten(t *testing.T) {
	dir := hermeticDir(t)
	for _, args := range [][]string{
		{"current"}, {"current", "--json"}, {"explain", "--json"}, {"list"}, {"list", "--json"},
		{"runtimes"}, {"schema"}, {"export"}, {"check", "--default", "--format", "json"}, {"help"}, {"--version"},
	} {
		for _, room := range []int{0, 1} {
			var stderr bytes.Buffer
			e := &invocation{args: args, lookup: func(string) (string, bool) { return "", false }, dir: dir,
				stdout: &fullDisk{room}, stderr: &stderr, inputs: multienv.EnvInputs(nil)}
			code := runWithDeadline(t, e, 10*time.Second)
			if code != exitConfig || !strings.Contains(stderr.String(), "resolver: cannot write the output: no space left on device") {
				t.Errorf("%q with %d bytes of room: exit %d, stderr %q; want exit 3 and why", args, room, code, stderr.String())
			}
		}
	}
}
