// Package text holds the output rules every printed string follows: how a
// value is quoted, how text from files, paths and variables is made safe for
// a terminal, how long a line may be, which variable names hold secrets,
// and how a message suggests a name ("did you mean") and cuts a list.
// It is not API: importers outside this module cannot reach it.
package text

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuoted is how many characters of a value a message shows.
const MaxQuoted = 64

// MaxLine is the longest line, in bytes, the command prints; a longer one is
// cut and ends with Ellipsis.
const MaxLine = 1000

// MaxData is the one limit of output that is data (get, export, every
// --json, check --format json and github): no string of it (a value, a
// fact, a path) is longer, in bytes. Data is printed whole or not at all:
// a longer string fails the command, which names it. Half of the 128 KiB
// Linux allows one NAME=value in a program's environment, so that every
// exported variable reaches the programs run after it.
const MaxData = 64 << 10

// Ellipsis marks text that was cut.
const Ellipsis = "..."

// Quote quotes s the way Go's %q does, after cutting it to MaxQuoted
// characters; a cut value is followed by Ellipsis. Control characters,
// invalid UTF-8 and bidirectional controls come out escaped.
func Quote(s string) string {
	n := 0
	for i := range s {
		if n == MaxQuoted {
			return strconv.Quote(s[:i]) + Ellipsis
		}
		n++
	}
	return strconv.Quote(s)
}

// Unsafe reports whether r may not reach a terminal as it is: a C0 or C1
// control character, DEL, a bidirectional control (which reorders what
// follows it on screen), or a line or paragraph separator.
func Unsafe(r rune) bool {
	return r < 0x20 || r >= 0x7f && r <= 0x9f ||
		r == 0x061c || r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 ||
		r == 0x2028 || r == 0x2029
}

// IsSafe reports whether s can be printed as it is: valid UTF-8 without any
// rune Unsafe rejects.
func IsSafe(s string) bool { return utf8.ValidString(s) && !strings.ContainsFunc(s, Unsafe) }

// Escape returns s with every unsafe rune written as a Go escape (\n, \x1b,
// \u202e) and every invalid byte as \xNN; all else, emoji included, is kept.
// It is the one rule for text from files, paths and variables that is
// printed unquoted: such text cannot move the cursor, clear the screen,
// reorder a line or start a new one.
func Escape(s string) string {
	if IsSafe(s) {
		return s
	}
	return escapeRunes(s, Unsafe)
}

