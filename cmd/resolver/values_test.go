package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/testconf"
)

// hostile is one value built to break out of its quotes, and the formats
// that must carry it exactly (the others must refuse it, naming the key).
// The verdicts are written from the readers' documented rules and source,
// not from the code under test: dotenv cannot carry a CR, ${...}, \\, a
// backslash before the closing quote, ' with one of " \ $ `, or $ then a
// letter, _, { or ( (dotenv-expand's $NAME, ${...} and $(...)); github
// cannot carry a CR at the very end (the Windows runner drops it).
type hostile struct {
	key, value     string
	dotenv, github bool
}

var hostileValues = []hostile{
	{"subst", "$(touch pwned) `touch pwned2` $HOME $$ $0", false, true},
	{"backticks", "`touch pwned` $$ $0 $5 $. $", true, true},
	{"dollarname", "a$b", false, true},
	{"dollarunder", "$_x", false, true},
	{"backslashdollar", `cost \$5`, false, true}, // dotenv-expand reads \$ as $
	{"braces", "${HOME} ${x:-y}", false, true},
	{"posix", "'\n;touch pwned;#", true, true}, // broke out of $'...' in dash
	{"quote", "it's \"quoted\" \\ back'slash", false, true},
	{"newline", "line one\nexport MULTIENV_INJECTED=1\nMULTIENV_INJECTED=2", true, true},
	{"delim", "x\nMULTIENV_EOF_0\nEOF\nghadelimiter_1\n", true, true},
	{"lookalike", "NAME<<EOF", true, true},
	{"escape", "\x1b]0;owned\x07\x1b[2J\tend", true, true},
	{"cr", "a\rb\r\nc", false, true},
	{"crend", "a\r", false, false},
	{"crmid", "a\rb", false, true},            // one line: NAME=value, the CR kept on Windows too
	{"kshhex", "a\nb\\x41\\n\\t", true, true}, // \xHH read greedily by ksh93 and mksh in $'...'
	{"separators", "a\u2028b\u2029c\u0085d", true, true},
	{"bidi", "\u202eevil\u2066x\u2069", true, true},
	{"long", strings.Repeat("x'y ", 15000), true, true},
	{"dash", "-n -e", true, true},
	{"hash", "# not a comment #", true, true},
	{"equals", "=x=y", true, true},
	{"empty", "", true, true},
	{"spaces", "  padded\t ", true, true},
	{"endslash", `c:\dir\`, false, true},
	{"doubleslash", `a\\b`, false, true},
	{"dollarquote", "it's $5", false, true},
	{"encrypted", "encrypted:BIMJx0Qm/4=", false, true}, // dotenv-expand 1000 decrypts it with DOTENV_PRIVATE_KEY
	{"encryptedinside", "not encrypted: x", true, true},
	{"backquote", "it's `x`", false, true},
	{"single", `one \ backslash`, true, true},
	{"emoji", "📦 é", true, true},
	{"trailing", "end\n\n", true, true},
	{"leading", "\nstart", true, true},
}

// hostileConfig is a configuration whose [values] hold the hostile values
// keep selects, and a number, a float, a boolean, an array and a table.
func hostileConfig(keep func(hostile) bool) string {
	var b strings.Builder
	b.WriteString("version = 1\n\n[values]\n")
	for _, h := range hostileValues {
		if keep(h) {
			braces := strings.NewReplacer("{", "{{", "}", "}}").Replace(h.value)
			b.WriteString(h.key + " = " + tomlString(braces) + "\n")
		}
	}
	b.WriteString("count = 3\nratio = 1.0\nzero = -0.0\nflag = true\nlist = [\"a\"]\ndb = { host = \"h-{env}\" }\n")
	b.WriteString(testconf.Tables)
	return b.String()
}

// tomlString writes s as a TOML basic string, every byte outside printable
// ASCII escaped.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// runIn runs the command in-process on config, in a new directory.
func runIn(t *testing.T, config string, args ...string) (code int, stdout, stderr, dir string) {
	t.Helper()
	dir = t.TempDir()
	path := filepath.Join(dir, "multienv.toml")
	if err := os.WriteFile(path, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	e := &invocation{args: append([]string{"--config", path}, args...), dir: dir,
		lookup: mapLookup(nil), stdout: &out, stderr: &errs, inputs: multienv.Inputs{}}
	code = runWithDeadline(t, e, 20*time.Second)
	return code, out.String(), errs.String(), dir
}

// export runs export --format format for sbx-7 on the values keep selects
// and writes what it prints to a file; it returns the file and its dir.
func export(t *testing.T, format string, keep func(hostile) bool) (string, string) {
	t.Helper()
	code, out, errs, dir := runIn(t, hostileConfig(keep), "export", "--format", format, "--env", "sbx-7")
	if code != 0 {
		t.Fatalf("export --format %s: exit %d: %s", format, code, errs)
	}
	file := filepath.Join(dir, "exported")
	if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return file, dir
}

// wantExported are the variables export must give: every scalar, the id
// and its parts; not the array.
func wantExported(keep func(hostile) bool) map[string]string {
	want := map[string]string{"MULTIENV_ID": "sbx-7", "MULTIENV_ENV": "sbx", "MULTIENV_INSTANCE": "7", "MULTIENV_KIND": "sandbox",
		"MULTIENV_COUNT": "3", "MULTIENV_RATIO": "1.0", "MULTIENV_ZERO": "-0.0", "MULTIENV_FLAG": "true", "MULTIENV_DB_HOST": "h-sbx"}
	for _, h := range hostileValues {
		if keep(h) {
			want["MULTIENV_"+strings.ToUpper(h.key)] = h.value
		}
	}
	return want
}

func all(hostile) bool        { return true }
func dotenvOK(h hostile) bool { return h.dotenv }
func githubOK(h hostile) bool { return h.github }

// reader runs a real reader with a deadline and no variable of this
// process but PATH (and HOME, set to a directory that does not exist, so
// that an expansion of $HOME would show).
func reader(t *testing.T, dir string, extra []string, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=/nonexistent-home"}, extra...)
	var errs bytes.Buffer
	cmd.Stderr = &errs
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", name, args, err, &errs)
	}
	return out
}

// envDump reads the output of env -0: the MULTIENV_ variables.
func envDump(out []byte) map[string]string {
	vars := map[string]string{}
	for _, kv := range strings.Split(string(out), "\x00") {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "MULTIENV_") {
			vars[k] = v
		}
	}
	return vars
}

// shells are the POSIX shells the sh format is for, each as a command that
// runs a script: the first of its names that is installed.
var posixShells = []struct {
	name  string
	names []string
	args  []string
}{
	{"dash", []string{"dash"}, nil},
	{"bash", []string{"bash"}, []string{"--norc", "--noprofile"}},
	{"zsh", []string{"zsh"}, []string{"-f"}},
	{"ksh93", []string{"ksh93", "ksh"}, nil},
	{"mksh", []string{"mksh"}, nil},
	{"busybox", []string{"busybox"}, []string{"sh"}},
}

// shell finds a shell, or skips naming what is missing.
func shell(t *testing.T, names []string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	pkg := names[0]
	if pkg == "ksh93" {
		pkg = "ksh93u+m"
	}
	t.Skipf("%s is not installed (Debian: apt-get install %s)", names[0], pkg)
	return ""
}

// The sh format, assigned and evaluated as the README says, by every POSIX
// shell: every value back as it was, nothing run, no variable added.
func TestExportShells(t *testing.T) {
	file, dir := export(t, "sh", all)
	for _, sh := range posixShells {
		t.Run(sh.name, func(t *testing.T) {
			bin := shell(t, sh.names)
			args := append(append([]string(nil), sh.args...), "-c", `vars=$(cat "$1") && eval "$vars" && env -0`, "sh", file)
			checkExported(t, envDump(reader(t, dir, nil, bin, args...)), wantExported(all), dir)
		})
	}
}

// The dotenv format, read by the three kinds of reader it is for: shells
// (set -a; . FILE), which expand $ and ` in double quotes; python-dotenv,
// which expands ${...} anywhere and unescapes \\; Node's dotenv.
func TestExportDotenvReaders(t *testing.T) {
	file, dir := export(t, "dotenv", dotenvOK)
	want := wantExported(dotenvOK)
	for _, sh := range posixShells[:2] {
		t.Run(sh.name, func(t *testing.T) {
			bin := shell(t, sh.names)
			args := append(append([]string(nil), sh.args...), "-c", `set -a && . "$1" && env -0`, "sh", file)
			checkExported(t, envDump(reader(t, dir, nil, bin, args...)), want, dir)
		})
	}
	t.Run("python-dotenv", func(t *testing.T) {
		python := pythonWithDotenv(t)
		out := reader(t, dir, nil, python, "-c",
			`import json, sys, dotenv; json.dump(dotenv.dotenv_values(sys.argv[1], encoding="utf-8"), sys.stdout)`, file)
		checkExported(t, decodeVars(t, out), want, dir)
	})
	t.Run("node-dotenv", func(t *testing.T) {
		node, modules := nodeWithDotenv(t)
		out := reader(t, dir, []string{"NODE_PATH=" + modules}, node, "-e",
			`const fs = require("fs"); process.stdout.write(JSON.stringify(require("dotenv").parse(fs.readFileSync(process.argv[1]))))`, file)
		checkExported(t, decodeVars(t, out), want, dir)
	})
	// dotenv-expand as Vite runs it (12), and its version 1000, which also
	// runs $(...) and decrypts a value starting encrypted: when
	// DOTENV_PRIVATE_KEY is set, as here; .ci/run installs the second as
	// dotenv-expand-1000.
	for _, expand := range []string{"dotenv-expand", "dotenv-expand-1000"} {
		t.Run(expand, func(t *testing.T) {
			node, modules := nodeWithDotenv(t)
			if _, err := os.Stat(filepath.Join(modules, expand, "package.json")); err != nil {
				t.Skipf("no %s in %s=%s: %v", expand, nodeModulesVar, modules, err)
			}
			out := reader(t, dir, []string{"NODE_PATH=" + modules}, node, "-e",
				`const fs = require("fs"), parsed = require("dotenv").parse(fs.readFileSync(process.argv[1]));
process.stdout.write(JSON.stringify(require(process.argv[2]).expand({ parsed, processEnv: { DOTENV_PRIVATE_KEY: "`+strings.Repeat("1f", 32)+`" } }).parsed))`, file, expand)
			checkExported(t, decodeVars(t, out), want, dir)
		})
	}
}

// pythonWithDotenv finds a python3 that imports dotenv, or skips.
func pythonWithDotenv(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		bin, err := exec.LookPath(p)
		if err != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err = exec.CommandContext(ctx, bin, "-c", "import dotenv").Run()
		cancel()
		if err == nil {
			return bin
		}
	}
	t.Skip("no python3 with python-dotenv (Debian: apt-get install python3-dotenv)")
	return ""
}

// nodeModulesVar names the node_modules directory that holds Node's dotenv:
// .ci/run installs it there, as a test cannot reach the registry.
const nodeModulesVar = "MULTIENV_TEST_NODE_MODULES"

// nodeWithDotenv finds node and the node_modules holding dotenv, or skips.
func nodeWithDotenv(t *testing.T) (string, string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node (Debian: apt-get install nodejs)")
	}
	modules := os.Getenv(nodeModulesVar)
	if modules == "" {
		t.Skipf("no Node dotenv: %s names no node_modules (npm install --prefix DIR dotenv; %s=DIR/node_modules)", nodeModulesVar, nodeModulesVar)
	}
	if _, err := os.Stat(filepath.Join(modules, "dotenv", "package.json")); err != nil {
		t.Skipf("no Node dotenv in %s=%s: %v", nodeModulesVar, modules, err)
	}
	return node, modules
}

