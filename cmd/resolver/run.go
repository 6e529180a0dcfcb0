package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/text"
)

var cmdRun = &command{
	name:    "run",
	summary: "run a command with the environment and its values as variables",
	usage:   "[--env ID] -- COMMAND [ARGS...]",
	flags:   []flagDef{envFlag},
	maxArgs: manyArgs,
	run:     runRun,
}

func runRun(e *invocation, o *options) int {
	if len(o.args) == 0 {
		return e.usageError("run: no COMMAND given: resolver run [--env ID] -- COMMAND [ARGS...]")
	}
	exported, code := e.exportVars(o, "run", multienv.DefaultExportPrefix, true)
	if exported == nil {
		return code
	}
	vars := each(exported, func(kv [3]string) [2]string { return [2]string{kv[1], kv[2]} })
	path, ok := e.lookPath(o.args[0])
	if !ok {
		return e.fail(exitNotFound, "run: %s: command not found", text.Quote(o.args[0]))
	}
	status, err := e.start(path, o.args, environWith(e.environ(), multienv.DefaultExportPrefix, vars))
	if err != nil {
		return e.fail(exitCannotStart, "run: cannot start %s: %s", text.Quote(o.args[0]), text.Escape(err.Error()))
	}
	return status
}

// The exit statuses of a command that cannot be run, as shells give them.
const (
	exitCannotStart = 126
	exitNotFound    = 127
)

// environWith is base, a process environment as os.Environ gives it, with
// vars set, each name after prefix, replacing the variable base has; the
// others keep their order.
func environWith(base []string, prefix string, vars [][2]string) []string {
	set := make(map[string]bool, len(vars))
	for _, nv := range vars {
		set[prefix+nv[0]] = true
	}
	out := make([]string, 0, len(base)+len(vars))
	for _, kv := range base {
		name, _, _ := strings.Cut(kv, "=")
		if !set[name] {
			out = append(out, kv)
		}
	}
	for _, nv := range vars {
		out = append(out, prefix+nv[0]+"="+nv[1])
	}
	return out
}

// lookPath finds the command as a shell does, but in absolute directories
// of PATH only: a file planted in the working directory is never run by
// name. A name with a slash is the file it names; one that does not exist
// is not found.
func (e *invocation) lookPath(name string) (string, bool) {
	if strings.ContainsRune(name, '/') || strings.ContainsRune(name, filepath.Separator) {
		file := name
		if !filepath.IsAbs(name) {
			file = filepath.Join(e.dir, name)
		}
		_, err := os.Stat(file)
		return name, !errors.Is(err, fs.ErrNotExist)
	}
	path, _ := e.lookup("PATH")
	for _, dir := range filepath.SplitList(path) {
		if p := filepath.Join(dir, name); filepath.IsAbs(dir) && executable(p) {
			return p, true
		}
	}
	return "", false
}

// executable reports whether path is a regular file someone may execute;
// on Windows, whose modes carry no execute bit, by its name.
func executable(path string) bool {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	windowsExe := filepath.Separator == '\\' && slices.Contains([]string{".exe", ".com", ".bat", ".cmd"}, strings.ToLower(filepath.Ext(path)))
	return st.Mode().Perm()&0o111 != 0 || windowsExe
}
