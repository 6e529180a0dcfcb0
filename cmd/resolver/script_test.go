package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The scripts in testdata/script drive the resolver command as a user does:
// variables, files, working directory, arguments in; stdout, stderr and the
// exit status out. testscript runs each one in a fresh directory with a
// minimal environment (PATH, HOME=/no-home, TMPDIR and its own few), so
// nothing of the developer's shell or of CI (CI, GITHUB_ACTION, ...) leaks
// into a script; `env` lines set what a script needs.
//
//	go test ./cmd/resolver -run TestScripts/hostile -v

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"resolver": main, // os.Exit(run(newEnv()))
	})
}

func TestScripts(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                filepath.Join("testdata", "script"),
		RequireUniqueNames: true,
		Cmds:               map[string]func(*testscript.TestScript, bool, []string){"exits": cmdExits},
		Setup: func(e *testscript.Env) error {
			// ROOT gives scripts the repository's own files (the example
			// configuration, the schema) rather than copies that drift.
			e.Setenv("ROOT", root)
			// Script arguments cannot hold control characters; these can.
			e.Setenv("NL", "\n")
			e.Setenv("ESC", "\x1b")
			// Under -race each command sleeps a second at exit to let
			// reports out; the scripts run hundreds of commands.
			if os.Getenv("GORACE") == "" {
				e.Setenv("GORACE", "atexit_sleep_ms=10")
			}
			return noConfigAbove(e.WorkDir)
		},
	})
}

// cmdExits runs a command and checks its exit status:
//
//	exits STATUS COMMAND [ARGS...]
//
// stdout and stderr are kept for the commands that follow, as with exec.
// testscript's `! cmd` only checks that the status is not 0; the resolver's
// statuses (1 unresolved, 2 usage, 3 configuration) are part of its
// contract. A Go panic also exits with 2, so a panic fails here whatever the
// status.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exits (give the status expected)")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits STATUS COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil || want < 0 {
		ts.Fatalf("exits: the status %q is not a number", args[0])
	}
	got := 0
	var exit *exec.ExitError
	switch err := ts.Exec(args[1], args[2:]...); {
	case err == nil:
	case errors.As(err, &exit):
		got = exit.ExitCode()
	default:
		ts.Fatalf("exits: %v", err)
	}
	stderr := ts.ReadFile("stderr")
	if strings.Contains(stderr, "panic:") || strings.Contains(stderr, "goroutine ") {
		ts.Fatalf("%s panicked", args[1])
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// noConfigAbove fails when discovery from the scripts' directories could
// find a multienv.toml the scripts did not write. Discovery stops at the
// repository root (the nearest directory holding .git) and, outside a
// repository, looks in the working directory only; so only a work
// directory inside a repository can see a file above it, one at or below
// that repository's root. A file in /tmp, say, changes nothing.
func noConfigAbove(work string) error {
	var seen []string
	for d := filepath.Dir(work); ; {
		if _, err := os.Lstat(filepath.Join(d, "multienv.toml")); err == nil {
			seen = append(seen, filepath.Join(d, "multienv.toml"))
		}
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			if len(seen) > 0 {
				return fmt.Errorf("%s would be found by every script that expects the embedded default: move it, or set TMPDIR outside the repository %s", seen[0], d)
			}
			return nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return nil // not in a repository
		}
		d = parent
	}
}
