// Package envfile writes variables in the forms that shells, dotenv loaders
// and GitHub's runner read, and says which values a form cannot carry
// exactly, the name a value exports as and which names no value may take.
// check and export share it: what export refuses, check reports.
package envfile

import (
	"encoding/hex"
	"errors"
	"hash/fnv"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// The formats of export.
const (
	Sh     = "sh"     // export NAME='value' lines, for eval in POSIX shells
	Dotenv = "dotenv" // NAME='value' lines, for a .env file
	GitHub = "github" // the form of GitHub's $GITHUB_ENV and $GITHUB_OUTPUT
)

// Formats are the formats, the first the default.
var Formats = []string{Sh, Dotenv, GitHub}

// DefaultPrefix starts every name export prints, unless --prefix says otherwise.
const DefaultPrefix = "MULTIENV_"

// Name is the variable a value exports as, after the prefix: its dotted
// key upper-cased, dots made underscores (db.host: DB_HOST).
func Name(key string) string { return strings.ToUpper(strings.ReplaceAll(key, ".", "_")) }

// Problem says why format cannot carry v exactly for every reader it is
// written for, after the value's name in a message, or returns "".
func Problem(format, v string) string {
	if strings.IndexByte(v, 0) >= 0 {
		return "holds a NUL byte, which no environment variable can hold"
	}
	if !utf8.ValidString(v) {
		return "is not valid UTF-8"
	}
	switch format {
	case Dotenv:
		_, why := dotenv(v)
		return why
	case GitHub:
		// The runner on Windows reads a line end as CR LF: a CR before
		// the line end that closes the value would be dropped.
		if strings.HasSuffix(v, "\r") {
			return "ends with a carriage return, which GitHub's runner on Windows drops"
		}
	}
	return ""
}

// Line writes one variable in format, or returns why the value cannot be
// written exactly (Problem).
func Line(format, name, v string) (string, error) {
	if why := Problem(format, v); why != "" {
		return "", errors.New(why)
	}
	switch format {
	case Sh:
		// As POSIX sh quotes: in single quotes, inside which nothing is
		// special, and a quote as '\'' (close, an escaped quote, open).
		// dash, bash, zsh, ksh93, mksh and busybox sh read it alike; no
		// $'...' (dash has none, and ksh93 and mksh read \xHH greedily).
		return "export " + name + "='" + strings.ReplaceAll(v, "'", `'\''`) + "'\n", nil
	case Dotenv:
		q, _ := dotenv(v)
		return name + "=" + q + "\n", nil
	case GitHub:
		if !strings.Contains(v, "\n") {
			// The runner takes everything after the first = as it is.
			return name + "=" + v + "\n", nil
		}
		// A heredoc whose delimiter is a hash of the value: no value can be
		// made to hold it (it is checked all the same), and a value is
		// always written the same way.
		h := fnv.New128a()
		h.Write(append([]byte{0}, v...))
		delim := "MULTIENV_EOF_" + hex.EncodeToString(h.Sum(nil))
		if strings.Contains(v, delim) {
			return "", errors.New("no heredoc delimiter found that the value does not hold")
		}
		return name + "<<" + delim + "\n" + v + "\n" + delim + "\n", nil
	}
	return "", errors.New("unknown format " + strconv.Quote(format))
}

// pyVariable is what python-dotenv replaces by a variable's value, quoted
// or not (its variables.py, _posix_variable); dotenv compiles it when first
// needed.
var (
	pyOnce     sync.Once
	pyVariable *regexp.Regexp
)

// dotenv quotes v for a .env file that shells (set -a; . FILE),
// python-dotenv and Node's dotenv (with dotenv-expand over it) all read as
// v, or says why no quoting is read so by all of them:
//   - single quotes, when v holds no quote: shells and Node's dotenv take
//     the text as it is; python-dotenv too, but for \\ and \' (which it
//     unescapes) and a backslash before the closing quote (which it takes
//     for an escaped quote);
//   - else double quotes, when v holds none of " \ $ ` (which shells
//     interpret there, and the two libraries do not, or differently).
//
// Both libraries read a CR as a line end; python-dotenv expands ${...}
// whatever the quotes, and dotenv-expand, which Vite and Next.js run over
// Node's dotenv, $NAME, ${...} and (from its version 1000) $(...).
func dotenv(v string) (string, string) {
	if strings.IndexByte(v, '\r') >= 0 {
		return "", "holds a carriage return, which python-dotenv and Node's dotenv read as a line end"
	}
	pyOnce.Do(func() { pyVariable = regexp.MustCompile(`\$\{[^}:]*(?::-[^}]*)?\}`) })
	if m := pyVariable.FindString(v); m != "" {
		return "", "holds " + strconv.Quote(m) + ", which python-dotenv replaces by a variable's value, quoted or not"
	}
	if i := expansion(v); i >= 0 {
		return "", "holds " + strconv.Quote(v[i:i+2]) + ", which dotenv-expand (run by Vite and Next.js over a .env file) replaces by a variable's value or a command's output, quoted or not"
	}
	if strings.Contains(v, `\$`) {
		return "", `holds \$, which dotenv-expand reads as $, quoted or not`
	}
	if strings.HasPrefix(v, "encrypted:") {
		return "", "starts with encrypted:, which dotenv-expand from its version 1000 decrypts when DOTENV_PRIVATE_KEY is set, quoted or not"
	}
	if !strings.Contains(v, "'") {
		if strings.Contains(v, `\\`) {
			return "", `holds \\, which python-dotenv reads as one backslash`
		}
		if strings.HasSuffix(v, `\`) {
			return "", "ends with a backslash, which python-dotenv reads as escaping the closing quote"
		}
		return "'" + v + "'", ""
	}
	if i := strings.IndexAny(v, "\"\\$`"); i >= 0 {
		return "", "holds both ' and " + strconv.Quote(v[i:i+1]) + ": no quoting is read the same by shells, python-dotenv and Node's dotenv"
	}
	return `"` + v + `"`, ""
}

// expansion returns where v holds $ then a letter, _, { or (, which
// dotenv-expand expands, or -1.
func expansion(v string) int {
	for i := 0; i+1 < len(v); i++ {
		if c := v[i+1] | 0x20; v[i] == '$' && (v[i+1] == '{' || v[i+1] == '(' || v[i+1] == '_' || 'a' <= c && c <= 'z') {
			return i
		}
	}
	return -1
}

// reservedNames are variables that a shell, the dynamic loader, a
// language runtime, a CI runner or multienv itself gives meaning to: a
// value exported under one of these names would change how the commands
// after it run, or what they answer. reservedPrefixes are families of them.
var (
	reservedNames = []string{
		// POSIX shells, bash, zsh, ksh: what they run, read and split by.
		"PATH", "HOME", "SHELL", "ENV", "BASH_ENV", "IFS", "PS1", "PS2", "PS3", "PS4",
		"PROMPT_COMMAND", "CDPATH", "FPATH", "SHELLOPTS", "BASHOPTS", "GLOBIGNORE",
		"HISTFILE", "INPUTRC", "ZDOTDIR", "MAIL", "MAILPATH", "TMOUT", "PWD", "OLDPWD",
		"TMPDIR", "TERM", "EDITOR", "VISUAL", "PAGER", "PS0", "BASH_XTRACEFD", "HOSTALIASES",
		// The variables these shells set or read themselves (their manuals'
		// lists): read-only ones (PPID, UID) stop a script that assigns them,
		// and others change as they are read (RANDOM, SECONDS, LINENO) or
		// change what the shell does (OPTIND, POSIXLY_CORRECT, STTY, NULLCMD).
		"BASH", "BASHPID", "COMPREPLY", "DIRSTACK", "EPOCHREALTIME", "EPOCHSECONDS", "EUID", "GROUPS",
		"HISTCMD", "HOSTNAME", "HOSTTYPE", "LINENO", "MACHTYPE", "OPTERR", "OPTIND", "OPTARG", "OSTYPE",
		"PPID", "RANDOM", "SECONDS", "SHLVL", "SRANDOM", "UID", "CHILD_MAX", "COLUMNS", "LINES", "COPROC",
		"EMACS", "INSIDE_EMACS", "FCEDIT", "FIGNORE", "FUNCNAME", "FUNCNEST", "GLOBSORT", "HISTCONTROL",
		"HISTFILESIZE", "HISTIGNORE", "HISTSIZE", "HISTTIMEFORMAT", "HOSTFILE", "IGNOREEOF", "MAILCHECK",
		"MAPFILE", "PIPESTATUS", "POSIXLY_CORRECT", "PROMPT_DIRTRIM", "REPLY", "TIMEFORMAT", "EXECIGNORE",
		"USERNAME", "LOGNAME", "MANPATH", "NULLCMD", "READNULLCMD", "TRY_BLOCK_ERROR", "TRY_BLOCK_INTERRUPT",
		"TIMEFMT", "PROMPT", "PROMPT2", "PROMPT3", "PROMPT4", "RPROMPT", "RPROMPT2", "RPS1", "RPS2",
		"SPROMPT", "VENDOR", "GID", "EGID", "KEYBOARD_HACK", "WATCH", "WATCHFMT", "MODULE_PATH", "TTYIDLE",
		"SAVEHIST", "CPUTYPE", "TMPPREFIX", "HISTCHARS", "TTY", "KEYTIMEOUT", "LISTMAX", "WORDCHARS",
		"ARGC", "ARGV0", "PSVAR", "HOST", "STTY", "REPORTTIME", "REPORTMEMORY", "POSTEDIT", "TERMINFO",
		"TERMINFO_DIRS", "DIRSTACKSIZE", "CORRECT_IGNORE", "CORRECT_IGNORE_FILE", "HISTORY_IGNORE",
		"SIGNALS", "ERRNO", "JOBMAX", "KSH_VERSION", "HISTEDIT", "PATHSEP", "PGRP", "KSHEGID", "KSHGID",
		"KSHUID", "USER_ID", "BASH_ALIASES", "BASH_ARGC", "BASH_ARGV", "BASH_ARGV0", "BASH_CMDS",
		"BASH_COMMAND", "BASH_COMPAT", "BASH_EXECUTION_STRING", "BASH_LINENO", "BASH_LOADABLES_PATH",
		"BASH_MONOSECONDS", "BASH_REMATCH", "BASH_SOURCE", "BASH_SUBSHELL", "BASH_TRAPSIG",
		"BASH_VERSINFO", "BASH_VERSION", "PROMPT_EOL_MARK", "BAUD", "TMPSUFFIX", "ZBEEP", "MATCH",
		"MBEGIN", "MEND",
		// The C library: locale and character-set modules it loads, and the
		// rest of what the dynamic loader clears for a setuid program
		// (glibc's unsecvars.h; LD_ is a family below).
		"LANG", "LANGUAGE", "NLSPATH", "LOCPATH", "GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES",
		"LOCALDOMAIN", "MALLOC_TRACE", "NIS_PATH", "RESOLV_HOST_CONF", "RES_OPTIONS", "TZDIR", "TZ",
		"MUSL_LOCPATH",
		// Language runtimes and tools that run code or load it from a path.
		"NODE_OPTIONS", "NODE_PATH", "NODE_REPL_EXTERNAL_MODULE", "PYTHONPATH", "PYTHONHOME",
		"PYTHONSTARTUP", "PYTHONWARNINGS", "PYTHONINSPECT", "PYTHONUSERBASE", "PYTHONBREAKPOINT",
		"PYTHONSAFEPATH", "PYTHONEXECUTABLE", "PYTHONPYCACHEPREFIX", "PYTHONPLATLIBDIR", "PERLLIB", "PERL5DB",
		"PERL5LIB", "PERL5OPT", "RUBYLIB", "RUBYOPT", "GEM_HOME", "GEM_PATH", "BUNDLE_GEMFILE",
		"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "JAVA_HOME", "CLASSPATH",
		"MAVEN_OPTS", "GRADLE_OPTS", "ANT_OPTS", "GOFLAGS", "GOTOOLCHAIN", "GOPROXY", "GOPATH",
		"GOROOT", "GOENV", "GONOSUMDB", "GOSUMDB", "GOPRIVATE", "GOINSECURE", "RUSTC", "RUSTDOC",
		"RUSTC_WRAPPER", "RUSTC_WORKSPACE_WRAPPER", "RUSTFLAGS", "RUSTDOCFLAGS", "RUSTUP_HOME",
		"RUSTUP_TOOLCHAIN", "COR_ENABLE_PROFILING", "COR_PROFILER", "COR_PROFILER_PATH", "PHPRC",
		"PHP_INI_SCAN_DIR", "R_PROFILE", "R_PROFILE_USER", "R_ENVIRON", "R_ENVIRON_USER", "R_LIBS",
		"R_LIBS_USER", "ERL_AFLAGS", "ERL_FLAGS", "ERL_ZFLAGS", "ERL_LIBS", "ELIXIR_ERL_OPTIONS",
		"CC", "CXX", "CPP", "CFLAGS", "CXXFLAGS", "CPPFLAGS", "LDFLAGS", "MAKEFLAGS",
		"LESSOPEN", "LESSCLOSE", "OPENSSL_CONF", "OPENSSL_ENGINES", "OPENSSL_MODULES", "BROWSER",
		// Where programs send their requests, and whom they trust.
		"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR",
		"NODE_EXTRA_CA_CERTS", "NODE_TLS_REJECT_UNAUTHORIZED", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
		"DOCKER_HOST", "DOCKER_CONFIG", "KUBECONFIG", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
		"AWS_CA_BUNDLE",
		// CI runners.
		"CI",
		// multienv's own inputs (the contract's names, and the binary the
		// Python and Node packages run).
		"USER_ENV_NAME", "ENV_NAME", "USER_RUNTIME_NAME", "MULTIENV_CONFIG", "MULTIENV_RESOLVER_PATH",
	}
	reservedPrefixes = []string{"LD_", "DYLD_", "LC_", "MALLOC_", "BASH_FUNC_", "GIT_", "SSH_",
		"GITHUB_", "RUNNER_", "ACTIONS_", "CI_", "GITLAB_", "NPM_CONFIG_", "CGO_",
		"COMP_", "READLINE_", "ZSH_", "ZLE_", "PIP_", "CARGO_", "DOTNET_", "CORECLR_",
		"LUA_", "XDG_", "SUDO_", "AWS_ENDPOINT_URL", "DOTENV_"}
)

// reservedMeaning starts the reason a name is reserved.
const reservedMeaning = "a shell, the dynamic loader, a language runtime, a CI runner or multienv gives "

// Reserved says why no value may be exported as name, or returns "".
func Reserved(name string) string {
	if slices.Contains(reservedNames, name) {
		return reservedMeaning + name + " its own meaning"
	}
	return ReservedPrefix(name)
}

// BadPrefix says why p cannot start a variable name, or returns "": it
// may be empty, or a letter or underscore, then letters, digits and
// underscores.
func BadPrefix(p string) string {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return "is not the start of a variable name: letters, digits and underscores, not starting with a digit"
		}
	}
	return ""
}

// ReservedPrefix says why no name may start with prefix, as it starts a
// family of reserved names (LD_, GITHUB_), or returns "".
func ReservedPrefix(prefix string) string {
	for _, p := range reservedPrefixes {
		if strings.HasPrefix(prefix, p) {
			return reservedMeaning + "names starting " + p + " their own meaning"
		}
	}
	return ""
}
