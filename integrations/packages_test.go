package integrations_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// badBinary is a MULTIENV_RESOLVER_PATH that fails in one way, and what the
// Python and Node packages must report for it, as their READMEs say: the
// status a shell gives (126 cannot be run, 128+9 killed by SIGKILL, 124 no
// answer in time), or 1 for an answer that is no JSON object.
type badBinary struct {
	name    string
	path    string
	timeout bool // the case is run with a timeout of 1 s
	code    int
	msg     string // a regular expression the message matches
	ran     string // a file that exists once the binary has run as a script, or empty
}

// checkNotRun fails the test if b ran as a shell script.
func (b badBinary) checkNotRun(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(b.ran); b.ran != "" && err == nil {
		t.Errorf("%s: the file ran as a shell script", b.name)
	}
}

// elfHead is the start of a 64-bit little-endian ELF file of type typ for
// machine; the kernel refuses to run it, as the rest is zeros.
func elfHead(typ, machine byte) string {
	head := []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	head = append(head, typ, 0, machine, 0, 1, 0, 0, 0)
	return string(append(head, make([]byte, 40)...))
}

// hostMachine is the ELF machine of the CPU the tests run on.
var hostMachine = map[string]byte{"amd64": 62, "arm64": 183}[runtime.GOARCH]

// badBinaries writes, in a directory of the test, binaries that misbehave
// (POSIX shell scripts: none on Windows).
func badBinaries(t *testing.T) []badBinary {
	t.Helper()
	if runtime.GOOS == "windows" {
		return nil
	}
	dir := t.TempDir()
	scripts := map[string]string{
		"noexec": "#!/bin/sh\necho '{}'\n",
		"killed": "#!/bin/sh\nkill -9 $$\n",
		"slow":   "#!/bin/sh\nexec sleep 60\n",
		"array":  "#!/bin/sh\necho '[]'\n",
		// Files the system refuses to run (ENOEXEC), which execvp would
		// run with /bin/sh instead.
		"noshebang": "touch \"$(dirname \"$0\")/ran\"\necho '{\"id\": \"prd\"}'\n",
		"foreign":   elfHead(2, 75) + "\ntouch \"$(dirname \"$0\")/ran\"\n", // a VAX's
		// An object file of this machine: no executable.
		"object": elfHead(1, hostMachine) + "\ntouch \"$(dirname \"$0\")/ran\"\n",
	}
	writeFiles(t, dir, scripts)
	for name := range scripts {
		mode := os.FileMode(0o755)
		if name == "noexec" {
			mode = 0o644
		}
		if err := os.Chmod(filepath.Join(dir, name), mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := func(name string) string { return filepath.Join(dir, name) }
	return []badBinary{
		{name: "not executable", path: p("noexec"), code: 126, msg: `noexec is not executable`},
		{name: "a directory", path: p("adir"), code: 126, msg: `^MULTIENV_RESOLVER_PATH=.*adir.* is not a file$`},
		{name: "killed by SIGKILL", path: p("killed"), code: 128 + 9, msg: `killed by SIGKILL`},
		{name: "no answer in time", path: p("slow"), timeout: true, code: 124, msg: `^resolver did not answer in 1 `},
		{name: "JSON that is no object", path: p("array"), code: 1, msg: `^resolver printed JSON that is not an object$`},
		{name: "no #! line", path: p("noshebang"), code: 126, msg: `noshebang is not a program this system runs`, ran: p("ran")},
		{name: "a binary of another machine", path: p("foreign"), code: 126, msg: `foreign is not a program this system runs`, ran: p("ran")},
		{name: "an object file", path: p("object"), code: 126, msg: `object is not a program this system runs`, ran: p("ran")},
	}
}

// prPayload writes a pull_request event payload, as GitHub writes it to
// GITHUB_EVENT_PATH, of a pull request from a fork, and returns the
// variables of such a job that asks for environment sbx-7.
func prPayload(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"event.json": `{"number": 7, "pull_request": {"number": 7, ` +
		`"head": {"ref": "feature", "repo": {"full_name": "mallory/shop"}}, "base": {"ref": "main", "repo": {"full_name": "acme/shop"}}}}`})
	return []string{"GITHUB_ACTIONS=true", "GITHUB_EVENT_NAME=pull_request", "GITHUB_EVENT_PATH=" + filepath.Join(dir, "event.json"),
		"GITHUB_HEAD_REF=feature", "GITHUB_REF_NAME=7/merge", "ENV_NAME=sbx-7"}
}

// description returns the description examples/multienv.toml gives the
// environment name.
func description(t *testing.T, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^name = "` + regexp.QuoteMeta(name) + `"\n(?:[a-z]+ = .*\n)*?description = "([^"\\]*)"$`).
		FindStringSubmatch(exampleConfig(t))
	if m == nil {
		t.Fatalf("examples/multienv.toml: no description of %s", name)
	}
	return m[1]
}

// largeID is an instance id of sbx; largeConfig has 20 values of 1800
// times {id}: each 64,800 bytes for it, under the 64 KiB a string may be,
// 1.3 MB of JSON in all from a file of 150 KB.
const largeID = "sbx-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

func largeConfig(t *testing.T) (string, map[string]any) {
	t.Helper()
	var b strings.Builder
	b.WriteString(exampleConfig(t) + "\n[values]\n")
	want := map[string]any{}
	for i := range 20 {
		fmt.Fprintf(&b, "v%d = \"%s\"\n", i, strings.Repeat("{id}", 1800))
		want[fmt.Sprintf("v%d", i)] = strings.Repeat(largeID, 1800)
	}
	return b.String(), want
}
