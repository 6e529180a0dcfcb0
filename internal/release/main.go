// Command release builds resolver's release: for each platform a static
// binary stamped with the version and the commit, in an archive whose bytes
// depend only on the commit, the version and the Go toolchain, and
// checksums.txt, the SHA-256 of each archive, as sha256sum -c reads it.
//
//	go run ./internal/release -version v1.2.3 [-commit SHA] [-epoch SECONDS] [-platforms linux/amd64,...] [-out dist]
//
// The commit defaults to git rev-parse HEAD, the time stamped on every file
// to $SOURCE_DATE_EPOCH, else the commit's time. Archives are named
// resolver_VERSION_OS_ARCH (VERSION without its v): .tar.gz, and .zip for
// windows. With -checksums alone it only writes checksums.txt again, over
// every file of -out (so that other assets put there are listed too).
package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// platforms are the ones a release holds, as GOOS/GOARCH.
var platforms = []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"}

var (
	// versionPattern is a semantic version with its v, as a git tag names it.
	versionPattern = regexp.MustCompile(`^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$`)
	commitPattern  = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)
)

// options is one release.
type options struct {
	version, commit string   // v1.2.3 and the full SHA
	epoch           int64    // the time of every file, in seconds since 1970
	platforms       []string // GOOS/GOARCH
	source, out     string   // the module's root, and where the archives go
	env             []string // the environment go build runs in, before the release's own settings
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Environ()); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args, environ []string) error {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	version := fs.String("version", "", "the version, as its tag names it: v1.2.3")
	commit := fs.String("commit", "", "the commit built; default: git rev-parse HEAD")
	epoch := fs.String("epoch", "", "the time of every file, in seconds; default: $SOURCE_DATE_EPOCH, else the commit's time")
	list := fs.String("platforms", strings.Join(platforms, ","), "the platforms, as GOOS/GOARCH, comma-separated")
	out := fs.String("out", "dist", "the directory the archives and checksums.txt go to")
	source := fs.String("source", ".", "the module's root")
	sumsOnly := fs.Bool("checksums", false, "only write checksums.txt, over every file of -out")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case *sumsOnly:
		return writeChecksums(*out)
	case !versionPattern.MatchString(*version):
		return fmt.Errorf("-version %q: want a version tag such as v1.2.3", *version)
	}
	o := options{version: *version, source: *source, out: *out, env: environ, platforms: strings.Split(*list, ",")}
	var err error
	if o.commit, err = orGit(*commit, o.source, "no -commit", "rev-parse", "HEAD"); err != nil {
		return err
	}
	if !commitPattern.MatchString(o.commit) {
		return fmt.Errorf("commit %q: want a full SHA (40 hex digits)", o.commit)
	}
	e, err := orGit(cmp.Or(*epoch, lookup(environ, "SOURCE_DATE_EPOCH")), o.source, "no -epoch nor SOURCE_DATE_EPOCH", "log", "-1", "--format=%ct", o.commit)
	if err != nil {
		return err
	}
	if o.epoch, err = strconv.ParseInt(e, 10, 64); err != nil || o.epoch < 315532800 || o.epoch > 4102444800 { // zip's times start in 1980
		return fmt.Errorf("epoch %q: want seconds since 1970, between 1980 and 2100", e)
	}
	for _, p := range o.platforms {
		if !slices.Contains(platforms, p) {
			return fmt.Errorf("platform %q: want one of %s", p, strings.Join(platforms, ", "))
		}
	}
	return release(ctx, o)
}

// release builds every platform of o into o.out, then checksums.txt.
func release(ctx context.Context, o options) error {
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	readme, err := os.ReadFile(filepath.Join(o.source, "README.md"))
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "release")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	for _, p := range o.platforms {
		goos, goarch, _ := strings.Cut(p, "/")
		exe, pack := "resolver", tarArchive
		if goos == "windows" {
			exe, pack = "resolver.exe", zipArchive
		}
		bin, err := build(ctx, o, goos, goarch, filepath.Join(work, goos+"_"+goarch, exe))
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		name := archiveName(o.version, goos, goarch)
		archive, err := pack([]file{{exe, 0o755, bin}, {"README.md", 0o644, readme}}, o.epoch)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(o.out, name), archive, 0o644); err != nil {
			return err
		}
	}
	return writeChecksums(o.out)
}

