package main

import (
	"errors"
	"fmt"
	"path/filepath"
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

// failure reports a configuration that could not be found or loaded: its
// problems, or err as one problem of file ("" for none), on stderr as
// text, else on stdout, as the report asked for. It returns exitConfig.
func (c *checker) failure(file string, err error) int {
	if c.format == formatText {
		c.configError(err, "")
		return exitConfig
	}
	ps := []multienv.Problem{{File: file, Severity: multienv.SeverityError, Message: err.Error()}}
	var ce *multienv.ConfigError
	if errors.As(err, &ce) && len(ce.Problems) > 0 {
		ps = ce.Problems
	}
	c.findings(ps, file != "")
	return exitConfig
}

// checked reports the warnings of a configuration that loaded. With
// strict, any warning fails the check, saying why on stderr. On success,
// text and github end with the ok line; json adds only to the report.
func (c *checker) checked(cfg *multienv.Config, fromFile bool) int {
	warnings := cfg.Warnings()
	if c.format == formatText {
		c.problems(warnings, "", "warning: ", "warning")
	} else if code := c.findings(warnings, fromFile); code != exitOK {
		return code
	}
	if c.strict && len(warnings) > 0 {
		return c.fail(exitConfig, "%s: %s, and --strict fails on any", text.Path(cfg.File()), plural(len(warnings), "warning"))
	}
	if c.format != formatJSON {
		c.oks = append(c.oks, fmt.Sprintf("%s: ok: %s, %s, %s\n", text.Path(cfg.File()),
			plural(len(cfg.Environments()), "environment"), plural(len(cfg.Runtimes()), "runtime"), plural(len(cfg.Rules()), "rule")))
	}
	return exitOK
}

// findings adds ps to the JSON report, or prints them on stdout as data,
// whole, one workflow command a problem, every one (as json has them all).
// fromFile: the problems are of a file that was read, not the embedded
// default, so they are annotated on it.
func (c *checker) findings(ps []multienv.Problem, fromFile bool) int {
	if c.format == formatJSON {
		c.report = append(c.report, ps...)
		return exitOK
	}
	var b strings.Builder
	for _, p := range ps {
		for _, s := range []string{p.File, p.Path, p.Message} {
			if len(s) > text.MaxData {
				return c.fail(exitConfig, "check: a finding of %d bytes, more than the %d printed whole", len(s), text.MaxData)
			}
			if !utf8.ValidString(s) {
				return c.fail(exitConfig, "check: %s is not valid UTF-8, which GitHub's runner cannot read back exactly", text.Quote(s))
			}
		}
		p, dir := c.annotated(p)
		b.WriteString(githubCommand(p, fromFile && p.File != "", dir) + "\n")
	}
	return c.data([]byte(b.String()))
}

// githubCommand formats p as a GitHub Actions workflow command,
// ::error file=F,line=L,col=C,title=resolver check::PATH: MESSAGE (or
// ::warning), without line and col when unknown, as the text lines, nor
// file unless inFile; F is relative to dir when under it, as GitHub expects.
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
	msg := p.Message
	if p.Path != "" {
		msg = p.Path + ": " + msg
	}
	return "::" + p.Severity + " " + strings.Join(props, ",") + "::" + escapeData(msg)
}

// annotated returns p and the directory its file is named relative to:
// the workspace, GITHUB_WORKSPACE, when set, as the runner reads a relative
// file= from it and makes an absolute one relative to it (so a check run in
// a subdirectory annotates the right file), with a relative file joined to
// the working directory; else the working directory.
func (c *checker) annotated(p multienv.Problem) (multienv.Problem, string) {
	ws, _ := c.lookup("GITHUB_WORKSPACE")
	if !filepath.IsAbs(ws) {
		return p, c.dir
	}
	if p.File != "" && !filepath.IsAbs(p.File) && c.dir != "" {
		p.File = filepath.Join(c.dir, p.File)
	}
	return p, filepath.Clean(ws)
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

// escapeData and escapeProperty escape a workflow command's message and
// property values as GitHub's actions/toolkit does (command.ts), and the
// runner turns back exactly these: a file name comes back as it is, tab,
// U+2028 or bidirectional control included.
var (
	escapeData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace
	escapeProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace
)
