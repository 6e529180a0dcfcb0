package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	testVersion = "v0.0.0-test.1"
	testCommit  = "0123456789abcdef0123456789abcdef01234567"
	testEpoch   = 1700000000 // 2023-11-14T22:13:20Z
)

// member is what an archive holds of one file, as tar -tv and unzip -Z show it.
type member struct {
	name  string
	mode  fs.FileMode
	uid   int
	mtime int64
}

// TestReproducible builds this machine's platform twice, from two copies
// of the module at different paths and with different build caches, and
// compares the archives and checksums.txt byte for byte.
func TestReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds resolver twice (-short)")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	platform := runtime.GOOS + "/" + runtime.GOARCH
	if !slices.Contains(platforms, platform) {
		t.Skipf("%s is no platform of a release", platform)
	}
	goenv := goEnv(t)
	var outs, srcs []string
	for i, cache := range []string{lookup(goenv, "GOCACHE"), t.TempDir()} {
		src := filepath.Join(t.TempDir(), strings.Repeat("src", i+1))
		copyModule(t, "../..", src)
		out := t.TempDir()
		home := t.TempDir()
		env := append(slices.Clone(goenv), "PATH="+os.Getenv("PATH"), "HOME="+home, "GOCACHE="+cache,
			"GOFLAGS=-tags=nonexistent", "GOAMD64=v3", "CGO_ENABLED=1")
		o := options{version: testVersion, commit: testCommit, epoch: testEpoch, platforms: []string{platform},
			source: src, out: out, env: env}
		if err := release(testContext(t), o); err != nil {
			t.Fatal(err)
		}
		outs, srcs = append(outs, out), append(srcs, src)
	}
	name := archiveName(testVersion, runtime.GOOS, runtime.GOARCH)
	for _, f := range []string{name, "checksums.txt"} {
		a := readFile(t, filepath.Join(outs[0], f))
		b := readFile(t, filepath.Join(outs[1], f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two builds differ (%d and %d bytes)", f, len(a), len(b))
		}
	}

	archive := readFile(t, filepath.Join(outs[0], name))
	sum := sha256.Sum256(archive)
	if got, want := string(readFile(t, filepath.Join(outs[0], "checksums.txt"))), hex.EncodeToString(sum[:])+"  "+name+"\n"; got != want {
		t.Errorf("checksums.txt:\n got %q\nwant %q", got, want)
	}
	if !strings.HasPrefix(name, "resolver_0.0.0-test.1_"+runtime.GOOS+"_"+runtime.GOARCH+".") {
		t.Errorf("archive name %s", name)
	}
	exe := "resolver"
	if runtime.GOOS == "windows" {
		exe = "resolver.exe"
	}
	want := []member{{exe, 0o755, 0, testEpoch}, {"README.md", 0o644, 0, testEpoch}}
	members, bin := readArchive(t, name, archive)
	if !slices.Equal(members, want) {
		t.Errorf("archive members:\n got %v\nwant %v", members, want)
	}
	checkBinary(t, exe, bin, srcs)
}

// checkBinary runs the released binary bin, named exe: it says what it was
// built from, it runs, and it holds no path of srcs, the module's copies
// it was built from.
func checkBinary(t *testing.T, exe string, bin []byte, srcs []string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), exe)
	if err := os.WriteFile(p, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(testContext(t), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, p, "--version")
	cmd.Env = []string{}
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("resolver --version: %v", err)
	}
	if want := "resolver v0.0.0-test.1 (commit " + testCommit + ")\n"; string(got) != want {
		t.Errorf("resolver --version: got %q, want %q", got, want)
	}
	// It runs: in a repository of its own, with no variable set, the
	// embedded default says sbx (CONTRACT §3).
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd = exec.CommandContext(ctx, p, "current")
	cmd.Env, cmd.Dir = []string{"HOME=" + repo}, repo
	got, err = cmd.Output()
	if err != nil || string(got) != "sbx\n" {
		t.Errorf("resolver current: %q, %v; want sbx", got, err)
	}
	// No path of the machine that built it.
	for _, dir := range srcs {
		if bytes.Contains(bin, []byte(dir)) {
			t.Errorf("the binary holds the path %s", dir)
		}
	}
}

