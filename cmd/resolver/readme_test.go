package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/multienv/multienv"
)

// The README's snippets are run or compiled as shown: a console session's
// commands give the output printed under them, a Go program compiles, a
// TOML file passes check, and a shell line names what exists.

// repoRoot is the repository, two levels up from this package, taken
// before any test changes the working directory.
var repoRoot = func() string {
	abs, err := filepath.Abs("../..")
	if err != nil {
		panic(err)
	}
	return abs
}()

// snippet is one fenced block of the README.
type snippet struct {
	lang string
	line int // of the opening fence
	text string
}

func readmeSnippets(t *testing.T) []snippet {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []snippet
	var cur *snippet
	var b strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &snippet{lang: strings.TrimPrefix(line, "```"), line: n}
			b.Reset()
		case cur != nil && line == "```":
			cur.text = b.String()
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	if cur != nil {
		t.Fatalf("README.md:%d: a fence that is never closed", cur.line)
	}
	return out
}

func TestREADMESnippets(t *testing.T) {
	langs := map[string]int{}
	for _, s := range readmeSnippets(t) {
		langs[s.lang]++
		name := fmt.Sprintf("%s:%d", s.lang, s.line)
		switch s.lang {
		case "console":
			t.Run(name, func(t *testing.T) { runConsole(t, s) })
		case "go":
			t.Run(name, func(t *testing.T) { compileGo(t, s) })
		case "toml":
			t.Run(name, func(t *testing.T) { checkTOML(t, s) })
		case "toml fragment":
			t.Run(name, func(t *testing.T) { checkFragment(t, s) })
		case "sh":
			t.Run(name, func(t *testing.T) { checkShell(t, s, true) })
		case "yaml":
			// A workflow runs in the user's repository: its paths are theirs.
			t.Run(name, func(t *testing.T) { checkShell(t, s, false) })
		case "python", "js":
			// Run against the installed wheel and npm packages by
			// integrations/ (TestPythonWheel, TestNpmPackages).
		case "":
			// A synopsis or a tree: text, nothing to run.
		default:
			t.Errorf("README.md:%d: a %q snippet, which this test does not know how to run", s.line, s.lang)
		}
	}
	for _, lang := range []string{"console", "go", "toml", "sh"} {
		if langs[lang] == 0 {
			t.Errorf("the README has no %s snippet; this test expects at least one", lang)
		}
	}
}

// The README's console sessions run in a repository whose path is this.
const readmeDir = "/home/me/src/app"

var (
	assignment = regexp.MustCompile(`^([A-Z_][A-Z0-9_]*)=(\S*) `)
	headN      = regexp.MustCompile(` \| head -(\d+)$`)
)

// runConsole runs each "$ [VAR=value ...] resolver ARGS [| head -N] [; echo "exit $?"]"
// of a session in a repository of its own holding the files the commands
// name, and compares what it prints with the lines under it.
func runConsole(t *testing.T, s snippet) {
	type step struct {
		cmd  string
		line int
		want []string
	}
	var steps []step
	for i, line := range strings.Split(strings.TrimSuffix(s.text, "\n"), "\n") {
		if cmd, ok := strings.CutPrefix(line, "$ "); ok {
			steps = append(steps, step{cmd: cmd, line: s.line + 1 + i})
			continue
		}
		if len(steps) == 0 {
			t.Fatalf("README.md:%d: output before any command", s.line+1+i)
		}
		steps[len(steps)-1].want = append(steps[len(steps)-1].want, line)
	}
	for _, st := range steps {
		got := runREADMECommand(t, st.cmd, st.line)
		if want := strings.Join(st.want, "\n"); got != want {
			t.Errorf("README.md:%d: $ %s\ngot:\n%s\nwant:\n%s", st.line, st.cmd, got, want)
		}
	}
}

func runREADMECommand(t *testing.T, cmd string, line int) string {
	t.Helper()
	vars := map[string]string{}
	for {
		m := assignment.FindStringSubmatch(cmd)
		if m == nil {
			break
		}
		vars[m[1]] = m[2]
		cmd = cmd[len(m[0]):]
	}
	cmd, echoExit := strings.CutSuffix(cmd, `; echo "exit $?"`)
	head := -1
	if m := headN.FindStringSubmatch(cmd); m != nil {
		head, _ = strconv.Atoi(m[1])
		cmd = cmd[:len(cmd)-len(m[0])]
	}
	rest, ok := strings.CutPrefix(cmd, "resolver ")
	if !ok || strings.ContainsAny(rest, `|;&$'"<>`+"`") {
		t.Fatalf("README.md:%d: %q is not a command this test runs: [VAR=value ...] resolver ARGS [| head -N] [; echo \"exit $?\"]", line, cmd)
	}
	args := strings.Fields(rest)

	// A repository of its own, holding the files the command names.
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, a := range args {
		src := filepath.Join(repoRoot, a)
		if st, err := os.Stat(src); err != nil || !st.Mode().IsRegular() || strings.HasPrefix(a, "-") {
			continue
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, a)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, a), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir) // a FILE argument is taken from the working directory
	var stdout, stderr bytes.Buffer
	e := &invocation{args: args, lookup: mapLookup(vars), dir: dir, stdout: &stdout, stderr: &stderr,
		inputs: multienv.Inputs{Lookup: mapLookup(vars)}}
	code := runWithDeadline(t, e, 10*time.Second)
	out := stdout.String()
	if head >= 0 {
		lines := strings.SplitAfter(out, "\n")
		out = strings.Join(lines[:min(head, len(lines))], "")
	}
	out += stderr.String()
	if echoExit {
		out += fmt.Sprintf("exit %d\n", code)
	} else if code != 0 {
		t.Errorf("README.md:%d: exit %d, and the README shows no exit status", line, code)
	}
	return strings.TrimSuffix(strings.ReplaceAll(out, dir, readmeDir), "\n")
}

