//go:build unix

package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/multienv/multienv/internal/testconf"
)

// loadDeadline is how long a Load may take before the test calls it stuck:
// a named pipe opened for reading waits for a writer for ever.
const loadDeadline = 10 * time.Second

// loadWithin runs Load with a deadline. When it is stuck, it opens path for
// writing to release a reader waiting on a pipe, and fails the test.
func loadWithin(t *testing.T, path string) (*Config, error) {
	t.Helper()
	type result struct {
		c   *Config
		err error
	}
	done := make(chan result, 1)
	go func() {
		c, err := Load(path)
		done <- result{c, err}
	}()
	select {
	case r := <-done:
		return r.c, r.err
	case <-time.After(loadDeadline):
		if fd, err := syscall.Open(path, syscall.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			syscall.Close(fd)
		}
		t.Fatalf("Load(%q) did not return within %v: it waits on a named pipe", path, loadDeadline)
		return nil, nil
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
}

// validConfig is a small file that loads.
const validConfig = testconf.File

// TestLoadNamedPipe: whatever the name leads to, a pipe or a directory is
// refused at once, with the file named and no wait for a writer.
func TestLoadNamedPipe(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string) string
	}{
		{"pipe named by its path", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "multienv.toml")
			mkfifo(t, p)
			return p
		}},
		{"link to a pipe", func(t *testing.T, dir string) string {
			mkfifo(t, filepath.Join(dir, "pipe"))
			p := filepath.Join(dir, "multienv.toml")
			if err := os.Symlink("pipe", p); err != nil {
				t.Fatal(err)
			}
			return p
		}},
		{"pipe a writer holds open", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "multienv.toml")
			mkfifo(t, p)
			// A reader must exist for a non-blocking writer to open.
			r, err := syscall.Open(p, syscall.O_RDONLY|syscall.O_NONBLOCK, 0)
			if err != nil {
				t.Fatal(err)
			}
			w, err := syscall.Open(p, syscall.O_WRONLY|syscall.O_NONBLOCK, 0)
			if err != nil {
				t.Fatal(err)
			}
			syscall.Write(w, []byte(validConfig))
			t.Cleanup(func() { syscall.Close(w); syscall.Close(r) })
			return p
		}},
		{"directory", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "multienv.toml")
			if err := os.Mkdir(p, 0o700); err != nil {
				t.Fatal(err)
			}
			return p
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.setup(t, t.TempDir())
			_, err := loadWithin(t, path)
			var ce *Error
			if !errors.As(err, &ce) || len(ce.Problems) != 1 {
				t.Fatalf("got %v; want one problem", err)
			}
			if p := ce.Problems[0]; p.File != path || p.Message != "cannot read the file: not a regular file" {
				t.Errorf("got %q: %q; want %q: %q", p.File, p.Message, path, "cannot read the file: not a regular file")
			}
		})
	}
}

// TestLoadSwappedForPipe swaps the file between a regular file and a named
// pipe while loading it. A check of the name before opening it would see
// the file, then open the pipe and wait for ever; each load must instead
// return at once, with the file's configuration or a not-a-regular-file
// problem. (The swap cannot be timed from outside, so it is tried many
// times; with the check-then-open reader it hangs within a few hundred.)
func TestLoadSwappedForPipe(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "multienv.toml")
	regular := filepath.Join(dir, "regular")
	if err := os.WriteFile(regular, []byte(validConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	mkfifo(t, filepath.Join(dir, "probe")) // skips where there are no pipes
	if err := os.Link(regular, path); err != nil {
		t.Fatal(err)
	}

	stop := make(chan struct{})
	swapped := make(chan error, 1)
	go func() {
		next, pipe := filepath.Join(dir, "next"), filepath.Join(dir, "nextpipe")
		for {
			select {
			case <-stop:
				swapped <- nil
				return
			default:
			}
			if err := syscall.Mkfifo(pipe, 0o600); err != nil {
				swapped <- err
				return
			}
			if err := os.Rename(pipe, path); err != nil {
				swapped <- err
				return
			}
			if err := os.Link(regular, next); err != nil {
				swapped <- err
				return
			}
			if err := os.Rename(next, path); err != nil {
				swapped <- err
				return
			}
		}
	}()

	// Stop the swaps before the temporary directory is removed, also when
	// the test fails.
	stopSwapping := sync.OnceValue(func() error { close(stop); return <-swapped })
	t.Cleanup(func() { stopSwapping() })

	loaded, refused := 0, 0
	for range 3000 {
		c, err := loadWithin(t, path)
		switch {
		case err == nil && len(c.Envs) == 2 && c.Envs[0].Name == "sbx":
			loaded++
		case err != nil && strings.Contains(err.Error(), "cannot read the file: not a regular file"):
			refused++
		default:
			t.Fatalf("got %+v, %v; want the file's configuration or a not-a-regular-file problem", c, err)
		}
	}
	if err := stopSwapping(); err != nil {
		t.Fatalf("swapping: %v", err)
	}
	t.Logf("%d loads of the file, %d refusals of the pipe", loaded, refused)
}
