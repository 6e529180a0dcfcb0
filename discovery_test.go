package multienv_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/text"
	"github.com/multienv/multienv/resolver"
)

// configNamed is a file that resolves every runtime of the catalog to the
// environment name, so a test can tell which file was read.
func configNamed(name string) string {
	return fmt.Sprintf(`version = 1

[[envs]]
name = %q
kind = "sandbox"

[[envs]]
name = "prd"
kind = "production"

[[rules]]
name = "all"
groups = ["local", "ci", "app"]
default = %q
`, name, name)
}

// node is one entry of a tree a test builds.
type node struct {
	kind string // "file", "dir", "link" (to target), "git" (a .git file)
	data string // a file's content, or a link's target
}

// build makes tree under base; paths use slashes.
func build(t *testing.T, base string, tree map[string]node) {
	t.Helper()
	for rel, n := range tree {
		p := filepath.Join(base, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch n.kind {
		case "file":
			err = os.WriteFile(p, []byte(n.data), 0o644)
		case "git":
			err = os.WriteFile(p, []byte("gitdir: /nowhere/.git/worktrees/x\n"), 0o644)
		case "dir":
			err = os.MkdirAll(p, 0o755)
		case "link":
			err = os.Symlink(n.data, p)
		default:
			t.Fatalf("unknown node kind %q", n.kind)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// noRepositoryAbove skips a test that needs dir to be outside any
// repository when a directory above it holds .git.
func noRepositoryAbove(t *testing.T, dir string) {
	t.Helper()
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			t.Skipf("%s holds .git: the temporary directory is inside a repository", d)
		}
		if filepath.Dir(d) == d {
			return
		}
	}
}

const (
	notInRepo = "(not in a repository: only the working directory is searched)"
	noFlags   = "embedded default (no --config, no MULTIENV_CONFIG, no multienv.toml in "
)

// TestLocate: discovery looks in the directory, then each parent, up to
// the repository root (the nearest directory holding .git, a folder or a
// file), and in the directory alone outside a repository (CONTRACT §5).
// Paths in want are relative to the test's base directory, written BASE
// in the How wordings.
func TestLocate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		tree     map[string]node
		dir      string
		wantPath string // "" for the embedded default
		wantHow  string
		wantEnv  string // the first environment of the file loaded
	}{
		{
			name:     "outside a repository, in the directory",
			tree:     map[string]node{"a/b/multienv.toml": {"file", configNamed("here")}},
			dir:      "a/b",
			wantPath: "a/b/multienv.toml",
			wantHow:  "multienv.toml in BASE/a/b " + notInRepo,
			wantEnv:  "here",
		},
		{
			name:    "outside a repository, a parent's file is not read",
			tree:    map[string]node{"multienv.toml": {"file", configNamed("planted")}, "a/b/.keep": {"file", ""}},
			dir:     "a/b",
			wantHow: noFlags + "BASE/a/b " + notInRepo + ")",
			wantEnv: "devops",
		},
		{
			name:    "outside a repository, a directory of that name in a parent is not looked at",
			tree:    map[string]node{"a/multienv.toml": {"dir", ""}, "a/b/.keep": {"file", ""}},
			dir:     "a/b",
			wantHow: noFlags + "BASE/a/b " + notInRepo + ")",
			wantEnv: "devops",
		},
		{
			name: "in a repository, the root's file from a subdirectory",
			tree: map[string]node{
				"repo/.git/HEAD":           {"file", "ref: refs/heads/main\n"},
				"repo/multienv.toml":       {"file", configNamed("root")},
				"repo/a/b/.keep":           {"file", ""},
				"multienv.toml":            {"file", configNamed("planted")},
				"repo/a/b/c/.keep":         {"file", ""},
				"repo/other/multienv.toml": {"file", configNamed("other")},
			},
			dir:      "repo/a/b",
			wantPath: "repo/multienv.toml",
			wantHow:  "nearest multienv.toml from BASE/repo/a/b (searched up to the repository root BASE/repo)",
			wantEnv:  "root",
		},
		{
			name: "a .git file (a worktree or a submodule) marks the root",
			tree: map[string]node{
				"wt/.git":          {"git", ""},
				"wt/multienv.toml": {"file", configNamed("root")},
				"wt/a/.keep":       {"file", ""},
			},
			dir:      "wt/a",
			wantPath: "wt/multienv.toml",
			wantHow:  "nearest multienv.toml from BASE/wt/a (searched up to the repository root BASE/wt)",
			wantEnv:  "root",
		},
		{
			name: "the nearest file wins",
			tree: map[string]node{
				"repo/.git/HEAD":       {"file", ""},
				"repo/multienv.toml":   {"file", configNamed("root")},
				"repo/a/multienv.toml": {"file", configNamed("near")},
				"repo/a/b/.keep":       {"file", ""},
			},
			dir:      "repo/a/b",
			wantPath: "repo/a/multienv.toml",
			wantHow:  "nearest multienv.toml from BASE/repo/a/b (searched up to the repository root BASE/repo)",
			wantEnv:  "near",
		},
		{
			name: "in the directory that is the root",
			tree: map[string]node{
				"repo/.git/HEAD":     {"file", ""},
				"repo/multienv.toml": {"file", configNamed("root")},
			},
			dir:      "repo",
			wantPath: "repo/multienv.toml",
			wantHow:  "nearest multienv.toml from BASE/repo (searched up to the repository root BASE/repo)",
			wantEnv:  "root",
		},
		{
			name: "a file above the repository root is not read",
			tree: map[string]node{
				"multienv.toml":  {"file", configNamed("planted")},
				"repo/.git/HEAD": {"file", ""},
				"repo/a/.keep":   {"file", ""},
			},
			dir:     "repo/a",
			wantHow: noFlags + "BASE/repo/a up to the repository root BASE/repo)",
			wantEnv: "devops",
		},
		{
			name: "a nested repository stops at its own root",
			tree: map[string]node{
				"outer/.git/HEAD":     {"file", ""},
				"outer/multienv.toml": {"file", configNamed("outer")},
				"outer/inner/.git":    {"git", ""},
				"outer/inner/x/.keep": {"file", ""},
			},
			dir:     "outer/inner/x",
			wantHow: noFlags + "BASE/outer/inner/x up to the repository root BASE/outer/inner)",
			wantEnv: "devops",
		},
		{
			name: "unreadable names above the root are not looked at",
			tree: map[string]node{
				"multienv.toml":     {"dir", ""},
				"up/multienv.toml":  {"link", "nowhere"},
				"up/repo/.git/HEAD": {"file", ""},
				"up/repo/a/b/.keep": {"file", ""},
			},
			dir:     "up/repo/a/b",
			wantHow: noFlags + "BASE/up/repo/a/b up to the repository root BASE/up/repo)",
			wantEnv: "devops",
		},
		{
			name: "a link to a file is followed",
			tree: map[string]node{
				"repo/.git/HEAD":     {"file", ""},
				"repo/shared.toml":   {"file", configNamed("linked")},
				"repo/multienv.toml": {"link", "shared.toml"},
			},
			dir:      "repo",
			wantPath: "repo/multienv.toml",
			wantHow:  "nearest multienv.toml from BASE/repo (searched up to the repository root BASE/repo)",
			wantEnv:  "linked",
		},
		{
			name:    "an unclean directory name is cleaned",
			tree:    map[string]node{"a/b/.keep": {"file", ""}},
			dir:     "a/./b/../b/",
			wantHow: noFlags + "BASE/a/b " + notInRepo + ")",
			wantEnv: "devops",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			noRepositoryAbove(t, base)
			build(t, base, tc.tree)
			dir := base + "/" + tc.dir
			loc, err := multienv.Locate("", resolver.MapLookup(nil), dir)
			if err != nil {
				t.Fatalf("Locate: %v", err)
			}
			wantPath := ""
			if tc.wantPath != "" {
				wantPath = filepath.Join(base, filepath.FromSlash(tc.wantPath))
			}
			wantHow := strings.ReplaceAll(tc.wantHow, "BASE", base)
			if loc.Path != wantPath || loc.How != wantHow {
				t.Errorf("got Path %q How %q;\nwant Path %q How %q", loc.Path, loc.How, wantPath, wantHow)
			}
			// Open loads the file found, or the embedded default (whose
			// first environment is devops).
			cfg, err := multienv.Open(loc)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if cfg.Found() != wantHow {
				t.Errorf("Found = %q; want %q", cfg.Found(), wantHow)
			}
			if got := cfg.Environments()[0].Name; got != tc.wantEnv {
				t.Errorf("loaded the file whose first environment is %q; want %q", got, tc.wantEnv)
			}
		})
	}
}

