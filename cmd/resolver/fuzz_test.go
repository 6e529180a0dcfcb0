package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/testconf"
	"github.com/multienv/multienv/internal/text"
)

// fuzzCommands are the invocations FuzzCommand chooses from; the last slot
// stands for the fuzzer's own word (an unknown command, a flag, anything).
var fuzzCommands = [][]string{
	{"current"}, {"current", "--json"},
	{"explain"}, {"explain", "--json"},
	{"check"}, {"check", "--strict"},
	{"check", "--format", "json"}, {"check", "--strict", "--format", "json"},
	{"check", "--format", "github"}, {"check", "--strict", "--format", "github"},
	{"list"}, {"list", "--json"},
	{"runtimes"}, {"runtimes", "--json"},
	{"schema"}, {"help"},
	{"completion", "bash"}, {"completion", "zsh"}, {"completion", "fish"},
	nil, // the word
	{"get", "bucket"}, {"get", "db"}, {"get", "--env", "prd", "bucket"},
	{"export"}, {"export", "--format", "dotenv"}, {"export", "--format", "github"},
}

// The variables FuzzCommand may set, one bit of its mask each. GITHUB_EVENT_NAME
// comes with GITHUB_HEAD_REF, as GitHub sets them on a pull request.
var fuzzVars = []string{"USER_ENV_NAME", "ENV_NAME", "USER_RUNTIME_NAME", "CI", "GITHUB_ACTION", "GITHUB_HEAD_REF"}

// secretMarker is the value of every secret-looking variable: upper case and
// a slash, so it is never a valid environment id, runtime or rule name, and
// nothing may print it.
const secretMarker = "Qz7SEKRIT/vX9wKp4Mj"

var secretVars = []string{"MY_API_TOKEN", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "DB_PASSWORD"}

// How FuzzCommand hands over its configuration text.
const (
	viaFlag      = iota // --config ABS (check: as its FILE argument)
	viaDiscovery        // multienv.toml in the working directory, beside .git
	viaVariable         // MULTIENV_CONFIG=ABS
	viaNothing          // no file: the embedded default (check: nothing found)
	viaCount
)

// maxFuzzLine is the longest line of text the invariants accept: the
// contract's "about 1,000 bytes" with room for a prefix. Data (JSON, get,
// export, check --format github) is printed whole instead: its strings
// are at most text.MaxData bytes, which JSON escapes (\u00XX) make at most
// six times longer, with room for a key.
const (
	maxFuzzLine     = 1100
	maxFuzzDataLine = 6*text.MaxData + 4096
)

