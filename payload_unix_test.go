//go:build unix

package multienv_test

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/multienv/multienv"
)

// A named pipe where the payload file should be: resolution does not wait
// for a writer, and the payload is absent.
func TestPayloadFIFO(t *testing.T) {
	cfg, err := multienv.Default()
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(t.TempDir(), "event.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	var res multienv.Result
	var trace *multienv.Trace
	go func() {
		var err error
		res, trace, err = cfg.Explain(payloadFacts(targetJob(fifo)))
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("resolution waits on a named pipe")
	}
	if res.PRNumber != "" || trace.Payload != "the file GITHUB_EVENT_PATH names was not read: cannot read the file: not a regular file" {
		t.Errorf("pr_number %q, payload %q", res.PRNumber, trace.Payload)
	}
}