// TestLocateErrors: a name discovery finds but cannot use is an error that
// says what and where and wraps its cause, never skipped for a file
// farther up or the embedded default (CONTRACT §5).
func TestLocateErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tree  map[string]node
		dir   string
		want  string // the message, with BASE for the base directory; "" for a cut path
		cause error  // errors.Is holds for it, besides ErrInvalidConfig
	}{
		{
			name:  "a dangling link in the directory",
			tree:  map[string]node{"a/multienv.toml": {"link", "gone.toml"}},
			dir:   "a",
			want:  "cannot use BASE/a/multienv.toml, found by discovery: it is a link to nothing: no such file or directory",
			cause: fs.ErrNotExist,
		},
		{
			name: "a dangling link in a parent inside the repository",
			tree: map[string]node{
				"repo/.git/HEAD":     {"file", ""},
				"repo/multienv.toml": {"link", "/nonexistent/multienv.toml"},
				"repo/a/.keep":       {"file", ""},
			},
			dir:   "repo/a",
			want:  "cannot use BASE/repo/multienv.toml, found by discovery: it is a link to nothing: no such file or directory",
			cause: fs.ErrNotExist,
		},
		{
			name: "a link to a file above the repository root",
			tree: map[string]node{
				"repo/.git/HEAD":     {"file", ""},
				"outside.toml":       {"file", configNamed("outside")},
				"repo/multienv.toml": {"link", "../outside.toml"},
			},
			dir:  "repo",
			want: "cannot use BASE/repo/multienv.toml, found by discovery: it is a link to BASE/outside.toml, outside the repository root BASE/repo; name the file with --config or MULTIENV_CONFIG to read it",
		},
		{
			name: "a link, outside a repository, to a file above the working directory",
			tree: map[string]node{
				"outside.toml":    {"file", configNamed("outside")},
				"a/multienv.toml": {"link", "../outside.toml"},
			},
			dir:  "a",
			want: "cannot use BASE/a/multienv.toml, found by discovery: it is a link to BASE/outside.toml, outside the working directory, all that is searched outside a repository; name the file with --config or MULTIENV_CONFIG to read it",
		},
		{
			name: "a directory named multienv.toml, before a file farther up",
			tree: map[string]node{
				"repo/.git/HEAD":       {"file", ""},
				"repo/multienv.toml":   {"file", configNamed("root")},
				"repo/a/multienv.toml": {"dir", ""},
			},
			dir:  "repo/a",
			want: "cannot use BASE/repo/a/multienv.toml, found by discovery: it is a directory",
		},
		{
			name: "a link to a directory",
			tree: map[string]node{
				"a/sub/.keep":     {"file", ""},
				"a/multienv.toml": {"link", "sub"},
			},
			dir:  "a",
			want: "cannot use BASE/a/multienv.toml, found by discovery: it is a directory",
		},
		{
			name: "a link to itself",
			tree: map[string]node{"a/multienv.toml": {"link", "multienv.toml"}},
			dir:  "a",
			want: "cannot use BASE/a/multienv.toml, found by discovery: too many levels of symbolic links",
		},
		{
			name: "a directory that is a file",
			tree: map[string]node{"f": {"file", ""}},
			dir:  "f",
			want: "cannot look for the repository root: BASE/f/.git: not a directory",
		},
		{
			name:  "a directory that is not there",
			tree:  map[string]node{},
			dir:   "gone/a",
			want:  "cannot look for multienv.toml from BASE/gone/a: no such file or directory",
			cause: fs.ErrNotExist,
		},
		{
			name: "a directory whose name is too long",
			tree: map[string]node{},
			dir:  strings.Repeat("n", 300),
			want: "", // made from the path, cut
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			if len(base) > 100 {
				t.Skipf("temporary directory %s is too long for the messages to be whole", base)
			}
			noRepositoryAbove(t, base)
			if real, err := filepath.EvalSymlinks(base); err != nil || real != base {
				t.Skipf("temporary directory %s is reached through a link: the messages name its real path", base)
			}
			build(t, base, tc.tree)
			loc, err := multienv.Locate("", resolver.MapLookup(nil), filepath.Join(base, tc.dir))
			if err == nil {
				t.Fatalf("got %+v; want an error", loc)
			}
			want := strings.ReplaceAll(tc.want, "BASE", base)
			if tc.want == "" {
				// A long path is printed cut, around text.Ellipsis.
				want = "cannot look for the repository root: " + text.Path(filepath.Join(base, tc.dir, ".git")) + ": file name too long"
			}
			if err.Error() != want {
				t.Errorf("got  %q;\nwant %q", err, want)
			}
			if !errors.Is(err, multienv.ErrInvalidConfig) {
				t.Errorf("errors.Is(%v, ErrInvalidConfig) is false", err)
			}
			if tc.cause != nil && !errors.Is(err, tc.cause) {
				t.Errorf("errors.Is(%v, %v) is false: the cause is not wrapped", err, tc.cause)
			}
		})
	}
}