// decodeVars reads a JSON object of variables: the MULTIENV_ ones.
func decodeVars(t *testing.T, out []byte) map[string]string {
	t.Helper()
	var all map[string]string
	if err := json.Unmarshal(out, &all); err != nil {
		t.Fatalf("not a JSON object of strings: %v\n%s", err, out)
	}
	vars := map[string]string{}
	for k, v := range all {
		if strings.HasPrefix(k, "MULTIENV_") {
			vars[k] = v
		}
	}
	return vars
}

// The github format, read as GitHub's runner reads $GITHUB_ENV, on Linux
// and on Windows: every value back as it was, no variable added.
func TestExportGitHub(t *testing.T) {
	file, dir := export(t, "github", githubOK)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, windows := range []bool{false, true} {
		t.Run(map[bool]string{false: "linux", true: "windows"}[windows], func(t *testing.T) {
			vars, err := readGitHubEnv(string(data), windows)
			if err != nil {
				t.Fatal(err)
			}
			checkExported(t, vars, wantExported(githubOK), dir)
		})
	}
}

// readGitHubEnv reads a $GITHUB_ENV file as GitHub's runner does: a
// transcription of SetEnvFileCommand.ProcessCommand and ReadLine in
// actions/runner's src/Runner.Worker/FileCommandManager.cs (NAME=VALUE,
// or NAME<<DELIMITER, then the lines up to one equal to DELIMITER; lines
// end at LF, and on Windows at CR LF first).
func readGitHubEnv(text string, windows bool) (map[string]string, error) {
	readLine := func(index *int) (string, string, bool) {
		if *index >= len(text) {
			return "", "", false
		}
		start := *index
		lf := strings.Index(text[start:], "\n")
		if lf < 0 {
			*index = len(text)
			return text[start:], "", true
		}
		lf += start
		if windows {
			if crlf := strings.Index(text[start:], "\r\n"); crlf >= 0 && start+crlf < lf {
				*index = start + crlf + 2
				return text[start : start+crlf], "\r\n", true
			}
		}
		*index = lf + 1
		return text[start:lf], "\n", true
	}
	vars := map[string]string{}
	index := 0
	for line, _, ok := readLine(&index); ok; line, _, ok = readLine(&index) {
		if line == "" {
			continue
		}
		eq, heredoc := strings.Index(line, "="), strings.Index(line, "<<")
		switch {
		case eq >= 0 && (heredoc < 0 || eq < heredoc):
			vars[line[:eq]] = line[eq+1:]
		case heredoc >= 0 && (eq < 0 || heredoc < eq):
			name, delim := line[:heredoc], line[heredoc+2:]
			if name == "" || delim == "" {
				return nil, fmt.Errorf("invalid format %q", line)
			}
			start, end := index, index
			for {
				l, newline, ok := readLine(&index)
				if !ok {
					return nil, fmt.Errorf("matching delimiter not found %q", delim)
				}
				if l == delim {
					break
				}
				end = index - len(newline)
			}
			vars[name] = ""
			if end > start {
				vars[name] = text[start:end]
			}
		default:
			return nil, fmt.Errorf("invalid format %q", line)
		}
	}
	return vars, nil
}