// readArchive returns the members of the archive data, named name, and
// the content of the first.
func readArchive(t *testing.T, name string, data []byte) ([]member, []byte) {
	t.Helper()
	if strings.HasSuffix(name, ".zip") {
		return readZip(t, data)
	}
	var out []member
	var bin []byte
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if !gz.ModTime.IsZero() || gz.Name != "" {
		t.Errorf("gzip header: name %q, time %v; want neither", gz.Name, gz.ModTime)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Uname != "" || h.Gname != "" || h.Gid != 0 || h.Typeflag != tar.TypeReg {
			t.Errorf("%s: owner %q:%q, gid %d, type %c", h.Name, h.Uname, h.Gname, h.Gid, h.Typeflag)
		}
		out = append(out, member{h.Name, fs.FileMode(h.Mode), h.Uid, h.ModTime.Unix()})
		b, _ := io.ReadAll(tr)
		if len(bin) == 0 {
			bin = b
		}
	}
	return out, bin
}

func readZip(t *testing.T, data []byte) ([]member, []byte) {
	t.Helper()
	var out []member
	var bin []byte
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		out = append(out, member{f.Name, f.Mode().Perm(), 0, f.Modified.Unix()})
		if len(bin) == 0 {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			bin, _ = io.ReadAll(r)
		}
	}
	return out, bin
}

func TestRunRejects(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no version", []string{"-commit", testCommit, "-epoch", "1700000000"}, `-version "": want a version tag`},
		{"version without v", []string{"-version", "1.2.3", "-commit", testCommit, "-epoch", "1700000000"}, `-version "1.2.3"`},
		{"short commit", []string{"-version", "v1.2.3", "-commit", "0123abc", "-epoch", "1700000000"}, `commit "0123abc": want a full SHA`},
		{"epoch before zip", []string{"-version", "v1.2.3", "-commit", testCommit, "-epoch", "0"}, `epoch "0": want seconds`},
		{"epoch not a number", []string{"-version", "v1.2.3", "-commit", testCommit, "-epoch", "yesterday"}, `epoch "yesterday"`},
		{"unknown platform", []string{"-version", "v1.2.3", "-commit", testCommit, "-epoch", "1700000000", "-platforms", "plan9/386"}, `platform "plan9/386": want one of linux/amd64`},
		{"argument", []string{"-version", "v1.2.3", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			err := run(testContext(t), append(tt.args, "-out", out), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error with %q", err, tt.want)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Errorf("wrote %d files", len(entries))
			}
		})
	}
}

// TestChecksumsOnly lists every file of the directory, sorted, as sha256sum does.
func TestChecksumsOnly(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{"b.whl": "wheel", "a.tgz": "", "checksums.txt": "old"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := run(testContext(t), []string{"-checksums", "-out", dir}, nil); err != nil {
		t.Fatal(err)
	}
	// sha256 of "" and of "wheel", from sha256sum.
	want := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.tgz\n" +
		"ba59926159d2aa256eb8739b8da7e2b574b960e1202c6d624cbe981cef996c91  b.whl\n"
	got := string(readFile(t, filepath.Join(dir, "checksums.txt")))
	if got != want {
		t.Errorf("checksums.txt:\n got %q\nwant %q", got, want)
	}
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// copyModule copies the module at src to dst, without .git.
func copyModule(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.Name() == ".git" || d.Name() == "node_modules" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// goEnv returns, as KEY=value, the go command's settings that a build in
// an otherwise empty environment needs to find the module cache and proxy.
func goEnv(t *testing.T) []string {
	t.Helper()
	keys := []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "GONOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE", "GOTOOLCHAIN"}
	out, err := exec.CommandContext(testContext(t), "go", append([]string{"env", "-json"}, keys...)...).Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	var values map[string]string
	if err := json.Unmarshal(out, &values); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, k := range keys {
		if v := values[k]; v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// testContext ends before the test binary's deadline, so that a build that
// hangs fails its test with what it printed.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	t.Cleanup(cancel)
	if d, ok := t.Deadline(); ok {
		ctx, cancel = context.WithDeadline(ctx, d.Add(-10*time.Second))
		t.Cleanup(cancel)
	}
	return ctx
}