// TestLocateThroughALinkedRoot: a repository reached through a link (the
// working directory as the shell names it) is its real directory, so a
// multienv.toml linking to a file in it is inside it.
func TestLocateThroughALinkedRoot(t *testing.T) {
	base := t.TempDir()
	noRepositoryAbove(t, base)
	build(t, base, map[string]node{
		"real/repo/.git/HEAD":     {"file", ""},
		"real/repo/shared.toml":   {"file", configNamed("shared")},
		"real/repo/multienv.toml": {"link", "shared.toml"},
		"link":                    {"link", "real/repo"},
	})
	loc, err := multienv.Locate("", resolver.MapLookup(nil), filepath.Join(base, "link"))
	if err != nil || loc.Path != filepath.Join(base, "link", "multienv.toml") {
		t.Fatalf("got %+v, %v; want the linked multienv.toml", loc, err)
	}
}

// TestLocateOrder: --config, then MULTIENV_CONFIG (empty counts as unset),
// then discovery, which needs a directory to start from.
func TestLocateOrder(t *testing.T) {
	noDir := "cannot look for multienv.toml: no working directory to start from; name the file with --config or MULTIENV_CONFIG"
	for _, tc := range []struct {
		name     string
		flag     string
		env      map[string]string
		wantPath string
		wantHow  string
		wantErr  string
	}{
		{"flag", "flag.toml", map[string]string{"MULTIENV_CONFIG": "var.toml"}, "flag.toml", "--config", ""},
		{"variable", "", map[string]string{"MULTIENV_CONFIG": "var.toml"}, "var.toml", "MULTIENV_CONFIG", ""},
		{"empty variable, no directory", "", map[string]string{"MULTIENV_CONFIG": ""}, "", "", noDir},
		{"nothing, no directory", "", nil, "", "", noDir},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := multienv.Locate(tc.flag, resolver.MapLookup(tc.env), "")
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr || !errors.Is(err, multienv.ErrInvalidConfig) {
					t.Errorf("got %+v, %v; want error %q", loc, err, tc.wantErr)
				}
				return
			}
			if err != nil || loc.Path != tc.wantPath || loc.How != tc.wantHow {
				t.Errorf("got %+v, %v; want {%s %s}", loc, err, tc.wantPath, tc.wantHow)
			}
		})
	}
	if _, err := multienv.Locate("", nil, ""); err == nil || err.Error() != noDir {
		t.Errorf("nil lookup: got %v; want %q", err, noDir)
	}
}