// A value a format cannot carry exactly is refused in that format: exit 3,
// the key named, nothing on stdout.
func TestExportRefuses(t *testing.T) {
	for _, h := range hostileValues {
		for format, ok := range map[string]bool{"dotenv": h.dotenv, "github": h.github} {
			if ok {
				continue
			}
			t.Run(format+"/"+h.key, func(t *testing.T) {
				only := func(o hostile) bool { return o.key == h.key }
				code, out, errs, _ := runIn(t, hostileConfig(only), "export", "--format", format)
				if code != exitConfig || out != "" {
					t.Errorf("exit %d, stdout %q; want %d and nothing", code, out, exitConfig)
				}
				if want := fmt.Sprintf("resolver: export: value %q cannot be exported as %s: ", h.key, format); !strings.HasPrefix(errs, want) {
					t.Errorf("stderr %q; want it to start %q", errs, want)
				}
				// check warns on the same value, at its line.
				code, _, errs, _ = runIn(t, hostileConfig(only), "check")
				if code != exitOK || !strings.Contains(errs, fmt.Sprintf("multienv.toml:4:%d: warning: values.%s: value %q cannot be exported as ", len(h.key)+4, h.key, h.key)) {
					t.Errorf("check: exit %d, stderr %q; want a warning at 4:%d", code, errs, len(h.key)+4)
				}
			})
		}
	}
}

