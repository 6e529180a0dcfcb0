//go:build unix

package main

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/multienv/multienv/internal/testconf"
)

// TestRunReplacesItself runs the built command: `resolver run` becomes the
// command (same process id), whose exit status and death by a signal are
// the process's own, and which gets the signals sent to it.
func TestRunReplacesItself(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command (-short)")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to run")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "resolver")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, goCmd, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	work := filepath.Join(dir, "repo")
	if err := os.MkdirAll(filepath.Join(work, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := testconf.File + `allow = [{ groups = ["ci"] }]
[values]
greeting = "it's {env}"
`
	if err := os.WriteFile(filepath.Join(work, "multienv.toml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	command := func(env []string, script string) *exec.Cmd {
		c := exec.CommandContext(ctx, bin, "run", "--", sh, "-c", script)
		c.Dir, c.Env = work, append([]string{"PATH=" + filepath.Dir(sh)}, env...)
		return c
	}

	t.Run("exit status", func(t *testing.T) {
		err := command(nil, `exit 7`).Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 7 {
			t.Errorf("got %v; want exit status 7", err)
		}
	})
	t.Run("same process, variables set", func(t *testing.T) {
		c := command([]string{"MULTIENV_ENV=stale"}, `echo "$$ $MULTIENV_ID $MULTIENV_ENV $MULTIENV_GREETING"`)
		out, err := c.Output()
		if err != nil {
			t.Fatal(err)
		}
		want := strconv.Itoa(c.Process.Pid) + " sbx sbx it's sbx\n"
		if string(out) != want {
			t.Errorf("got %q; want %q: the command is the process resolver run was", out, want)
		}
	})
	t.Run("killed by a signal", func(t *testing.T) {
		err := command(nil, `kill -TERM $$; sleep 5`).Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("got %v; want death by SIGTERM", err)
		}
		if ws, ok := exit.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
			t.Errorf("got %v; want death by SIGTERM", exit)
		}
	})
	t.Run("gets the signals", func(t *testing.T) {
		c := command(nil, `trap 'exit 42' TERM; echo ready; while :; do sleep 0.05; done`)
		stdout, err := c.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		if line != "ready\n" {
			t.Fatalf("got %q; want ready", line)
		}
		c.Process.Signal(syscall.SIGTERM)
		err = c.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 42 {
			t.Errorf("got %v; want the command's trap to exit 42", err)
		}
	})
	t.Run("protected refused runs nothing", func(t *testing.T) {
		c := command([]string{"USER_ENV_NAME=prd"}, `touch ran`)
		var stderr strings.Builder
		c.Stderr = &stderr
		err := c.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(stderr.String(), "prd") {
			t.Errorf("got %v, %q; want exit 1 naming prd", err, stderr.String())
		}
		if _, err := os.Stat(filepath.Join(work, "ran")); err == nil {
			t.Error("the command ran")
		}
	})
}
