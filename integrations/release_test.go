package integrations_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The release the packaging tests install: this machine's platform only,
// built once by internal/release, as a release workflow runs it.
const (
	releaseVersion = "v0.0.1-rc.1"
	releaseCommit  = "89abcdef0123456789abcdef0123456789abcdef"
	releaseEpoch   = "1700000000"
)

var (
	releaseOnce sync.Once
	releaseDir  string // the release's files: the archive and checksums.txt
	releaseLog  string // what went wrong, when releaseDir is empty
	scratch     string // removed when the tests end
)

func TestMain(m *testing.M) {
	code := m.Run()
	if scratch != "" {
		os.RemoveAll(scratch)
	}
	os.Exit(code)
}

// releasePlatforms are the platforms a release holds, as GOOS_GOARCH.
var releasePlatforms = []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64", "windows_arm64"}

// hostPlatform returns this machine's platform, as an archive names it;
// the test skips when no release holds it.
func hostPlatform(t *testing.T) string {
	t.Helper()
	p := runtime.GOOS + "_" + runtime.GOARCH
	if !slices.Contains(releasePlatforms, p) {
		t.Skipf("a release holds no build for %s", p)
	}
	return p
}

// archiveName is the name of this platform's archive in the release, as
// the README documents it: resolver_VERSION_OS_ARCH, VERSION without its v.
func archiveName(t *testing.T) string {
	ext := ".tar.gz"
	if runtime.GOOS == "windows" {
		ext = ".zip"
	}
	return "resolver_" + strings.TrimPrefix(releaseVersion, "v") + "_" + hostPlatform(t) + ext
}

// testRelease returns the directory of the release for this platform,
// made by 'go run ./internal/release' once for all the tests.
func testRelease(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a release (-short)")
	}
	platform := strings.Replace(hostPlatform(t), "_", "/", 1)
	releaseOnce.Do(func() {
		var err error
		if scratch, err = os.MkdirTemp("", "multienv-release"); err != nil {
			releaseLog = err.Error()
			return
		}
		out := filepath.Join(scratch, "dist")
		home := filepath.Join(scratch, "home")
		if err := os.Mkdir(home, 0o755); err != nil {
			releaseLog = err.Error()
			return
		}
		env := append(goEnv(t, deadline(t, time.Minute)), "PATH="+os.Getenv("PATH"), "HOME="+home)
		r := run(t, deadline(t, 8*time.Minute), repoRoot(t), env, "go", "run", "./internal/release",
			"-version", releaseVersion, "-commit", releaseCommit, "-epoch", releaseEpoch, "-platforms", platform, "-out", out)
		if r.code != 0 {
			releaseLog = fmt.Sprintf("go run ./internal/release: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			return
		}
		releaseDir = out
	})
	if releaseDir == "" {
		t.Fatalf("no release: %s", releaseLog)
	}
	return releaseDir
}

// readmeSnippet returns the one fenced block of README.md in lang.
func readmeSnippet(t *testing.T, lang string) string {
	t.Helper()
	var found []string
	var cur *strings.Builder
	for _, line := range strings.Split(readRepoFile(t, "README.md"), "\n") {
		switch {
		case cur == nil && line == "```"+lang:
			cur = &strings.Builder{}
		case cur != nil && line == "```":
			found = append(found, cur.String())
			cur = nil
		case cur != nil:
			cur.WriteString(line + "\n")
		}
	}
	if len(found) != 1 {
		t.Fatalf("README.md: %d %s snippets, want 1", len(found), lang)
	}
	return found[0]
}