// FuzzCommand drives the whole command in-process, with arguments, variables
// and a configuration file of the fuzzer's choosing, and checks what every
// run must keep: no panic, an exit status of 0 to 3, nothing on stdout on
// failure (but the report of check --format json or github, which is the
// output asked for), no raw control character in any output, no overlong
// line, valid JSON from --json and --format json, only workflow commands
// from --format github, and no secret value anywhere.
//
//	go test ./cmd/resolver -run '^$' -fuzz FuzzCommand -fuzztime 120s
func FuzzCommand(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s.cmd, s.word, s.via, s.mask, s.vals[0], s.vals[1], s.vals[2], s.vals[3], s.vals[4], s.vals[5], s.config)
	}
	f.Fuzz(func(t *testing.T, cmd uint8, word string, via uint8, mask uint8,
		userEnv, envName, userRuntime, ci, ghAction, headRef, configText string) {
		vals := []string{userEnv, envName, userRuntime, ci, ghAction, headRef}
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
			t.Fatal(err)
		}
		vars := map[string]string{}
		for i, name := range fuzzVars {
			if mask&(1<<i) != 0 {
				vars[name] = vals[i]
			}
		}
		if _, ok := vars["GITHUB_HEAD_REF"]; ok {
			vars["GITHUB_EVENT_NAME"] = "pull_request"
		}
		if mask&setPayload != 0 {
			event := filepath.Join(dir, "event.json")
			if err := os.WriteFile(event, []byte(word), 0o644); err != nil {
				t.Fatal(err)
			}
			vars["GITHUB_EVENT_PATH"], vars["GITHUB_EVENT_NAME"] = event, "pull_request_target"
		}
		for _, name := range secretVars {
			vars[name] = secretMarker
		}

		args := fuzzCommands[int(cmd)%len(fuzzCommands)]
		if args == nil {
			args = []string{word}
		}
		path := filepath.Join(dir, "multienv.toml")
		switch int(via) % viaCount {
		case viaFlag:
			if args[0] == "check" {
				args = append(append([]string(nil), args...), path)
			} else {
				args = append([]string{"--config", path}, args...)
			}
		case viaVariable:
			vars["MULTIENV_CONFIG"] = path
		}
		if int(via)%viaCount != viaNothing {
			if err := os.WriteFile(path, []byte(configText), 0o644); err != nil {
				t.Fatal(err)
			}
		}

		facts := multienv.EnvInputs(vars)
		facts.ReadPayload = multienv.ReadPayloadFile
		var stdout, stderr bytes.Buffer
		e := &invocation{args: args, lookup: facts.Lookup, dir: dir, stdout: &stdout, stderr: &stderr, inputs: facts}
		code := runWithDeadline(t, e, 20*time.Second)

		if code < 0 || code > 3 {
			t.Errorf("exit status %d, want 0 to 3", code)
		}
		format := checkFormat(args)
		if code != exitOK && stdout.Len() > 0 && (format == "" || code != exitConfig) {
			t.Errorf("exit status %d with stdout %q, want nothing on stdout on failure", code, cut(stdout.String()))
		}
		if problem := checkReportProblem(format, code, stdout.Bytes()); problem != "" {
			t.Errorf("check --format %s, exit status %d: %s:\n%s", format, code, problem, cut(stdout.String()))
		}
		data := isData(args)
		raw := args[0] == "get" || args[0] == "export" || format == formatGitHub
		for _, out := range []struct {
			name string
			text []byte
			data bool
		}{{"stdout", stdout.Bytes(), data}, {"stderr", stderr.Bytes(), false}} {
			// Data is exact: what a value holds, get, export and the
			// github report print raw (to a terminal it is refused).
			if problem := rawControl(out.text); problem != "" && !(out.data && raw) {
				t.Errorf("%s: %s:\n%q", out.name, problem, cut(string(out.text)))
			}
			if n, limit := longestLine(out.text), map[bool]int{false: maxFuzzLine, true: maxFuzzDataLine}[out.data]; n > limit {
				t.Errorf("%s: a line of %d bytes, want at most %d", out.name, n, limit)
			}
		}
		if code == exitOK && len(args) == 2 && args[1] == "--json" && !json.Valid(stdout.Bytes()) {
			t.Errorf("%s --json: stdout is not valid JSON:\n%s", args[0], cut(stdout.String()))
		}
		// The marker may only come back if the fuzzer put (half of) it into
		// some other input: a description may say anything.
		inputs := append(append([]string{word, configText}, vals...), args...)
		if !echoesMarker(inputs) {
			for _, out := range [][]byte{stdout.Bytes(), stderr.Bytes()} {
				if bytes.Contains(out, []byte(secretMarker)) {
					t.Errorf("a secret variable's value was printed: %q", cut(string(out)))
				}
			}
		}
		if t.Failed() {
			shown := make([]string, 0, len(vars))
			for name, v := range vars {
				shown = append(shown, name+"="+cut(v))
			}
			slices.Sort(shown)
			t.Logf("args %q, vars %q, exit %d\nconfig:\n%s\nstdout:\n%s\nstderr:\n%s",
				args, shown, code, cut(configText), cut(stdout.String()), cut(stderr.String()))
		}
	})
}

// isData reports whether the command in args prints data on stdout: JSON,
// a value, variables or the github report.
func isData(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "get", "export":
		return true
	}
	return checkFormat(args) != "" || slices.Contains(args, "--json")
}

// checkFormat returns the --format of a check in args when it is json or
// github, else "".
func checkFormat(args []string) string {
	if len(args) == 0 || args[0] != "check" {
		return ""
	}
	for i, a := range args {
		if a == "--format" && i+1 < len(args) && (args[i+1] == formatJSON || args[i+1] == formatGitHub) {
			return args[i+1]
		}
	}
	return ""
}

