//go:build unix

package main

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestCompletionNeverWaits names a named pipe with no writer as the
// configuration, whose reading would wait for ever: completion offers
// nothing, says nothing and returns, in-process and at Tab in bash.
func TestCompletionNeverWaits(t *testing.T) {
	dir := completionDir(t)
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.toml"), 0o644); err != nil {
		t.Skipf("no named pipe: %v", err)
	}
	words := [][]string{{"--config", "fifo.toml", "get", "--env", ""}, {"get", "--config=fifo.toml", ""}}
	for _, w := range words {
		done := make(chan [3]any, 1)
		go func() {
			code, out, errs := runInProcess(t, dir, append([]string{completeCommand}, w...)...)
			done <- [3]any{code, out, errs}
		}()
		select {
		case got := <-done:
			if got != [3]any{exitOK, "", ""} {
				t.Errorf("%q: exit status, stdout, stderr: %q; want 0 and nothing", w, got)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%q: no answer after 10s", w)
		}
	}
	bash := shellPath(t, "bash")
	out := runShell(t, dir, resolverBin(t), bash, "--norc", "--noprofile", "-c",
		`source /dev/stdin <<< "$1"; COMP_WORDS=(resolver --config fifo.toml get --env ""); COMP_CWORD=5; _resolver; echo "${#COMPREPLY[@]}"`,
		"bash", completionScript(t, "bash"))
	if out != "0\n" {
		t.Errorf("bash: %q words offered, want 0", out)
	}
}
