package envfile

import (
	"context"
	"os/exec"
	"regexp"
	"testing"
	"time"
)

// Every variable that an installed shell sets itself in an empty
// environment is reserved, as the shell lists them: a value exported under
// one (PPID, UID, RANDOM) is refused or not read back, or changes what the
// shell does.
func TestReservedHoldsTheShellsOwnVariables(t *testing.T) {
	shells := []struct {
		name string
		args []string
		line *regexp.Regexp // a name in what the listing prints
	}{
		{"bash", []string{"--norc", "--noprofile", "-c", "compgen -v"}, regexp.MustCompile(`(?m)^([A-Z][A-Z0-9_]*)$`)},
		{"zsh", []string{"-f", "-c", "print -l ${(k)parameters}"}, regexp.MustCompile(`(?m)^([A-Z][A-Z0-9_]*)$`)},
		{"ksh93", []string{"-c", "set"}, regexp.MustCompile(`(?m)^([A-Z][A-Z0-9_]*)=`)},
		{"mksh", []string{"-c", "set"}, regexp.MustCompile(`(?m)^([A-Z][A-Z0-9_]*)=`)},
		{"dash", []string{"-c", "set"}, regexp.MustCompile(`(?m)^([A-Z][A-Z0-9_]*)=`)},
		{"busybox", []string{"sh", "-c", "set"}, regexp.MustCompile(`(?m)^([A-Z][A-Z0-9_]*)=`)},
	}
	for _, sh := range shells {
		t.Run(sh.name, func(t *testing.T) {
			path, err := exec.LookPath(sh.name)
			if err != nil {
				t.Skipf("%s is not installed", sh.name)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, path, sh.args...)
			cmd.Env = []string{}
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v", sh.name, err)
			}
			names := sh.line.FindAllStringSubmatch(string(out), -1)
			if len(names) < 5 {
				t.Fatalf("%s listed %d variables: %q", sh.name, len(names), out)
			}
			for _, m := range names {
				if Reserved(m[1]) == "" {
					t.Errorf("%s sets %s itself, which is not reserved", sh.name, m[1])
				}
			}
		})
	}
	// What the shells read but do not set in an empty environment, from
	// their manuals (bash, zsh, ksh93; zshparam(1)'s PROMPT_EOL_MARK is
	// prompt-expanded after a partial line, ZBEEP written to the terminal)
	// and the tools that run a command or load code from a variable:
	// cargo's RUSTC_WRAPPER and target runners, the JVM's _JAVA_OPTIONS
	// (-javaagent:), .NET's profilers, pip's index, Python's
	// PYTHONBREAKPOINT, Lua's LUA_INIT, the AWS CLI's config file
	// (credential_process), the Docker CLI's daemon.
	for _, name := range []string{"POSIXLY_CORRECT", "BASH_COMPAT", "EXECIGNORE", "FUNCNEST", "HISTCONTROL",
		"TIMEFORMAT", "STTY", "NULLCMD", "RPROMPT", "REPORTTIME", "ZLE_RPROMPT_INDENT", "HISTEDIT",
		"LESSOPEN", "OPENSSL_CONF", "DOTNET_STARTUP_HOOKS", "PROMPT_EOL_MARK", "ZBEEP", "TMPSUFFIX", "BAUD",
		"RUSTC_WRAPPER", "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER", "_JAVA_OPTIONS", "CORECLR_PROFILER_PATH",
		"COR_PROFILER_PATH", "PIP_INDEX_URL", "PYTHONBREAKPOINT", "LUA_INIT", "AWS_CONFIG_FILE", "DOCKER_HOST",
		"CC", "MUSL_LOCPATH", "TZ"} {
		if Reserved(name) == "" {
			t.Errorf("%s is not reserved", name)
		}
	}
}
