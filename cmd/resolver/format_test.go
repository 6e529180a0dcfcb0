package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/config"
)

func TestEscapeWorkflow(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		data, should string // escapeData, escapeProperty
	}{
		{name: "plain", in: "envs[0].name: ok", data: "envs[0].name: ok", should: "envs[0].name%3A ok"},
		{name: "toolkit's", in: "100%\r\n,:", data: "100%25%0D%0A,:", should: "100%25%0D%0A%2C%3A"},
		{name: "an escape already", in: "%0A", data: "%250A", should: "%250A"},
		// The runner unescapes only %25 %0D %0A (and %3A %2C in a
		// property): anything else written as %XX would change the text.
		{name: "ESC and BEL as they are", in: "a\x1b]0;x\x07b", data: "a\x1b]0;x\x07b", should: "a\x1b]0;x\x07b"},
		{name: "tab and DEL as they are", in: "a\tb\x7f", data: "a\tb\x7f", should: "a\tb\x7f"},
		{name: "C1, bidi, U+2028 as they are", in: "a\u009b2J\u202eb\u2028", data: "a\u009b2J\u202eb\u2028", should: "a\u009b2J\u202eb\u2028"},
		{name: "a backslash is no escape", in: `a\tb`, data: `a\tb`, should: `a\tb`},
		{name: "emoji and accents kept", in: "📦 é", data: "📦 é", should: "📦 é"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeData(tt.in); got != tt.data {
				t.Errorf("escapeData(%q) = %q, want %q", tt.in, got, tt.data)
			}
			if got := escapeProperty(tt.in); got != tt.should {
				t.Errorf("escapeProperty(%q) = %q, want %q", tt.in, got, tt.should)
			}
		})
	}
}