// get prints a value exactly: no escape, no cut, up to the limit; to a
// terminal, a control character other than tab and newline is refused.
func TestGetExact(t *testing.T) {
	for _, h := range hostileValues {
		t.Run(h.key, func(t *testing.T) {
			code, out, errs, _ := runIn(t, hostileConfig(all), "get", "--env", "sbx-7", h.key)
			if code != exitOK || out != h.value+"\n" {
				t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, h.value+"\n")
			}
		})
	}
	for _, tt := range []struct {
		key, want string
	}{{"ratio", "1.0\n"}, {"zero", "-0.0\n"}, {"count", "3\n"}, {"list", "[\"a\"]\n"}} {
		t.Run(tt.key, func(t *testing.T) {
			if code, out, errs, _ := runIn(t, hostileConfig(all), "get", tt.key); code != exitOK || out != tt.want {
				t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, tt.want)
			}
		})
	}
	cfg := "version = 1\n[values]\nedge = \"" + strings.Repeat("a", 65536) + "\"\nover = \"" + strings.Repeat("a", 65537) + "\"\n" +
		"tab = \"a\\tb\\nc\"\nesc = \"a\\u001bb\"\n" + hostileConfig(func(hostile) bool { return false })[len("version = 1\n\n[values]\n"):]
	if code, out, errs, _ := runIn(t, cfg, "get", "edge"); code != exitOK || len(out) != 65537 {
		t.Errorf("65,536 bytes: exit %d, %d bytes, stderr %q; want 0 and the value whole", code, len(out), errs)
	}
	if code, out, errs, _ := runIn(t, cfg, "get", "over"); code != exitConfig || out != "" || !strings.Contains(errs, `value "over" is 65537 bytes, more than the 65536 printed whole`) {
		t.Errorf("65,537 bytes: exit %d, stdout %d bytes, stderr %q; want 3, nothing, and why", code, len(out), errs)
	}
	if code, out, errs, _ := runIn(t, cfg, "export", "--format", "github"); code != exitConfig || out != "" || !strings.Contains(errs, `value "over" is 65537 bytes`) {
		t.Errorf("export of 65,537 bytes: exit %d, stdout %d bytes, stderr %q; want 3, nothing, and why", code, len(out), errs)
	}
	if code, out, errs, _ := runIn(t, cfg, "current", "--json"); code != exitConfig || out != "" || !strings.Contains(errs, `"values.over" is 65537 bytes`) {
		t.Errorf("current --json with 65,537 bytes: exit %d, stdout %d bytes, stderr %q; want 3, nothing, and why", code, len(out), errs)
	}
	for key, code := range map[string]int{"tab": exitOK, "esc": exitConfig} {
		dir := t.TempDir()
		path := filepath.Join(dir, "multienv.toml")
		if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errs bytes.Buffer
		e := &invocation{args: []string{"--config", path, "get", key}, dir: dir, lookup: mapLookup(nil), stdout: &out, stderr: &errs, terminal: true}
		if got := runWithDeadline(t, e, 20*time.Second); got != code || code != exitOK && out.Len() > 0 {
			t.Errorf("get %s to a terminal: exit %d, stdout %q, stderr %q; want %d", key, got, &out, &errs, code)
		}
	}
}

func checkExported(t *testing.T, vars, want map[string]string, dir string) {
	t.Helper()
	checkVars(t, vars, want)
	checkNothingRan(t, dir)
}

func checkVars(t *testing.T, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s = %.80q; want %.80q", k, g, v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected variable %s = %q", k, got[k])
		}
	}
}

func checkNothingRan(t *testing.T, dir string) {
	t.Helper()
	for _, f := range []string{"pwned", "pwned2"} {
		if _, err := os.Stat(filepath.Join(dir, f)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a value ran a command: %s exists (%v)", f, err)
		}
	}
}