// The tests below run the library in a process of their own, started from
// this test binary: the working directory is the process's, and the
// schema is compiled once a process, so only a fresh process shows what
// loading does when its first load happens in an odd or deleted
// directory. The child's environment holds only the variables given, so
// Detect sees nothing of the real one.

// childVar marks the test binary run as a child; the other MULTIENV_TEST_
// variables say what it does.
const childVar = "MULTIENV_TEST_CHILD"

// childDeadline bounds a child run: a load that waits must not hang the suite.
const childDeadline = 60 * time.Second

// runChild runs TestChild in a new process with env as its whole
// environment, and fails t with the child's output when the child fails.
func runChild(t *testing.T, env map[string]string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("cannot start the test binary again: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), childDeadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-test.run=^TestChild$", "-test.count=1", "-test.v")
	cmd.Dir = t.TempDir()
	cmd.Env = []string{childVar + "=1"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the child did not finish within %v:\n%s", childDeadline, out)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: TestChild") {
		t.Fatalf("the child failed (%v):\n%s", err, out)
	}
}

// TestChild is the child's side: it does nothing unless run by runChild.
// It moves to MULTIENV_TEST_CHDIR (and removes it when MULTIENV_TEST_DELETE
// is set) before anything loads, then loads every way the library offers.
func TestChild(t *testing.T) {
	if os.Getenv(childVar) != "1" {
		t.Skip("run by the tests that start a process of their own")
	}
	dir := os.Getenv("MULTIENV_TEST_CHDIR")
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("MULTIENV_TEST_DELETE") != "" {
		if err := os.Remove(dir); err != nil {
			t.Fatal(err)
		}
	}
	firstEnv := func(what string, cfg *multienv.Config, err error, want string) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", what, err)
			return
		}
		if got := cfg.Environments()[0].Name; got != want {
			t.Errorf("%s loaded the file whose first environment is %q; want %q", what, got, want)
		}
	}
	// The first load of the process, so the first compile of the schema.
	cfg, err := multienv.LoadBytes("multienv.toml", []byte(configNamed("bytes")))
	firstEnv("LoadBytes", cfg, err, "bytes")
	named := os.Getenv("MULTIENV_TEST_FILE")
	cfg, err = multienv.Load(named)
	firstEnv("Load", cfg, err, "named")
	cfg, err = multienv.Default()
	firstEnv("Default", cfg, err, "devops")
	if loc, err := multienv.Locate(named, nil, ""); err != nil {
		t.Errorf("Locate --config: %v", err)
	} else {
		cfg, err = multienv.Open(loc)
		firstEnv("Open --config", cfg, err, "named")
	}

	wd, _ := os.Getwd()
	loc, err := multienv.Locate("", resolver.MapLookup(nil), wd)
	if want := os.Getenv("MULTIENV_TEST_WANT_FOUND"); want == "" {
		if err == nil || !strings.Contains(err.Error(), "no working directory") {
			t.Errorf("discovery: got %+v, %v; want a no-working-directory error", loc, err)
		}
	} else if err != nil {
		t.Errorf("discovery: %v", err)
	} else {
		if strings.ContainsFunc(loc.How, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			t.Errorf("How holds a control character: %q", loc.How)
		}
		cfg, err = multienv.Open(loc)
		firstEnv("Open discovered", cfg, err, want)
	}

	res, err := multienv.Detect()
	if want := os.Getenv("MULTIENV_TEST_WANT_DETECT"); want == "" {
		// The cause is the working directory that is gone.
		if err == nil || !strings.Contains(err.Error(), "no working directory") || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Detect: got %+v, %v; want a no-working-directory error that wraps its cause", res, err)
		}
		t.Logf("Detect: %v", err)
	} else if err != nil || res.ID != want {
		t.Errorf("Detect: got %q, %v; want %s", res.ID, err, want)
	}
}

