package integrations_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// releaseServer serves a release's files on 127.0.0.1 as GitHub serves a
// release's assets: GET /VERSION/FILE.
type releaseServer struct {
	url  string
	mu   sync.Mutex
	hits map[string]int // path → requests
}

// serveRelease serves the files of dir under /releaseVersion/, each passed
// through change when it is not nil.
func serveRelease(t *testing.T, dir string, change func(name string, data []byte) []byte) *releaseServer {
	t.Helper()
	files := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if change != nil {
			data = change(e.Name(), data)
		}
		files["/"+releaseVersion+"/"+e.Name()] = data
	}
	s := &releaseServer{hits: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		data, ok := files[r.URL.Path]
		if !ok || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") {
		t.Fatalf("the test server is at %s, not on 127.0.0.1", s.url)
	}
	return s
}

func (s *releaseServer) requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.hits)
}

func needCurl(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash, which the action's steps run in")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl, which the action downloads resolver with")
	}
}

// TestActionDownload runs the action's default install, the download of a
// release made by internal/release, from a server on 127.0.0.1.
func TestActionDownload(t *testing.T) {
	t.Parallel()
	needCurl(t)
	a := loadAction(t)
	dir := testRelease(t)
	name := archiveName(t)
	platform := hostPlatform(t)
	exe := "resolver"
	if runtime.GOOS == "windows" {
		exe = "resolver.exe"
	}
	files := map[string]string{"multienv.toml": exampleConfig(t)}
	push := job{event: "push", refName: "main", envName: "prd", files: files}
	stg := "id=prd\nenv=prd\ninstance=\nkind=production\nruntime=github_action\npr=false\n"

	t.Run("verified, cached, on PATH", func(t *testing.T) {
		srv := serveRelease(t, dir, nil)
		cache := t.TempDir()
		j := push
		j.toolCache, j.actionRef = cache, releaseVersion // uses: multienv/multienv@v0.0.1-rc.1
		j.with = map[string]string{"download-url": srv.url + "/"}
		installed := cachedAt(cache, platform, srv.url)
		for round := range 2 {
			runs, outputs := runAction(t, a, j)
			last := runs[len(runs)-1]
			if last.code != 0 || len(runs) != len(a.steps) {
				logRuns(t, a, runs)
				t.Fatalf("round %d: step %q: exit %d", round, a.steps[len(runs)-1].name, last.code)
			}
			if last.outputs != stg || outputs["kind"] != "production" {
				t.Errorf("round %d: GITHUB_OUTPUT %q, outputs %v", round, last.outputs, outputs)
			}
			install := runs[0]
			if want := "path=" + filepath.Join(installed, exe) + "\n"; install.outputs != want {
				t.Errorf("round %d: install's GITHUB_OUTPUT: got %q, want %q", round, install.outputs, want)
			}
			if install.path != installed+"\n" {
				t.Errorf("round %d: GITHUB_PATH: got %q, want %q", round, install.path, installed+"\n")
			}
			// The binary is the release's: it says the version and commit
			// internal/release stamped.
			if want := "resolver " + releaseVersion + " (commit " + releaseCommit + ")"; !strings.Contains(install.log, want) {
				t.Errorf("round %d: the install log has no %q:\n%s", round, want, install.log)
			}
			fromCache := strings.Contains(install.log, "from the tool cache")
			if fromCache != (round == 1) {
				t.Errorf("round %d: from the tool cache: %v\n%s", round, fromCache, install.log)
			}
		}
		want := map[string]int{"/" + releaseVersion + "/checksums.txt": 1, "/" + releaseVersion + "/" + name: 1}
		if got := srv.requests(); !maps.Equal(got, want) {
			t.Errorf("requests: got %v, want %v (the second run reads the cache)", got, want)
		}
	})

	// A binary cached from another download-url is not this one's: a job
	// that downloads from elsewhere (here a server whose release is a
	// script, with its checksums.txt) does not decide what a job with
	// another URL runs.
	t.Run("the cache of another download-url", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("the other release's binary is a shell script")
		}
		fake := fakeArchive(t, "#!/bin/sh\necho 'resolver from elsewhere'\n")
		other := serveRelease(t, dir, func(file string, data []byte) []byte {
			switch file {
			case name:
				return fake
			case "checksums.txt":
				sum := sha256.Sum256(fake)
				return []byte(hex.EncodeToString(sum[:]) + "  " + name + "\n")
			}
			return data
		})
		srv := serveRelease(t, dir, nil)
		cache := t.TempDir()
		j := push
		j.toolCache = cache
		j.with = map[string]string{"version": releaseVersion, "download-url": other.url}
		runs, _ := runAction(t, a, j)
		if runs[0].code != 0 || !strings.Contains(runs[0].log, "resolver from elsewhere") {
			logRuns(t, a, runs)
			t.Fatalf("the other release: install exit %d", runs[0].code)
		}
		for round := range 2 {
			j.with = map[string]string{"version": releaseVersion, "download-url": srv.url}
			runs, outputs := runAction(t, a, j)
			if len(runs) != len(a.steps) || runs[len(runs)-1].code != 0 || outputs["id"] != "prd" {
				logRuns(t, a, runs)
				t.Fatalf("round %d: outputs %v", round, outputs)
			}
			install := runs[0]
			if want := "resolver " + releaseVersion + " (commit " + releaseCommit + ")"; !strings.Contains(install.log, want) {
				t.Errorf("round %d: the install log has no %q:\n%s", round, want, install.log)
			}
			if want := cachedAt(cache, platform, srv.url) + "\n"; install.path != want {
				t.Errorf("round %d: GITHUB_PATH: got %q, want %q", round, install.path, want)
			}
			if fromCache := strings.Contains(install.log, "from the tool cache"); fromCache != (round == 1) {
				t.Errorf("round %d: from the tool cache: %v\n%s", round, fromCache, install.log)
			}
		}
		if got := srv.requests()["/"+releaseVersion+"/"+name]; got != 1 {
			t.Errorf("%d requests of %s, want 1: the first job downloads it, the second reads its cache", got, name)
		}
	})

	// github.action_ref empty, as it can be in a composite action: the
	// release is the ref the runner checked the action out at.
	t.Run("the ref of the action's directory", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("a symbolic link stands for the runner's checkout")
		}
		srv := serveRelease(t, dir, nil)
		checkout := filepath.Join(t.TempDir(), "_actions", "multienv", "multienv", releaseVersion)
		if err := os.MkdirAll(filepath.Dir(checkout), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(repoRoot(t), checkout); err != nil {
			t.Fatal(err)
		}
		j := push
		j.actionPath = checkout
		j.with = map[string]string{"download-url": srv.url}
		runs, outputs := runAction(t, a, j)
		if len(runs) != len(a.steps) || runs[len(runs)-1].code != 0 || outputs["id"] != "prd" {
			logRuns(t, a, runs)
			t.Fatalf("outputs %v", outputs)
		}
		if got := srv.requests()["/"+releaseVersion+"/"+name]; got != 1 {
			t.Errorf("%d requests of %s, want 1", got, name)
		}
	})

	otherSum := func(name string, data []byte) []byte {
		if name != "checksums.txt" {
			return data
		}
		// The archive's line with another hash: the first digit changed.
		return regexp.MustCompile(`(?m)^([0-9a-f])`).ReplaceAllFunc(data, func(d []byte) []byte {
			if d[0] == '0' {
				return []byte("1")
			}
			return []byte("0")
		})
	}
	noLine := func(file string, data []byte) []byte {
		if file != "checksums.txt" {
			return data
		}
		return []byte(strings.ReplaceAll(string(data), name, "resolver_other.tar.gz"))
	}
	tests := []struct {
		name   string
		change func(string, []byte) []byte
		with   map[string]string
		ref    string
		log    string
		code   int
	}{
		{name: "checksum does not match", change: otherSum,
			log: `(?m)^::error title=multienv::` + regexp.QuoteMeta(name) + ` has SHA-256 [0-9a-f]{64}, but checksums\.txt says [0-9a-f]{64}: nothing installed$`},
		{name: "no checksum for the archive", change: noLine,
			log: `(?m)^::error title=multienv::checksums\.txt of v0\.0\.1-rc\.1 has no SHA-256 for ` + regexp.QuoteMeta(name) + `: nothing installed$`},
		{name: "no such release", with: map[string]string{"version": "v9.9.9"},
			log: `(?m)^::error title=multienv::could not download http://127\.0\.0\.1:\d+/v9\.9\.9/checksums\.txt$`},
		{name: "a ref that is no release", ref: "main", with: map[string]string{"version": ""},
			log: `(?m)^::error title=multienv::the action ref main is no release: set input version to one \(v1\.2\.3\), or install-mode to source$`, code: 2},
		{name: "a version that is none", with: map[string]string{"version": "latest; rm -rf /"},
			log: `(?m)^::error title=multienv::input version must be a release such as v1\.2\.3, not latest\\;\\ rm\\ -rf\\ /$`, code: 2},
		{name: "download-url over http elsewhere", with: map[string]string{"download-url": "http://example.com/releases"},
			log: `(?m)^::error title=multienv::input download-url must be an https URL, not http://example\.com/releases$`, code: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := serveRelease(t, dir, tt.change)
			cache := t.TempDir()
			j := push
			j.toolCache, j.actionRef = cache, tt.ref
			j.with = map[string]string{"version": releaseVersion, "download-url": srv.url}
			maps.Copy(j.with, tt.with)
			runs, outputs := runAction(t, a, j)
			if len(runs) != 1 || runs[0].code == 0 {
				logRuns(t, a, runs)
				t.Fatalf("%d steps ran, the last exit %d; want the install step to fail", len(runs), runs[len(runs)-1].code)
			}
			r := runs[0]
			if want := max(tt.code, 1); r.code != want {
				t.Errorf("exit %d, want %d", r.code, want)
			}
			if !regexp.MustCompile(tt.log).MatchString(r.log) {
				t.Errorf("the log does not match %s:\n%s", tt.log, r.log)
			}
			if r.outputs != "" || r.path != "" || outputs != nil {
				t.Errorf("GITHUB_OUTPUT %q, GITHUB_PATH %q, outputs %v after a failed install", r.outputs, r.path, outputs)
			}
			// Nothing is kept: the next run downloads and checks again.
			var kept []string
			filepath.WalkDir(cache, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					kept = append(kept, p)
				}
				return nil
			})
			if len(kept) > 0 {
				t.Errorf("the tool cache holds %v", kept)
			}
		})
	}
}

// cachedAt is where the action keeps the binary of this release and
// platform downloaded from base in the tool cache: multienv/VERSION/
// PLATFORM_SOURCE, SOURCE the first 16 hex digits of the SHA-256 of base
// without its trailing slash.
func cachedAt(cache, platform, base string) string {
	sum := sha256.Sum256([]byte(strings.TrimSuffix(base, "/")))
	return filepath.Join(cache, "multienv", strings.TrimPrefix(releaseVersion, "v"), platform+"_"+hex.EncodeToString(sum[:])[:16])
}

// fakeArchive is a .tar.gz holding one executable file, resolver, of
// content script.
func fakeArchive(t *testing.T, script string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Name: "resolver", Mode: 0o755, Size: int64(len(script)), Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Write([]byte(script)); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func logRuns(t *testing.T, a *action, runs []stepRun) {
	t.Helper()
	for i, r := range runs {
		t.Logf("step %q: exit %d\n%s", a.steps[i].name, r.code, r.log)
	}
}
