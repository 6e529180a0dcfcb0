package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/text"
)

// The formats of check's report: text for people and problem matchers
// (FILE:LINE:COL: message on stderr), json for programs, github for GitHub
// Actions, which turns workflow commands into annotations on the file.
const (
	formatText   = "text"
	formatJSON   = "json"
	formatGitHub = "github"
)

var formats = []string{formatText, formatJSON, formatGitHub}

// formatProblem words an unknown --format value, or returns "" for a
// format of check.
func formatProblem(name string) string { return choiceProblem(name, formats) }

// choiceProblem words a --format value that is none of formats.
func choiceProblem(name string, formats []string) string {
	if slices.Contains(formats, name) {
		return ""
	}
	msg := "invalid value " + text.Quote(name) + " for --format; allowed: " + strings.Join(formats, ", ")
	if s := text.Closest(name, formats); s != "" {
		msg += "; did you mean " + text.Quote(s) + "?"
	}
	return msg
}

// Severities of a finding.
const (
	severityError   = "error"
	severityWarning = "warning"
)

// finding is one problem of a check as the json and github formats report
// it: what config.Problem holds, and whether it is an error or a warning.
type finding struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Path     string `json:"path"`
	Message  string `json:"message"`
	// inFile: File names a file that was read, not the embedded default;
	// only such a finding can be annotated on a file.
	inFile bool
}

func newFindings(ps []multienv.Problem, severity string, inFile bool) []finding {
	out := make([]finding, len(ps))
	for i, p := range ps {
		out[i] = finding{File: p.File, Line: p.Line, Column: p.Col, Severity: severity, Path: p.Path,
			Message: p.Message, inFile: inFile && p.File != ""}
	}
	return out
}

// reportFailure reports, in format (json or github), a configuration that
// could not be found or loaded: its problems, or err as one problem of
// file ("" when there is no file to name). It returns exitConfig.
func (e *env) reportFailure(format, file string, err error) int {
	var fs []finding
	var ce *multienv.ConfigError
	if errors.As(err, &ce) {
		fs = newFindings(ce.Problems, severityError, file != "")
	}
	if len(fs) == 0 {
		fs = []finding{{File: file, Severity: severityError, Message: err.Error(), inFile: file != ""}}
	}
	e.printFindings(format, fs, "problem")
	return exitConfig
}

// reportChecked reports, in format (json or github), the warnings of a
// configuration that loaded. With strict, any warning fails the check:
// the reason goes to stderr, and the exit status is exitConfig. On
// success, the github format ends with the ok line check prints as text;
// json prints nothing but the array.
func (e *env) reportChecked(format string, cfg *multienv.Config, fromFile, strict bool) int {
	warnings := cfg.Warnings()
	e.printFindings(format, newFindings(warnings, severityWarning, fromFile), "warning")
	if strict && len(warnings) > 0 {
		e.strictFailure(cfg, len(warnings))
		return exitConfig
	}
	if format == formatGitHub {
		e.checkOK(cfg)
	}
	return exitOK
}

// printFindings prints fs on stdout: one JSON array (all of them, [] when
// there are none), or one workflow command a finding (at most maxProblems,
// then how many more, with noun).
func (e *env) printFindings(format string, fs []finding, noun string) {
	if format == formatJSON {
		if fs == nil {
			fs = []finding{}
		}
		e.writeJSON(fs)
		return
	}
	for i, f := range fs {
		if i == maxProblems {
			fmt.Fprintf(e.stdout, "::%s::%s\n", f.Severity, escapeData("... and "+plural(len(fs)-i, "more "+noun), text.MaxLine))
			return
		}
		fmt.Fprintln(e.stdout, githubCommand(f, e.dir))
	}
}

// maxGitHubFile bounds the file= property, in bytes of its escaped form.
const maxGitHubFile = 4 * text.MaxQuoted

// githubCommand formats f as a GitHub Actions workflow command:
//
//	::error file=F,line=L,col=C,title=resolver check::PATH: MESSAGE
//
// (::warning for a warning). line and col are left out when unknown, as
// check's text lines leave them out, and file when f is about no file. The
// file is relative to dir when it lies under it, as GitHub expects a path
// in the repository from a step run at its root. The line is at most
// text.MaxLine bytes.
func githubCommand(f finding, dir string) string {
	var props []string
	if f.inFile {
		props = append(props, "file="+escapeProperty(relativeTo(dir, f.File), maxGitHubFile))
	}
	if f.Line > 0 {
		props = append(props, "line="+strconv.Itoa(f.Line))
		if f.Column > 0 {
			props = append(props, "col="+strconv.Itoa(f.Column))
		}
	}
	props = append(props, "title=resolver check")
	head := "::" + f.Severity + " " + strings.Join(props, ",") + "::"
	msg := f.Message
	if f.Path != "" {
		msg = f.Path + ": " + msg
	}
	return head + escapeData(msg, text.MaxLine-len(head))
}

// relativeTo returns file relative to dir when it is an absolute path
// under dir, else file as it is.
func relativeTo(dir, file string) string {
	if dir == "" || !filepath.IsAbs(file) {
		return file
	}
	rel, err := filepath.Rel(dir, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return file
	}
	return rel
}

// escapeData escapes a workflow command's message as GitHub's
// actions/toolkit does (command.ts, escapeData): % as %25, CR as %0D, LF
// as %0A, which the runner turns back. See escapeWorkflow for the rest.
func escapeData(s string, limit int) string { return escapeWorkflow(s, false, limit) }

// escapeProperty escapes a workflow command's property value as
// actions/toolkit does (command.ts, escapeProperty): as escapeData, and :
// as %3A and , as %2C.
func escapeProperty(s string, limit int) string { return escapeWorkflow(s, true, limit) }

// escapeWorkflow is escapeData, or escapeProperty when property is true.
// Beyond what actions/toolkit escapes, every byte of a rune the output rule
// rejects (text.Unsafe: other control characters, bidirectional controls)
// and every invalid byte is written as %XX, which the runner leaves as it
// is: no raw control character reaches the log, and since % itself is
// escaped, nothing is taken for another escape. The result is cut to at
// most limit bytes, never inside an escape, and then ends with
// text.Ellipsis.
func escapeWorkflow(s string, property bool, limit int) string {
	var b strings.Builder
	b.Grow(len(s))
	ends := make([]int, 0, len(s)) // where each escaped unit ends in b
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		raw := s[i : i+size]
		switch {
		case r == '%':
			b.WriteString("%25")
		case r == '\r':
			b.WriteString("%0D")
		case r == '\n':
			b.WriteString("%0A")
		case property && r == ':':
			b.WriteString("%3A")
		case property && r == ',':
			b.WriteString("%2C")
		case r == utf8.RuneError && size == 1, text.Unsafe(r):
			for j := 0; j < len(raw); j++ {
				fmt.Fprintf(&b, "%%%02X", raw[j])
			}
		default:
			b.WriteString(raw)
		}
		ends = append(ends, b.Len())
		i += size
	}
	out := b.String()
	if len(out) <= limit {
		return out
	}
	n := 0
	for _, end := range ends {
		if end > limit-len(text.Ellipsis) {
			break
		}
		n = end
	}
	return out[:n] + text.Ellipsis
}