// TestLoadFromAnyWorkingDirectory: a working directory whose name holds %,
// a tab, a newline or an escape, or one that was deleted, changes nothing:
// every load works as from any other directory (CONTRACT §5). Discovery
// from a deleted directory, which has no name, is an error unless the file
// is named.
func TestLoadFromAnyWorkingDirectory(t *testing.T) {
	for _, tc := range []struct {
		name    string
		dir     string
		deleted bool
		env     map[string]string // besides the child's
		found   string            // first environment discovery loads; "" for an error
		detect  string            // id Detect resolves; "" for an error
	}{
		{name: "percent", dir: "100%done", found: "here", detect: "here"},
		{name: "verbs", dir: "%s%d%!x(MISSING)", found: "here", detect: "here"},
		{name: "tab", dir: "a\tb", found: "here", detect: "here"},
		{name: "newline", dir: "a\nresult: prd", found: "here", detect: "here"},
		{name: "escape", dir: "a\x1b[2Jb\x1b]0;owned\x07", found: "here", detect: "here"},
		{name: "bidi", dir: "a\u202eb", found: "here", detect: "here"},
		{name: "deleted", dir: "gone", deleted: true},
		{name: "deleted, MULTIENV_CONFIG set", dir: "gone", deleted: true,
			env: map[string]string{"MULTIENV_CONFIG": "NAMED"}, detect: "named"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each in a process of its own
			base := t.TempDir()
			tree := map[string]node{
				".git/HEAD":  {"file", ""},
				"named.toml": {"file", configNamed("named")},
			}
			if !tc.deleted {
				tree[tc.dir+"/multienv.toml"] = node{"file", configNamed("here")}
			}
			build(t, base, tree)
			dir := filepath.Join(base, tc.dir)
			if tc.deleted {
				if err := os.Mkdir(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			named := filepath.Join(base, "named.toml")
			env := map[string]string{
				"MULTIENV_TEST_CHDIR":       dir,
				"MULTIENV_TEST_FILE":        named,
				"MULTIENV_TEST_WANT_FOUND":  tc.found,
				"MULTIENV_TEST_WANT_DETECT": tc.detect,
			}
			if tc.deleted {
				env["MULTIENV_TEST_DELETE"] = "1"
			}
			for k, v := range tc.env {
				env[k] = strings.ReplaceAll(v, "NAMED", named)
			}
			runChild(t, env)
		})
	}
}

// TestDetectStopsAtTheRepositoryRoot: Detect, from a directory of a
// repository, reads the repository's multienv.toml and never one planted
// above its root; outside a repository, only the working directory's.
func TestDetectStopsAtTheRepositoryRoot(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tree   map[string]node
		dir    string
		found  string
		detect string
	}{
		{
			name: "a file above the root is not read",
			tree: map[string]node{
				"multienv.toml":  {"file", configNamed("planted")},
				"repo/.git/HEAD": {"file", ""},
				"repo/a/b/.keep": {"file", ""},
			},
			dir: "repo/a/b", found: "devops", detect: "sbx",
		},
		{
			name: "the root's file is read",
			tree: map[string]node{
				"multienv.toml":      {"file", configNamed("planted")},
				"repo/.git/HEAD":     {"file", ""},
				"repo/multienv.toml": {"file", configNamed("root")},
				"repo/a/b/.keep":     {"file", ""},
			},
			dir: "repo/a/b", found: "root", detect: "root",
		},
		{
			name: "outside a repository, a parent's file is not read",
			tree: map[string]node{
				"multienv.toml": {"file", configNamed("planted")},
				"a/b/.keep":     {"file", ""},
			},
			dir: "a/b", found: "devops", detect: "sbx",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each in a process of its own
			base := t.TempDir()
			noRepositoryAbove(t, base)
			build(t, base, tc.tree)
			build(t, base, map[string]node{"named.toml": {"file", configNamed("named")}})
			runChild(t, map[string]string{
				"MULTIENV_TEST_CHDIR":       filepath.Join(base, tc.dir),
				"MULTIENV_TEST_FILE":        filepath.Join(base, "named.toml"),
				"MULTIENV_TEST_WANT_FOUND":  tc.found,
				"MULTIENV_TEST_WANT_DETECT": tc.detect,
			})
		})
	}
}