func TestGitHubCommand(t *testing.T) {
	dir := filepath.FromSlash("/work/repo")
	tests := []struct {
		name   string
		p      multienv.Problem
		inFile bool
		want   string
	}{
		{name: "error", p: multienv.Problem{File: "multienv.toml", Line: 3, Col: 7, Severity: multienv.SeverityError, Path: "envs[0].kind", Message: "bad"}, inFile: true,
			want: "::error file=multienv.toml,line=3,col=7,title=resolver check::envs[0].kind: bad"},
		{name: "warning", p: multienv.Problem{File: "m.toml", Line: 7, Col: 3, Severity: multienv.SeverityWarning, Path: "envs[1]", Message: "unreachable"}, inFile: true,
			want: "::warning file=m.toml,line=7,col=3,title=resolver check::envs[1]: unreachable"},
		{name: "no position", p: multienv.Problem{File: "m.toml", Severity: multienv.SeverityError, Message: "cannot read the file: x"}, inFile: true,
			want: "::error file=m.toml,title=resolver check::cannot read the file: x"},
		{name: "a line, no column", p: multienv.Problem{File: "m.toml", Line: 2, Severity: multienv.SeverityError, Message: "m"}, inFile: true,
			want: "::error file=m.toml,line=2,title=resolver check::m"},
		{name: "no file", p: multienv.Problem{Severity: multienv.SeverityError, Message: "no multienv.toml found"},
			want: "::error title=resolver check::no multienv.toml found"},
		{name: "the embedded default", p: multienv.Problem{File: "(default)", Line: 1, Col: 1, Severity: multienv.SeverityWarning, Message: "m"},
			want: "::warning line=1,col=1,title=resolver check::m"},
		{name: "under the directory", p: multienv.Problem{File: filepath.Join(dir, "deploy", "multienv.toml"), Line: 1, Col: 1, Severity: multienv.SeverityError, Message: "m"}, inFile: true,
			want: "::error file=" + filepath.Join("deploy", "multienv.toml") + ",line=1,col=1,title=resolver check::m"},
		{name: "outside the directory", p: multienv.Problem{File: filepath.FromSlash("/etc/multienv.toml"), Severity: multienv.SeverityError, Message: "m"}, inFile: true,
			want: "::error file=" + escapeProperty(filepath.FromSlash("/etc/multienv.toml")) + ",title=resolver check::m"},
		{name: "hostile", p: multienv.Problem{File: "a,b:c%\n\x1b.toml", Line: 1, Col: 2, Severity: multienv.SeverityError, Path: `"k%"`, Message: "x\ny%\r"}, inFile: true,
			want: "::error file=a%2Cb%3Ac%25%0A\x1b.toml,line=1,col=2,title=resolver check::\"k%25\": x%0Ay%25%0D"},
		{name: "a path with a tab, U+2028 and bidi, whole", p: multienv.Problem{File: "a\tb\u2028c\u202e.toml", Severity: multienv.SeverityError, Message: "m"}, inFile: true,
			want: "::error file=a\tb\u2028c\u202e.toml,title=resolver check::m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := githubCommand(tt.p, tt.inFile, dir); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
	// Never cut: a path of 5,000 bytes is the file GitHub annotates.
	long := multienv.Problem{File: strings.Repeat("f", 5000), Line: 1, Col: 1, Severity: multienv.SeverityError, Message: strings.Repeat("%", 5000)}
	if got, want := githubCommand(long, true, dir), "::error file="+strings.Repeat("f", 5000)+",line=1,col=1,title=resolver check::"+strings.Repeat("%25", 5000); got != want {
		t.Errorf("a long finding: %d bytes, want %d, whole", len(got), len(want))
	}
}

// TestCheckFormats runs check --format in-process on files the scripts
// cannot make (a file over the size limit) or name (every kind of hostile
// name), with and without CI=true, and decodes what it prints.
func TestCheckFormats(t *testing.T) {
	good := "version = 1\n\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\n\n" +
		"[[rules]]\nname = \"r\"\ngroups = [\"local\", \"ci\", \"app\"]\nfrom = [\"USER_ENV_NAME\"]\ndefault = \"sbx\"\n"
	big := "version = 1\n" + strings.Repeat("#", config.MaxFileSize)
	tests := []struct {
		name    string
		file    string // the name of the file checked, in the working directory
		content string
		code    int
		want    []multienv.Problem // json, the file relative to the working directory
		github  string             // in github's output, which names the file relative to it
		refused bool               // neither format can carry the file's name: exit 3, nothing on stdout
	}{
		{name: "good", file: "m.toml", content: good, code: exitOK, want: []multienv.Problem{},
			github: "/m.toml: ok: 2 environments, "},
		{name: "too large", file: "big.toml", content: big, code: exitConfig,
			want:   []multienv.Problem{{File: "big.toml", Severity: multienv.SeverityError, Message: "cannot read the file: larger than 1 MiB"}},
			github: "::error file=big.toml,title=resolver check::cannot read the file: larger than 1 MiB"},
		// In file= only % , : CR LF are escaped, as the runner unescapes
		// only those: the rest comes back as it is.
		{name: "hostile name", file: "a,b:c%\x1b\u202e\t\u2028.toml", content: "version = 2\n", code: exitConfig,
			want:   []multienv.Problem{{File: "a,b:c%\x1b\u202e\t\u2028.toml", Line: 1, Col: 11, Severity: multienv.SeverityError, Path: "version", Message: "must be 1, found 2"}},
			github: "::error file=a%2Cb%3Ac%25\x1b\u202e\t\u2028.toml,line=1,col=11,title=resolver check::version: must be 1, found 2"},
		// Invalid UTF-8 neither JSON nor the runner carries: refused, named.
		{name: "invalid UTF-8 name", file: "a\xff.toml", content: "version = 2\n", code: exitConfig, refused: true},
	}
	for _, tt := range tests {
		for _, ci := range []bool{false, true} {
			name := tt.name
			if ci {
				name += " in CI"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, tt.file), []byte(tt.content), 0o644); err != nil {
					t.Skipf("this file system refuses the name: %v", err)
				}
				vars := map[string]string{}
				if ci {
					vars["CI"] = "true"
					vars["GITHUB_ACTIONS"] = "true"
				}
				check := func(format string) (int, string, string) {
					facts := multienv.EnvInputs(vars)
					var stdout, stderr bytes.Buffer
					// The file is named absolute, as discovery names it.
					e := &invocation{args: []string{"check", "--format", format, filepath.Join(dir, tt.file)}, lookup: facts.Lookup, dir: dir,
						stdout: &stdout, stderr: &stderr, inputs: facts}
					return runWithDeadline(t, e, 20*time.Second), stdout.String(), stderr.String()
				}

				if tt.refused {
					for _, format := range []string{formatJSON, formatGitHub} {
						code, stdout, stderr := check(format)
						if code != exitConfig || stdout != "" || !strings.Contains(stderr, "not valid UTF-8") {
							t.Errorf("%s: exit status %d, stdout %q, stderr %q; want %d, nothing, and why", format, code, stdout, stderr, exitConfig)
						}
					}
					return
				}
				code, stdout, stderr := check(formatJSON)
				if code != tt.code || stderr != "" {
					t.Errorf("json: exit status %d, stderr %q; want %d and nothing", code, stderr, tt.code)
				}
				var got []multienv.Problem
				if err := json.Unmarshal([]byte(stdout), &got); err != nil {
					t.Fatalf("json: not a JSON array: %v\n%s", err, stdout)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("json: %d findings, want %d:\n%s", len(got), len(tt.want), stdout)
				}
				for i := range got {
					if want := filepath.Join(dir, tt.want[i].File); got[i].File != want {
						t.Errorf("json: finding %d: file %q, want %q", i, got[i].File, want)
					}
					got[i].File = tt.want[i].File
					if got[i] != tt.want[i] {
						t.Errorf("json: finding %d:\ngot  %+v\nwant %+v", i, got[i], tt.want[i])
					}
				}
				if problem := rawControl([]byte(stdout)); problem != "" {
					t.Errorf("json: %s", problem)
				}

				code, stdout, stderr = check(formatGitHub)
				if code != tt.code || stderr != "" {
					t.Errorf("github: exit status %d, stderr %q; want %d and nothing", code, stderr, tt.code)
				}
				if !strings.Contains(stdout, tt.github) {
					t.Errorf("github:\ngot  %q\nwant %q in it", stdout, tt.github)
				}
				if problem := checkReportProblem(formatGitHub, code, []byte(stdout)); problem != "" {
					t.Errorf("github: %s", problem)
				}
			})
		}
	}
}

