package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/multienv/multienv"
)

// hostileValues are values built to break out of their quotes: a command
// substitution, a quote, a newline that starts a variable of its own, a
// heredoc delimiter, escapes.
var hostileValues = map[string]string{
	"subst":   "$(touch pwned) `touch pwned2` ${HOME}",
	"quote":   "it's \"quoted\" \\ back'slash",
	"newline": "line one\nexport MULTIENV_INJECTED=1\nMULTIENV_INJECTED=2",
	"delim":   "x\nMULTIENV_EOF_0\nEOF\n",
	"escape":  "\x1b]0;owned\x07\x1b[2J\tend",
	"plain":   "acme-data",
}

func hostileConfig() string {
	var b strings.Builder
	b.WriteString("version = 1\n\n[values]\n")
	for _, k := range []string{"subst", "quote", "newline", "delim", "escape", "plain"} {
		braces := strings.NewReplacer("{", "{{", "}", "}}").Replace(hostileValues[k])
		b.WriteString(k + " = " + tomlString(braces) + "\n")
	}
	b.WriteString("count = 3\nflag = true\nlist = [\"a\"]\ndb = { host = \"h-{env}\" }\n")
	b.WriteString(`
[[envs]]
name = "sbx"
kind = "sandbox"
instances = true

[[envs]]
name = "prd"
kind = "production"

[[rules]]
name = "local"
groups = ["local"]
from = ["USER_ENV_NAME"]
default = "sbx"
`)
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
			b.WriteString(`\u00`)
			b.WriteString(strings.ToUpper(string("0123456789abcdef"[r>>4]) + string("0123456789abcdef"[r&15])))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func export(t *testing.T, format string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "multienv.toml")
	if err := os.WriteFile(path, []byte(hostileConfig()), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	e := &env{args: []string{"--config", path, "export", "--format", format, "--env", "sbx-7"}, dir: dir,
		lookup: mapLookup(nil), stdout: &stdout, stderr: &stderr, facts: multienv.Facts{}}
	if code := runWithDeadline(t, e, 10*time.Second); code != 0 {
		t.Fatalf("export --format %s: exit %d: %s", format, code, stderr.String())
	}
	return stdout.String(), dir
}

// want are the variables export must give, whatever the format: every
// scalar, the id and its parts; not the array.
func wantExported() map[string]string {
	want := map[string]string{"MULTIENV_ID": "sbx-7", "MULTIENV_ENV": "sbx", "MULTIENV_INSTANCE": "7", "MULTIENV_KIND": "sandbox",
		"MULTIENV_COUNT": "3", "MULTIENV_FLAG": "true", "MULTIENV_DB_HOST": "h-sbx"}
	for k, v := range hostileValues {
		want["MULTIENV_"+strings.ToUpper(k)] = v
	}
	return want
}

// The sh format, evaluated by bash, gives every value back as it was, runs
// nothing and adds no variable.
func TestExportShell(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	out, dir := export(t, "sh")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "--norc", "--noprofile", "-c", `eval "$(cat)"; env -0`)
	cmd.Dir, cmd.Stdin, cmd.Env = dir, strings.NewReader(out), []string{"PATH=" + os.Getenv("PATH")}
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	vars := map[string]string{}
	for _, kv := range strings.Split(string(got), "\x00") {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "MULTIENV_") {
			vars[k] = v
		}
	}
	checkExported(t, vars, dir)
}

// The github format, read as GitHub reads $GITHUB_ENV: NAME<<DELIMITER,
// the lines up to DELIMITER.
func TestExportGitHub(t *testing.T) {
	out, dir := export(t, "github")
	vars := map[string]string{}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			t.Fatalf("line %d: %q is no NAME<<DELIMITER", i+1, lines[i])
		}
		var value []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			value = append(value, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("%s: the delimiter %q never ends the value", name, delim)
		}
		vars[name] = strings.Join(value, "\n")
	}
	// A control character is written escaped: the output rule holds.
	want := wantExported()
	want["MULTIENV_ESCAPE"] = `\x1b]0;owned\a\x1b[2J\tend`
	checkVars(t, vars, want)
	checkNothingRan(t, dir)
}

// The dotenv format, read as docker compose and python-dotenv read it:
// single quotes literal, double quotes with backslash escapes.
func TestExportDotenv(t *testing.T) {
	out, dir := export(t, "dotenv")
	vars := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		name, v, ok := strings.Cut(line, "=")
		if !ok || len(v) < 2 {
			t.Fatalf("%q is no NAME=VALUE", line)
		}
		switch {
		case v[0] == '\'' && v[len(v)-1] == '\'':
			vars[name] = v[1 : len(v)-1]
		case v[0] == '"' && v[len(v)-1] == '"':
			var b strings.Builder
			for i := 1; i < len(v)-1; i++ {
				if v[i] != '\\' {
					b.WriteByte(v[i])
					continue
				}
				i++
				switch v[i] {
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				case 'r':
					b.WriteByte('\r')
				case 'x':
					var c byte
					for _, h := range v[i+1 : i+3] {
						c = c<<4 | byte(strings.IndexRune("0123456789abcdef", h))
					}
					b.WriteByte(c)
					i += 2
				default:
					b.WriteByte(v[i])
				}
			}
			vars[name] = b.String()
		default:
			t.Fatalf("%q: the value is not quoted", line)
		}
	}
	checkExported(t, vars, dir)
}

func checkExported(t *testing.T, vars map[string]string, dir string) {
	t.Helper()
	checkVars(t, vars, wantExported())
	checkNothingRan(t, dir)
}

func checkVars(t *testing.T, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q; want %q", k, got[k], v)
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
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("a value ran a command: %s exists", f)
		}
	}
}