// checkReportProblem describes what is wrong with the stdout of check
// --format json or github (format), or returns "" when nothing is. json:
// one JSON array of findings, whatever the status. github: workflow
// commands only, then, on success only, the ok line.
func checkReportProblem(format string, code int, stdout []byte) string {
	switch {
	case format == "" || code != exitOK && code != exitConfig:
		return ""
	case format == formatJSON:
		var fs []map[string]any
		if err := json.Unmarshal(stdout, &fs); err != nil {
			return "stdout is not one JSON array of objects: " + err.Error()
		}
		if code == exitConfig && len(fs) == 0 {
			return "the check failed and the array is empty"
		}
		for _, f := range fs {
			if sev := f["severity"]; sev != multienv.SeverityError && sev != multienv.SeverityWarning {
				return fmt.Sprintf("severity %v", sev)
			}
		}
		return ""
	}
	lines := strings.SplitAfter(string(stdout), "\n")
	if lines[len(lines)-1] != "" {
		return "the last line does not end"
	}
	lines = lines[:len(lines)-1]
	if code == exitOK {
		if len(lines) == 0 || !strings.Contains(lines[len(lines)-1], ": ok: ") {
			return "no ok line last"
		}
		lines = lines[:len(lines)-1]
	} else if len(lines) == 0 {
		return "the check failed and printed no command"
	}
	for _, line := range lines {
		if !strings.HasPrefix(line, "::error ") && !strings.HasPrefix(line, "::warning ") &&
			!strings.HasPrefix(line, "::error::") && !strings.HasPrefix(line, "::warning::") {
			return fmt.Sprintf("a line that is no workflow command: %q", line)
		}
	}
	return ""
}

// runWithDeadline runs the command, turning a panic into a test failure with
// its stack, and a run that does not end into one too.
func runWithDeadline(t *testing.T, e *invocation, d time.Duration) int {
	t.Helper()
	type outcome struct {
		code  int
		panic string
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- outcome{panic: fmt.Sprintf("%v\n%s", r, debug.Stack())}
			}
		}()
		done <- outcome{code: run(e)}
	}()
	select {
	case o := <-done:
		if o.panic != "" {
			t.Fatalf("resolver %q panicked: %s", e.args, o.panic)
		}
		return o.code
	case <-time.After(d):
		t.Fatalf("resolver %q did not end within %v", e.args, d)
		return -1
	}
}

// rawControl describes the first rune of out that must not reach a terminal
// as it is: invalid UTF-8, a C0 control other than newline, DEL, a C1
// control, or a bidirectional embedding, override or isolate. It returns ""
// when there is none.
func rawControl(out []byte) string {
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRune(out[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return fmt.Sprintf("invalid UTF-8 byte %#x at offset %d", out[i], i)
		case r < 0x20 && r != '\n', r == 0x7f, r >= 0x80 && r <= 0x9f,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return fmt.Sprintf("raw %U at offset %d", r, i)
		}
		i += size
	}
	return ""
}

func longestLine(out []byte) int {
	longest := 0
	for _, line := range bytes.Split(out, []byte("\n")) {
		longest = max(longest, len(line))
	}
	return longest
}

// echoesMarker reports whether some input holds half of the secret marker,
// so that the marker could come back in output built from inputs alone.
func echoesMarker(inputs []string) bool {
	half := (len(secretMarker) + 1) / 2
	for _, in := range inputs {
		for i := 0; i+half <= len(secretMarker); i++ {
			if strings.Contains(in, secretMarker[i:i+half]) {
				return true
			}
		}
	}
	return false
}

// cut keeps failure messages readable when the fuzzer's text is long.
func cut(s string) string {
	const n = 2000
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("... (%d bytes)", len(s))
}

type fuzzSeed struct {
	cmd, via, mask uint8
	word           string
	vals           [6]string
	config         string
}

// fuzzCommandIndex is the position of an invocation in fuzzCommands.
func fuzzCommandIndex(args ...string) uint8 {
	for i, c := range fuzzCommands {
		if strings.Join(c, " ") == strings.Join(args, " ") {
			return uint8(i)
		}
	}
	panic(fmt.Sprintf("no fuzz command %q", args))
}

// Bits of fuzzSeed.mask, in the order of fuzzVars.
const (
	setUserEnv uint8 = 1 << iota
	setEnvName
	setUserRuntime
	setCI
	setGitHubAction
	setHeadRef
	// setPayload makes the job a pull_request_target whose event payload
	// file (GITHUB_EVENT_PATH) holds the fuzzer's word.
	setPayload
)

// A small valid file the hostile seeds build on.
const fuzzBase = testconf.File + `
[[rules]]
name = "deployed"
groups = ["ci", "app"]
from = ["USER_ENV_NAME", "ENV_NAME"]
`