// On GitHub's runner a file= path is read from the workspace: a check run in
// a subdirectory names the file from there (a file given relative to the
// working directory: script github_workspace); without GITHUB_WORKSPACE,
// from the working directory.
func TestGitHubAnnotationsFromTheWorkspace(t *testing.T) {
	root := t.TempDir()
	svc := filepath.Join(root, "svc")
	if err := os.MkdirAll(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(svc, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(svc, "multienv.toml"), []byte("version = 1\nbogus = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"discovered", map[string]string{"GITHUB_WORKSPACE": root}, nil, "svc/multienv.toml"},
		{"the workspace with a trailing slash", map[string]string{"GITHUB_WORKSPACE": root + "/"}, nil, "svc/multienv.toml"},
		{"no workspace", nil, nil, "multienv.toml"},
		{"a relative workspace is not read", map[string]string{"GITHUB_WORKSPACE": "."}, nil, "multienv.toml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			e := &invocation{args: append([]string{"check", "--format", "github"}, tc.args...), dir: svc,
				lookup: mapLookup(tc.env), stdout: &out, stderr: &errs, inputs: multienv.Inputs{}}
			if code := runWithDeadline(t, e, 20*time.Second); code != exitConfig {
				t.Fatalf("exit %d, stderr %q", code, errs.String())
			}
			want := "::error file=" + filepath.FromSlash(tc.want) + ",line=2,col=1,"
			if !strings.HasPrefix(out.String(), want) {
				t.Errorf("got %q\nwant it to start %q", out.String(), want)
			}
		})
	}
}
