package envfile

import (
	"strings"
	"testing"
)

// The lines each format writes, written by hand from POSIX sh's quoting,
// the dotenv readers' rules and GitHub's documented $GITHUB_ENV forms.
func TestLine(t *testing.T) {
	tests := []struct {
		format, value, want string
	}{
		{Sh, "plain", "export N='plain'\n"},
		{Sh, "it's", "export N='it'\\''s'\n"},
		{Sh, "a\nb\\x41", "export N='a\nb\\x41'\n"},
		{Sh, "", "export N=''\n"},
		{Sh, "\x1b[2J", "export N='\x1b[2J'\n"},
		{Dotenv, "$5 $$ `x` \\ \"q\"", "N='$5 $$ `x` \\ \"q\"'\n"},
		{Dotenv, "it's\nok", "N=\"it's\nok\"\n"},
		{Dotenv, "", "N=''\n"},
		{GitHub, "one line <<EOF = x", "N=one line <<EOF = x\n"},
		{GitHub, "", "N=\n"},
	}
	for _, tt := range tests {
		got, err := Line(tt.format, "N", tt.value)
		if err != nil || got != tt.want {
			t.Errorf("Line(%s, %q) = %q, %v; want %q", tt.format, tt.value, got, err, tt.want)
		}
	}
	got, err := Line(GitHub, "N", "a\nb\n")
	head, rest, _ := strings.Cut(got, "\n")
	delim, ok := strings.CutPrefix(head, "N<<")
	if err != nil || !ok || delim == "" || rest != "a\nb\n\n"+delim+"\n" {
		t.Errorf("Line(github, many lines) = %q, %v; want N<<D, the lines, D", got, err)
	}
}

func TestProblem(t *testing.T) {
	tests := []struct {
		format, value string
		refused       bool
	}{
		{Sh, "a\x00b", true},
		{Dotenv, "a\x00b", true},
		{GitHub, "a\x00b", true},
		{Sh, "a\xffb", true},
		{Sh, "anything else: ' \" \\ $ ` \r \n", false},
		{Dotenv, "a\rb", true},
		{Dotenv, "${HOME}", true},
		{Dotenv, "${a:-b}", true},
		{Dotenv, "${a:b}", true}, // not python-dotenv's pattern, but dotenv-expand's ${
		{Dotenv, "$HOME", true},  // dotenv-expand's $NAME
		{Dotenv, "a$_b", true},
		{Dotenv, "$(id)", true}, // dotenv-expand 1000 runs it
		{Dotenv, "$5 $$ $. $- $", false},
		{Dotenv, `cost \$5`, true}, // dotenv-expand reads \$ as $
		{Dotenv, `end\$`, true},
		{Dotenv, `a\\b`, true},
		{Dotenv, `a\`, true},
		{Dotenv, `a\b`, false},
		{Dotenv, `it's "x"`, true},
		{Dotenv, `it's \`, true},
		{Dotenv, "it's $x", true},
		{Dotenv, "it's `x`", true},
		{Dotenv, "it's # ; = fine", false},
		{GitHub, "a\r", true},
		{GitHub, "a\rb\r\nc", false},
	}
	for _, tt := range tests {
		if got := Problem(tt.format, tt.value); (got != "") != tt.refused {
			t.Errorf("Problem(%s, %q) = %q; want refused %v", tt.format, tt.value, got, tt.refused)
		}
		if _, err := Line(tt.format, "N", tt.value); (err != nil) != tt.refused {
			t.Errorf("Line(%s, %q): %v; want refused %v", tt.format, tt.value, err, tt.refused)
		}
	}
}

func TestReserved(t *testing.T) {
	for name, reserved := range map[string]bool{
		"PATH": true, "BASH_ENV": true, "ENV": true, "IFS": true, "PS4": true, "HOME": true, "SHELL": true,
		"SHELLOPTS": true, "BASHOPTS": true, "CDPATH": true, "LD_PRELOAD": true, "LD_AUDIT": true,
		"DYLD_INSERT_LIBRARIES": true, "GITHUB_ENV": true, "GITHUB_TOKEN": true, "RUNNER_TEMP": true,
		"NODE_OPTIONS": true, "PYTHONPATH": true, "GIT_SSH_COMMAND": true, "LC_ALL": true,
		"ENV_NAME": true, "USER_ENV_NAME": true, "MULTIENV_CONFIG": true, "CI": true,
		"MULTIENV_RESOLVER_PATH": true, // python/README.md and npm's index.d.ts: the binary detect() runs
		// The dynamic loader's list of variables it clears for a setuid
		// program (glibc, sysdeps/generic/unsecvars.h), and glibc's malloc.
		"GCONV_PATH": true, "GETCONF_DIR": true, "GLIBC_TUNABLES": true, "HOSTALIASES": true,
		"LD_LIBRARY_PATH": true, "LOCALDOMAIN": true, "LOCPATH": true, "MALLOC_TRACE": true,
		"NIS_PATH": true, "NLSPATH": true, "RESOLV_HOST_CONF": true, "RES_OPTIONS": true,
		"TMPDIR": true, "TZDIR": true, "MALLOC_ARENA_MAX": true, "MALLOC_CHECK_": true,
		// GitLab's runner: its predefined variables and those that change
		// what it does (CI_DEBUG_TRACE prints every variable).
		"CI_DEBUG_TRACE": true, "CI_JOB_TOKEN": true, "GITLAB_USER_LOGIN": true,
		"MULTIENV_ID": false, "CIRCLE_X": false, "MALLOC": false, "TZ_NAME": false, "BUCKET": false, "PATHS": false, "LD": false, "MY_PATH": false, "CIRCLE": false,
	} {
		if got := Reserved(name) != ""; got != reserved {
			t.Errorf("Reserved(%s) = %v; want %v", name, got, reserved)
		}
	}
}