// fuzzSeeds are hostile inputs, each run by plain `go test` as well.
func fuzzSeeds() []fuzzSeed {
	all := []string{"current", "current --json", "explain", "explain --json", "check", "check --strict",
		"check --format json", "check --strict --format github", "list", "list --json", "runtimes", "runtimes --json"}
	big := strings.Repeat("A", 64<<10)
	escDescription := strings.Replace(fuzzBase, `kind = "sandbox"`,
		`kind = "sandbox"
description = "\u001b]0;owned\u0007\u001b[2J\nresult:  prd (production) from ENV_NAME\nok"
emoji = "\u001b[31m\u202e"`, 1)
	multilineDescription := strings.Replace(fuzzBase, `kind = "production"`,
		`kind = "production"
description = """
line one
sbx: ok: 5 environments
\u0085\u009b31m\u2066"""`, 1)
	bigDescription := strings.Replace(fuzzBase, `kind = "production"`,
		`kind = "production"
description = "`+big+`"`, 1)
	bigName := strings.Replace(fuzzBase, `name = "prd"`, `name = "p`+strings.Repeat("r", 64<<10)+`d"`, 1)
	manyHeaders := "version = 1\n" + strings.Repeat("[[envs]]\n", 5000)
	unknownKeys := strings.Replace(fuzzBase, "version = 1", "version = 1\ncolour = \"red\"\ninstance = 3\n[catalog]\ndefualt = true", 1) +
		"defualt = \"prod\"\nkind = \"prod\"\n"
	secretFrom := fuzzBase + `
[[rules]]
name = "leak"
groups = ["local"]
from = ["AWS_SECRET_ACCESS_KEY", "MY_API_TOKEN"]
`
	secretFirst := strings.Replace(fuzzBase, `from = ["USER_ENV_NAME"]`, `from = ["MY_API_TOKEN", "USER_ENV_NAME"]`, 1)
	secretBranch := fuzzBase + `
[[runtimes]]
name = "leaky"
group = "ci"
when = [{ set = ["GITHUB_TOKEN"] }]
branch = ["GITHUB_TOKEN"]
pr = [{ set = ["DB_PASSWORD"] }]
`
	secretRuntimeVariable := "runtime_variable = \"MY_API_TOKEN\"\n" + fuzzBase
	controlFile := "version = 1\n\x1b[2J\x00\xff\xfe\u202e = 1\n[[envs]]\nname = \"sbx\u0085\"\n"
	badRuntime := fuzzBase + `
[[rules]]
name = "r"
runtimes = ["` + strings.Repeat("x", 5000) + `", "github_actions"]
default = "prd"
`
	deep := "version = 1\n[" + strings.Repeat("a.", 20000) + "a]\n"

	var seeds []fuzzSeed
	add := func(cmds []string, via, mask uint8, vals [6]string, config string) {
		for _, c := range cmds {
			seeds = append(seeds, fuzzSeed{cmd: fuzzCommandIndex(strings.Fields(c)...), via: via, mask: mask, vals: vals, config: config})
		}
	}
	// The embedded default, a laptop and CI.
	add(all, viaNothing, 0, [6]string{}, "")
	add([]string{"completion bash", "completion zsh", "completion fish"}, viaNothing, 0, [6]string{}, "")
	add(all, viaNothing, setCI|setEnvName, [6]string{3: "true", 1: "prd"}, "")
	add(all, viaNothing, setGitHubAction|setHeadRef|setEnvName, [6]string{4: "__run", 5: "feature/login", 1: "sbx-101"}, "")
	// Hostile variables: escapes, newlines, bidi, invalid UTF-8, 64 KiB.
	add(all, viaNothing, setUserEnv, [6]string{0: "prd\n\x1b]0;owned\x07\x1b[2Jresult: prd"}, "")
	add(all, viaNothing, setUserEnv, [6]string{0: "sbx-" + strings.Repeat("a", 65000)}, "")
	add(all, viaNothing, setUserEnv, [6]string{0: "\u202eprd\xff\xc2\x9b"}, "")
	add(all, viaNothing, setUserRuntime, [6]string{2: "prd\x1b[31m" + big}, "")
	add(all, viaNothing, setGitHubAction|setHeadRef|setEnvName,
		[6]string{4: "__run", 5: "feat\x1b[2J\u202e\xff\nresult: prd", 1: "tst"}, "")
	add(all, viaNothing, setGitHubAction|setHeadRef|setEnvName, [6]string{4: "__run", 5: big, 1: "tst"}, "")
	// Hostile files, named and discovered.
	for _, config := range []string{escDescription, multilineDescription, bigDescription, bigName,
		manyHeaders, unknownKeys, controlFile, badRuntime, deep, ""} {
		add(all, viaFlag, 0, [6]string{}, config)
		add([]string{"check", "explain", "list"}, viaDiscovery, 0, [6]string{}, config)
		add([]string{"current --json", "check --strict", "check --format github"}, viaVariable, 0, [6]string{}, config)
	}
	// Secrets read through from, branch and runtime_variable.
	for _, config := range []string{secretFrom, secretFirst, secretBranch, secretRuntimeVariable} {
		add(all, viaFlag, 0, [6]string{}, config)
		add(all, viaFlag, setCI|setEnvName, [6]string{3: "1", 1: "prd"}, config)
	}
	// Rules that decide from facts: the recipes, and a template fed by a
	// hostile branch.
	recipe, err := os.ReadFile("../../examples/github-flow.toml")
	if err != nil {
		panic(err)
	}
	branchTemplate := fuzzBase + `
[[runtimes]]
name = "box"
group = "ci"
when = [{ set = ["GITHUB_ACTION"] }]
branch = ["GITHUB_HEAD_REF"]
tag = [{ var = "ENV_NAME", pattern = "refs/tags/{**}" }]

[[rules]]
name = "by_branch"
runtimes = ["box"]
when = [{ branch = ["**"] }, { tag = "v*" }]
default = "sbx-{branch}"
`
	protected := strings.Replace(fuzzBase, `kind = "production"`, `kind = "production"
allow = [{ groups = ["app"], branch = "\u001b[2J*" }]`, 1)
	hostileValues := fuzzBase + `
[values]
bucket = "\u001b]0;owned\u0007{id}\n'$(touch x)'\u202e"
long = "` + strings.Repeat("v", 2000) + `"
db = { password = "` + secretMarker + `", host = "h" }
[values.a.b.c.d.e.f.g.h]
` + strings.Repeat("k", 60) + ` = "` + strings.Repeat("w", 850) + `"
`
	for _, config := range []string{string(recipe), branchTemplate, protected, hostileValues} {
		add(all, viaFlag, 0, [6]string{}, config)
		add(all, viaFlag, setUserEnv, [6]string{0: "prd"}, config)
		add(all, viaFlag, setGitHubAction|setHeadRef|setEnvName, [6]string{4: "__run", 5: "feat\x1b[2J\u202e\xff\nresult: prd", 1: "refs/tags/v1"}, config)
		add(all, viaFlag, setGitHubAction|setHeadRef, [6]string{4: "__run", 5: big}, config)
	}
	// Event payloads of pull_request_target jobs: a fork's, hostile
	// fields, not JSON, deep, and the recipe and a file of its own that
	// read them with every kind of source.
	payloadSources := fuzzBase + `
[[runtimes]]
name = "forge"
group = "ci"
when = [{ set = ["GITHUB_ACTION"] }]
event_file = "GITHUB_EVENT_PATH"
pr_number = [{ payload = "pull_request.number" }]
branch = [{ payload = "pull_request.head.ref" }, { compose = "x${GITHUB_ACTION}$$${GITHUB_HEAD_REF}" }]
fork = [{ differs = [{ payload = "pull_request.head.repo.full_name" }, "GITHUB_HEAD_REF"] }, { payload = "fork", map = { yes = "true" } }]
event = [{ var = "GITHUB_EVENT_NAME", map = { pull_request_target = "pull_request" } }, { payload = "action" }]

[[rules]]
name = "preview"
runtimes = ["forge"]
when = [{ fork = true }, { fork = false, event = ["pull_request"] }]
default = "sbx-pr{pr_number}"
`
	for _, event := range []string{
		`{"number": 7, "pull_request": {"number": 7, "head": {"ref": "patch-1", "repo": {"full_name": "mallory/hello"}}, "base": {"ref": "main", "repo": {"full_name": "octo/hello"}}}}`,
		`{"pull_request": {"number": "7\u001b[2J\nresult: prd", "head": {"ref": "\u202e` + secretMarker[:4] + `\u0000", "repo": {"full_name": null}}}, "fork": "yes", "action": "\u001b]0;x\u0007"}`,
		`{"pull_request": {"number": 1e400, "head": {"ref": "` + big + `"}}}`,
		`{"pull_request": ` + strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000) + `}`,
		"not json", "",
	} {
		for _, config := range []string{string(recipe), payloadSources} {
			for _, c := range []string{"current --json", "explain", "explain --json"} {
				seeds = append(seeds, fuzzSeed{cmd: fuzzCommandIndex(strings.Fields(c)...), word: event, via: viaFlag,
					mask: setGitHubAction | setPayload | setEnvName, vals: [6]string{4: "__run", 1: "sbx-1"}, config: config})
			}
		}
	}
	// Words: unknown commands and flags, hostile ones included.
	for _, w := range []string{"curent", "--json", "-h", "--version", "help", "\x1b[2J\nresolver: ok", "--config=\x1b]0;x\x07", big} {
		seeds = append(seeds, fuzzSeed{cmd: fuzzCommandIndex(), word: w, via: viaNothing})
	}
	return seeds
}