// Location.How, and so Config.Found and explain --json's found, holds its
// paths whole: escaped, as every string of it is, never cut.
func TestLocateHowHoldsPathsWhole(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, strings.Repeat("d", 200), strings.Repeat("e", 200), "nl\ndir")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, withFile := range []bool{false, true} {
		if withFile {
			if err := os.WriteFile(filepath.Join(dir, multienv.FileName), []byte(configNamed("box")), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		loc, err := multienv.Locate("", resolver.MapLookup(nil), dir)
		if err != nil {
			t.Fatal(err)
		}
		escaped := strings.ReplaceAll(dir, "\n", `\n`)
		if !strings.Contains(loc.How, " "+escaped+" ") || !strings.Contains(loc.How, " "+root+")") {
			t.Errorf("How = %q; want %s and %s whole", loc.How, dir, root)
		}
	}
	// Outside a repository too.
	if err := os.Remove(filepath.Join(root, ".git")); err != nil {
		t.Fatal(err)
	}
	noRepositoryAbove(t, root)
	loc, err := multienv.Locate("", resolver.MapLookup(nil), dir)
	if want := multienv.FileName + " in " + strings.ReplaceAll(dir, "\n", `\n`) + " (not in"; err != nil || !strings.HasPrefix(loc.How, want) {
		t.Errorf("How = %q, %v; want it to start %q", loc.How, err, want)
	}
}
