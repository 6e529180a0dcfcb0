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
	if code := e.printFindings(format, newFindings(warnings, severityWarning, fromFile), "warning"); code != exitOK {
		return code
	}
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
// then how many more, with noun). Both are data: whole, never cut.
func (e *env) printFindings(format string, fs []finding, noun string) int {
	if format == formatJSON {
		if fs == nil {
			fs = []finding{}
		}
		return e.writeJSON(fs)
	}
	var b strings.Builder
	for i, f := range fs {
		if i == maxProblems {
			fmt.Fprintf(&b, "::%s::%s\n", f.Severity, escapeData("... and "+plural(len(fs)-i, "more "+noun)))
			break
		}
		for _, s := range []string{f.File, f.Path, f.Message} {
			if len(s) > text.MaxData {
				e.errorf("check: a finding of %d bytes, more than the %d printed whole", len(s), text.MaxData)
				return exitConfig
			}
			if !utf8.ValidString(s) {
				e.errorf("check: %s is not valid UTF-8, which GitHub's runner cannot read back exactly", text.Quote(s))
				return exitConfig
			}
		}
		b.WriteString(githubCommand(f, e.dir) + "\n")
	}
	return e.data([]byte(b.String()))
}

// githubCommand formats f as a GitHub Actions workflow command:
//
//	::error file=F,line=L,col=C,title=resolver check::PATH: MESSAGE
//
// (::warning for a warning). line and col are left out when unknown, as
// check's text lines leave them out, and file when f is about no file. The
// file is relative to dir when it lies under it, as GitHub expects a path
// in the repository from a step run at its root.
func githubCommand(f finding, dir string) string {
	var props []string
	if f.inFile {
		props = append(props, "file="+escapeProperty(relativeTo(dir, f.File)))
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
	return head + escapeData(msg)
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

// escapeData escapes a workflow command's message as GitHub documents and
// its actions/toolkit does (command.ts, escapeData): % as %25, CR as %0D,
// LF as %0A, which the runner turns back. Nothing else is changed: the
// runner reads every other character as it is.
func escapeData(s string) string { return escapeWorkflow(s, false) }

// escapeProperty escapes a workflow command's property value as
// actions/toolkit does (command.ts, escapeProperty): as escapeData, and :
// as %3A and , as %2C.
func escapeProperty(s string) string { return escapeWorkflow(s, true) }

// escapeWorkflow is escapeData, or escapeProperty when property is true.
// The runner unescapes exactly these, so a file name comes back as it is,
// tab, U+2028 or bidirectional control included.
func escapeWorkflow(s string, property bool) string {
	r := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	if property {
		r = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
	}
	return r.Replace(s)
}