// archiveName is the name of a platform's archive: resolver_1.2.3_linux_amd64.tar.gz.
func archiveName(version, goos, goarch string) string {
	ext := ".tar.gz"
	if goos == "windows" {
		ext = ".zip"
	}
	return "resolver_" + strings.TrimPrefix(version, "v") + "_" + goos + "_" + goarch + ext
}

// build compiles cmd/resolver for one platform into bin and returns it:
// static (no cgo), without the paths of this machine (-trimpath), stamped
// with the version and the commit rather than what git says of the working
// tree (-buildvcs=false), whatever GOFLAGS, go.work or the GOAMD64 level of
// the environment say.
func build(ctx context.Context, o options, goos, goarch, bin string) ([]byte, error) {
	env := slices.DeleteFunc(slices.Clone(o.env), func(kv string) bool {
		k, _, _ := strings.Cut(kv, "=")
		return slices.Contains([]string{"GOFLAGS", "GOWORK", "GOOS", "GOARCH", "GOAMD64", "GOARM64", "GOEXPERIMENT", "GODEBUG", "CGO_ENABLED"}, k)
	})
	// A GOFLAGS set in the environment wins over one of go env -w; an
	// empty one would not.
	env = append(env, "GOFLAGS=-mod=readonly", "GOWORK=off", "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch,
		"GOAMD64=v1", "GOARM64=v8.0")
	ldflags := "-s -w -buildid= -X main.version=" + o.version + " -X main.commit=" + o.commit
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-buildvcs=false", "-ldflags="+ldflags, "-o", bin, "./cmd/resolver")
	cmd.Dir, cmd.Env = o.source, env
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, out)
	}
	return os.ReadFile(bin)
}

// file is one member of an archive.
type file struct {
	name string
	mode int64
	data []byte
}

// tarArchive is a gzipped tar of files in the order given, every one owned
// by 0:0 with no user or group name and modified at epoch; the gzip header
// holds no name nor time.
func tarArchive(files []file, epoch int64) ([]byte, error) {
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // no error for a valid level
	tw := tar.NewWriter(gz)
	for _, f := range files {
		h := &tar.Header{Typeflag: tar.TypeReg, Name: f.name, Mode: f.mode, Size: int64(len(f.data)),
			ModTime: time.Unix(epoch, 0), Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	err := errors.Join(tw.Close(), gz.Close()) // before Bytes: Close writes the gzip trailer
	return buf.Bytes(), err
}

// zipArchive is a zip of files in the order given, each deflated, with
// its Unix mode and modified at epoch (UTC).
func zipArchive(files []file, epoch int64) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: time.Unix(epoch, 0).UTC()}
		h.SetMode(os.FileMode(f.mode))
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.data); err != nil {
			return nil, err
		}
	}
	err := zw.Close() // before Bytes: Close writes the central directory
	return buf.Bytes(), err
}

// writeChecksums writes dir/checksums.txt: "SHA256  NAME" for each other
// regular file of dir, sorted by name, as sha256sum prints them.
func writeChecksums(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	for _, e := range entries { // ReadDir sorts by name
		if e.Name() == "checksums.txt" || !e.Type().IsRegular() {
			continue
		}
		if strings.ContainsAny(e.Name(), "\n\\") {
			return fmt.Errorf("%q: a name sha256sum -c would not read back", e.Name())
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%x  %s\n", sha256.Sum256(data), e.Name())
	}
	if b.Len() == 0 {
		return errors.New(dir + ": nothing to list in checksums.txt")
	}
	return os.WriteFile(filepath.Join(dir, "checksums.txt"), b.Bytes(), 0o644)
}

// orGit returns v, or when it is empty what git prints for args in dir;
// missing says, in an error, what was not given.
func orGit(v, dir, missing string, args ...string) (string, error) {
	if v != "" {
		return v, nil
	}
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s, and git %s: %v", missing, strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

func lookup(environ []string, key string) string {
	for _, kv := range slices.Backward(environ) {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}
