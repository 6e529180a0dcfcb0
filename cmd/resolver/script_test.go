package main

import (
	"encoding/json"
	"errors"
	"flag"
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
//
// Where output is exact, a script compares it with `cmp` against a file of
// its archive; -update rewrites those files with the output seen:
//
//	go test ./cmd/resolver -run TestScripts -update

var update = flag.Bool("update", false, "rewrite the files the scripts compare output with")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"resolver": main, // os.Exit(run(newInvocation()))
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
		UpdateScripts:      *update,
		Cmds:               map[string]func(*testscript.TestScript, bool, []string){"exits": cmdExits, "validjson": cmdValidJSON},
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
			// $WORK is a repository root, so that discovery never climbs
			// above it whatever lies in TMPDIR or its parents. A script
			// about working outside a repository says so with a file
			// .outside, and is skipped when a directory above $WORK holds
			// .git: $WORK is then in that repository whatever it does.
			if _, err := os.Stat(filepath.Join(e.WorkDir, ".outside")); err == nil {
				if repoAbove(filepath.Dir(e.WorkDir)) {
					e.T().Skip("a directory above $WORK holds .git: outside a repository cannot be tried here")
				}
				return nil
			}
			return os.Mkdir(filepath.Join(e.WorkDir, ".git"), 0o755)
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

// cmdValidJSON checks that a file (stdout, stderr or one of the script's)
// holds one valid JSON value: testscript has no jq.
//
//	validjson FILE
func cmdValidJSON(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: validjson FILE")
	}
	data := ts.ReadFile(args[0])
	if valid := json.Valid([]byte(data)); valid == neg {
		if neg {
			ts.Fatalf("%s is valid JSON", args[0])
		}
		ts.Fatalf("%s is not valid JSON:\n%s", args[0], data)
	}
}

// repoAbove reports whether dir or a directory above it holds .git, which
// makes every directory under dir part of a repository.
func repoAbove(dir string) bool {
	for d := filepath.Clean(dir); ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return false
		}
		d = parent
	}
}
