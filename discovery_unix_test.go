//go:build unix

package multienv_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/resolver"
)

// openDeadline bounds a Locate and Open: a named pipe opened for reading
// would wait for a writer for ever.
const openDeadline = 10 * time.Second

// locateAndOpen runs Locate and Open from dir with a deadline; it returns
// the first error.
func locateAndOpen(t *testing.T, flagPath, dir string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		loc, err := multienv.Locate(flagPath, resolver.MapLookup(nil), dir)
		if err == nil {
			_, err = multienv.Open(loc)
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(openDeadline):
		t.Fatalf("Locate and Open from %s did not return within %v", dir, openDeadline)
		return nil
	}
}

// TestLocateUnusable: names discovery finds but cannot use, that only unix
// makes: named pipes, and files and directories without permission. Each
// is an error naming the path, never skipped.
func TestLocateUnusable(t *testing.T) {
	notRoot := func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root reads and searches without permission")
		}
	}
	fifo := func(t *testing.T, p string) {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("no named pipes here: %v", err)
		}
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, base string) (flag, dir string)
		want  string // with BASE for the base directory
		cause error
	}{
		{
			name: "a named pipe in the directory",
			setup: func(t *testing.T, base string) (string, string) {
				build(t, base, map[string]node{"a/.keep": {"file", ""}})
				fifo(t, filepath.Join(base, "a/multienv.toml"))
				return "", filepath.Join(base, "a")
			},
			want: "cannot use BASE/a/multienv.toml, found by discovery: it is not a regular file",
		},
		{
			name: "a link to a named pipe in a parent inside the repository",
			setup: func(t *testing.T, base string) (string, string) {
				build(t, base, map[string]node{
					"repo/.git/HEAD":     {"file", ""},
					"repo/multienv.toml": {"link", "pipe"},
					"repo/a/.keep":       {"file", ""},
				})
				fifo(t, filepath.Join(base, "repo/pipe"))
				return "", filepath.Join(base, "repo/a")
			},
			want: "cannot use BASE/repo/multienv.toml, found by discovery: it is not a regular file",
		},
		{
			name: "a named pipe given by --config",
			setup: func(t *testing.T, base string) (string, string) {
				fifo(t, filepath.Join(base, "pipe.toml"))
				return filepath.Join(base, "pipe.toml"), base
			},
			want: "BASE/pipe.toml: cannot read the file: not a regular file",
		},
		{
			name: "a parent that may not be searched",
			setup: func(t *testing.T, base string) (string, string) {
				notRoot(t)
				build(t, base, map[string]node{"repo/.git/HEAD": {"file", ""}, "repo/a/b/.keep": {"file", ""}})
				locked := filepath.Join(base, "repo/a")
				if err := os.Chmod(locked, 0o600); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.Chmod(locked, 0o755) })
				return "", filepath.Join(base, "repo/a/b")
			},
			want:  "cannot look for the repository root: BASE/repo/a/b/.git: permission denied",
			cause: fs.ErrPermission,
		},
		{
			name: "a file that may not be read",
			setup: func(t *testing.T, base string) (string, string) {
				notRoot(t)
				build(t, base, map[string]node{"a/multienv.toml": {"file", configNamed("locked")}})
				if err := os.Chmod(filepath.Join(base, "a/multienv.toml"), 0); err != nil {
					t.Fatal(err)
				}
				return "", filepath.Join(base, "a")
			},
			want: "BASE/a/multienv.toml: cannot read the file: permission denied",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			noRepositoryAbove(t, base)
			flag, dir := tc.setup(t, base)
			err := locateAndOpen(t, flag, dir)
			if err == nil {
				t.Fatal("no error")
			}
			if want := strings.ReplaceAll(tc.want, "BASE", base); err.Error() != want {
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

// TestLocateNothingAnyoneMayWrite: a directory anyone may write to and
// many share, as /tmp is (sticky), holds what strangers put there: its .git
// makes no repository root and discovery reads nothing in it, even as the
// working directory (CONTRACT §5: a file in /tmp, working in /tmp/a/b, is
// never read). Directories are walked as they are: a link on the way leads
// where it points, not back up the path it was named by, and a linked
// working directory's own file is read, named as the directory was.
func TestLocateNothingAnyoneMayWrite(t *testing.T) {
	base := t.TempDir()
	noRepositoryAbove(t, base)
	build(t, base, map[string]node{
		"shared/.git/HEAD":            {"file", ""},
		"shared/multienv.toml":        {"file", configNamed("planted")},
		"shared/a/b/.keep":            {"file", ""},
		"team/.git/HEAD":              {"file", ""},
		"team/multienv.toml":          {"file", configNamed("team")},
		"team/a/.keep":                {"file", ""},
		"repo/.git/HEAD":              {"file", ""},
		"repo/linked":                 {"link", "../elsewhere"},
		"repo/open":                   {"link", "../shared"},
		"elsewhere/multienv.toml":     {"file", configNamed("elsewhere")},
		"elsewhere/proj/.keep":        {"file", ""},
		"elsewhere/own/multienv.toml": {"file", configNamed("own")},
	})
	if err := os.Chmod(filepath.Join(base, "shared"), 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	// Writable by all without the sticky bit: a checkout shared on purpose.
	if err := os.Chmod(filepath.Join(base, "team"), 0o777); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dir string
		path, how string // the file found, or "" and a part of Location.How; with BASE for base
	}{
		{"below it", "shared/a/b", "", "no multienv.toml in BASE/shared/a/b (not in a repository"},
		{"in it", "shared", "", "discovery reads nothing in BASE/shared, a directory anyone may write to"},
		{"below it through a link", "repo/open/a/b", "", "no multienv.toml in BASE/repo/open/a/b (not in a repository"},
		{"above a linked directory", "repo/linked/proj", "", "no multienv.toml in BASE/repo/linked/proj (not in a repository"},
		{"in a linked directory", "repo/linked/own", "BASE/repo/linked/own/multienv.toml", ""},
		{"a shared checkout", "team/a", "BASE/team/multienv.toml", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := multienv.Locate("", resolver.MapLookup(nil), filepath.Join(base, tc.dir))
			path, how := strings.ReplaceAll(tc.path, "BASE", base), strings.ReplaceAll(tc.how, "BASE", base)
			if err != nil || loc.Path != path || !strings.Contains(loc.How, how) {
				t.Errorf("got %+v, %v; want the file %q, How holding %q", loc, err, path, how)
			}
		})
	}
}