// escapeRunes writes s with each invalid byte as \xNN and each rune esc
// reports as a Go escape.
func escapeRunes(s string, esc func(rune) bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case esc(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Cut returns s cut to at most limit bytes, on a rune boundary, ending with
// Ellipsis when it was cut.
func Cut(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	n := max(limit-len(Ellipsis), 0)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + Ellipsis
}

// EscapeCut is Escape, then Cut to at most limit bytes, never inside an
// escape: a line shows whole escapes (\u202e) or none of one.
func EscapeCut(s string, limit int) string {
	if e := Escape(s); len(e) <= limit {
		return e
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		piece := Escape(s[i : i+size])
		if b.Len()+len(piece) > limit-len(Ellipsis) {
			break
		}
		b.WriteString(piece)
		i += size
	}
	return b.String() + Ellipsis
}

// Inert returns a line of output with the workflow commands GitHub's
// runner would read in it made plain, a character of each written as an
// escape: a "::" the line starts with, after any white space (::add-mask::,
// \x3a:), and "##[" anywhere, the older form it reads in any part of a
// line (##[stop-commands], #\x23[).
func Inert(line string) string {
	// A character a comparison may pass over (a soft hyphen, a zero-width
	// space) is escaped too where, passed over, the line reads as one.
	if strings.ContainsFunc(line, ignorable) {
		bare := strings.Map(func(r rune) rune {
			if ignorable(r) {
				return -1
			}
			return r
		}, line)
		if commandAt(bare) >= 0 || strings.Contains(bare, "##[") {
			line = escapeRunes(line, ignorable)
		}
	}
	if k := commandAt(line); k >= 0 {
		line = line[:k] + `\x3a` + line[k+1:]
	}
	return strings.ReplaceAll(line, "##[", `#\x23[`)
}

// ignorable reports whether r is a character that text comparisons may
// pass over as if it were not there: a format character (soft hyphen,
// zero-width space and joiner, word joiner, byte order mark), the combining
// grapheme joiner or a variation selector.
func ignorable(r rune) bool {
	return r >= 0x80 && (unicode.Is(unicode.Cf, r) || r == 0x34f || unicode.Is(unicode.Variation_Selector, r))
}

// commandAt returns where the "::" that s starts with, after any white
// space, is, or -1: GitHub's runner trims the space, then reads ::error::x.
func commandAt(s string) int {
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	if !strings.HasPrefix(t, "::") {
		return -1
	}
	return len(s) - len(t)
}

// Path makes a file name safe to print on one line: escaped, and when it is
// longer than MaxQuoted*4 bytes, its start and end kept around Ellipsis. A
// relative name starting "::", after any white space, gets "./" before it,
// the same file, so that no line a path starts reads as a workflow command to
// a CI runner (GitHub's trims the white space off, then reads ::error::x).
func Path(p string) string {
	p = Escape(p)
	if commandAt(p) >= 0 {
		p = "./" + p
	}
	const keep = MaxQuoted * 2
	if len(p) <= 2*keep+len(Ellipsis) {
		return p
	}
	tail := len(p) - keep
	for tail < len(p) && !utf8.RuneStart(p[tail]) {
		tail++
	}
	return Cut(p, keep+len(Ellipsis)) + p[tail:]
}

// secretWords are the parts of a variable name that say it holds a secret;
// secretNameWords say so only as a whole word between underscores (DB_PASS,
// CI_JOB_JWT, not COMPASS_ENV or BYPASS_CACHE).
var (
	secretWords     = []string{"SECRET", "TOKEN", "PASSWORD", "PASSWD", "PASSPHRASE", "PRIVATE", "CREDENTIAL", "API_KEY", "ACCESS_KEY"}
	secretNameWords = []string{"PASS", "JWT"}
)

// IsSecretName reports whether a variable's name says it holds a secret:
// it contains one of secretWords, or has one of secretNameWords as a word
// between underscores, in any case. Such a variable's value is never printed.
func IsSecretName(name string) bool {
	return slices.ContainsFunc(secretWords, func(w string) bool { return containsFold(name, w, false) }) ||
		slices.ContainsFunc(secretNameWords, func(w string) bool { return containsFold(name, w, true) })
}

// containsFold reports whether s contains upper, an upper-case ASCII word,
// in any case, and when word is set as one of its underscore-separated
// words; it allocates nothing, as resolving must not.
func containsFold(s, upper string, word bool) bool {
	for i := 0; i+len(upper) <= len(s); i++ {
		end := i + len(upper)
		whole := (i == 0 || s[i-1] == '_') && (end == len(s) || s[end] == '_')
		if (whole || !word) && strings.EqualFold(s[i:end], upper) {
			return true
		}
	}
	return false
}

// Hidden reports whether the value read from variable name is kept out of
// output: it is not empty and the name says it holds a secret.
func Hidden(name, value string) bool { return value != "" && IsSecretName(name) }

// Redacted stands for the value of a secret variable in output.
const Redacted = "(hidden: the variable's name says it holds a secret)"

// Float writes a float the way TOML does, the one form every output uses:
// the shortest text that reads back as f, keeping the point of an
// integral value (1.0, -0.0, not 1 or -0). TOML's inf and nan are refused
// when a file is read, so they are never printed.
func Float(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eIN") { // not for 1e+21, +Inf, NaN
		s += ".0"
	}
	return s
}
