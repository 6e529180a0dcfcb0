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
const formatText, formatJSON, formatGitHub = "text", "json", "github"

var formats = []string{formatText, formatJSON, formatGitHub}

// choiceProblem words a --format value that is none of formats.
func choiceProblem(name string, formats []string) string {
	if slices.Contains(formats, name) {
		return ""
	}
	return "invalid value " + text.Quote(name) + " for --format; allowed: " + strings.Join(formats, ", ") + text.DidYouMean(text.Closest(name, formats))
}

// failure reports a configuration that could not be found or loaded: its
// problems, or err as one problem of file ("" when there is no file to
// name). The text format prints them on stderr, the others on stdout:
// there, the report is the output asked for, even on failure. It returns
// exitConfig.
func (c *checker) failure(file string, err error) int {
	if c.format == formatText {
		c.configError(err, "")
		return exitConfig
	}
	var ps []multienv.Problem
	var ce *multienv.ConfigError
	if errors.As(err, &ce) {
		ps = ce.Problems
	}
	if len(ps) == 0 {
		ps = []multienv.Problem{{File: file, Severity: multienv.SeverityError, Message: err.Error()}}
	}
	c.findings(ps, file != "", "problem")
	return exitConfig
}

// checked reports the warnings of a configuration that loaded: as text on
// stderr, or on stdout. With strict, any warning fails the check: the
// reason goes to stderr, and the exit status is exitConfig. On success,
// text and github end with the ok line; json adds only to the report.
func (c *checker) checked(cfg *multienv.Config, fromFile bool) int {
	warnings := cfg.Warnings()
	if c.format == formatText {
		c.problems(warnings, "", "warning: ", "warning")
	} else if code := c.findings(warnings, fromFile, "warning"); code != exitOK {
		return code
	}
	if c.strict && len(warnings) > 0 {
		c.errorf("%s: %s, and --strict fails on any", text.Path(cfg.File()), plural(len(warnings), "warning"))
		return exitConfig
	}
	if c.format != formatJSON {
		fmt.Fprintf(c.stdout, "%s: ok: %s, %s, %s\n", text.Path(cfg.File()),
			plural(len(cfg.Environments()), "environment"), plural(len(cfg.Runtimes()), "runtime"), plural(len(cfg.Rules()), "rule"))
	}
	return exitOK
}

// findings adds ps to the JSON report, or prints them on stdout, one
// workflow command a problem (at most maxProblems, then how many more,
// with noun). Both are data: whole, never cut. fromFile says the problems
// are of a file that was read, not of the embedded default: only those can
// be annotated on a file.
func (c *checker) findings(ps []multienv.Problem, fromFile bool, noun string) int {
	if c.format == formatJSON {
		c.report = append(c.report, ps...)
		return exitOK
	}
	var b strings.Builder
	for i, p := range ps {
		if i == maxProblems {
			fmt.Fprintf(&b, "::%s::%s\n", p.Severity, escapeData("... and "+plural(len(ps)-i, "more "+noun)))
			break
		}
		for _, s := range []string{p.File, p.Path, p.Message} {
			if len(s) > text.MaxData {
				c.errorf("check: a finding of %d bytes, more than the %d printed whole", len(s), text.MaxData)
				return exitConfig
			}
			if !utf8.ValidString(s) {
				c.errorf("check: %s is not valid UTF-8, which GitHub's runner cannot read back exactly", text.Quote(s))
				return exitConfig
			}
		}
		b.WriteString(githubCommand(p, fromFile && p.File != "", c.dir) + "\n")
	}
	return c.data([]byte(b.String()))
}

// githubCommand formats p as a GitHub Actions workflow command:
//
//	::error file=F,line=L,col=C,title=resolver check::PATH: MESSAGE
//
// (::warning for a warning). line and col are left out when unknown, as
// check's text lines leave them out, and file unless inFile: p is about a
// file that was read. The file is relative to dir when it lies under it,
// as GitHub expects a path in the repository from a step run at its root.
func githubCommand(p multienv.Problem, inFile bool, dir string) string {
	var props []string
	if inFile {
		props = append(props, "file="+escapeProperty(relativeTo(dir, p.File)))
	}
	if p.Line > 0 {
		props = append(props, "line="+strconv.Itoa(p.Line))
		if p.Col > 0 {
			props = append(props, "col="+strconv.Itoa(p.Col))
		}
	}
	props = append(props, "title=resolver check")
	head := "::" + p.Severity + " " + strings.Join(props, ",") + "::"
	msg := p.Message
	if p.Path != "" {
		msg = p.Path + ": " + msg
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
func escapeData(s string) string { return dataEscaper.Replace(s) }

// escapeProperty escapes a workflow command's property value as
// actions/toolkit does (command.ts, escapeProperty): as escapeData, and :
// as %3A and , as %2C. The runner unescapes exactly these, so a file name
// comes back as it is, tab, U+2028 or bidirectional control included.
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)