func mapLookup(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// compileGo builds a Go snippet, a whole program, in a module of its own
// that uses this one.
func compileGo(t *testing.T, s snippet) {
	if testing.Short() {
		t.Skip("builds a program (-short)")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root := repoRoot
	dir := t.TempDir()
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	mod := "module readme\n\ngo 1.24.0\n\nrequire github.com/multienv/multienv v0.0.0\n\nreplace github.com/multienv/multienv => " + strconv.Quote(root) + "\n"
	for name, data := range map[string][]byte{"go.mod": []byte(mod), "go.sum": sum, "main.go": []byte(s.text)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, args := range [][]string{{"mod", "tidy"}, {"vet", "."}, {"build", "-o", os.DevNull, "."}} {
		cmd := exec.CommandContext(ctx, goCmd, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("README.md:%d: go %s: %v\n%s", s.line, strings.Join(args, " "), err, out)
		}
	}
}

// checkTOML loads a TOML snippet: it is a whole file that passes check,
// with no warning.
func checkTOML(t *testing.T, s snippet) {
	cfg, err := multienv.LoadBytes(fmt.Sprintf("README.md:%d", s.line), []byte(s.text))
	if err != nil {
		t.Fatalf("README.md:%d: %v", s.line, err)
	}
	if w := cfg.Warnings(); len(w) > 0 {
		t.Errorf("README.md:%d: warnings %v", s.line, w)
	}
}

// checkFragment checks a part of a file: its lines appear, in order, in
// one of the files of examples/, which the tests load.
func checkFragment(t *testing.T, s snippet) {
	files, err := filepath.Glob(filepath.Join(repoRoot, "examples", "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	var lines []string
	for _, l := range strings.Split(s.text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		i := 0
		for _, l := range strings.Split(string(data), "\n") {
			if i < len(lines) && strings.TrimSpace(l) == lines[i] {
				i++
			}
		}
		if i == len(lines) {
			return
		}
	}
	t.Errorf("README.md:%d: a fragment whose lines are in no file of examples/, in this order", s.line)
}

var (
	benchPattern = regexp.MustCompile(`-bench (\S+)`)
	localPath    = regexp.MustCompile(`(?:^|\s)(\./[\w./-]*)`)
	resolverCmd  = regexp.MustCompile(`\bresolver (\w[\w-]*)`)
)

// checkShell checks what a shell or workflow snippet names: the local
// paths exist, each -bench pattern matches a benchmark, each resolver
// command is one of the command's.
func checkShell(t *testing.T, s snippet, ours bool) {
	for i, line := range strings.Split(s.text, "\n") {
		code, _, _ := strings.Cut(line, "#")
		at := fmt.Sprintf("README.md:%d", s.line+1+i)
		for _, m := range localPath.FindAllStringSubmatch(code, -1) {
			if !ours {
				break
			}
			p := strings.TrimSuffix(strings.TrimSuffix(m[1], "..."), "/")
			if _, err := os.Stat(filepath.Join(repoRoot, p)); err != nil {
				t.Errorf("%s: %s does not exist", at, m[1])
			}
		}
		for _, m := range benchPattern.FindAllStringSubmatch(code, -1) {
			pat := strings.Trim(m[1], `'"`)
			if !benchmarkMatches(t, regexp.MustCompile(pat)) {
				t.Errorf("%s: -bench %s matches no benchmark", at, pat)
			}
		}
		for _, m := range resolverCmd.FindAllStringSubmatch(code, -1) {
			if find(m[1]) == nil && m[1] != "help" {
				t.Errorf("%s: resolver %s is no command", at, m[1])
			}
		}
	}
}

var benchFunc = regexp.MustCompile(`(?m)^func (Benchmark\w+)\(b \*testing\.B\)`)

func benchmarkMatches(t *testing.T, pat *regexp.Regexp) bool {
	files, _ := filepath.Glob(filepath.Join(repoRoot, "*_test.go"))
	more, _ := filepath.Glob(filepath.Join(repoRoot, "*", "*", "*_test.go"))
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range benchFunc.FindAllStringSubmatch(string(data), -1) {
			if pat.MatchString(m[1]) {
				return true
			}
		}
	}
	return false
}
