package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/multienv/multienv/internal/text"
)

// maxProblems is how many problems one command prints; the rest are
// counted on one more line.
const maxProblems = 50

// lines is the one way text reaches stdout and stderr: it writes whole
// lines, each cut to text.MaxLine bytes, and escapes any control character,
// invalid UTF-8 or bidirectional control left in one, so that no line can
// drive the terminal or grow without bound. The fields of a line are
// escaped where they are formatted (text.Escape, text.Path, text.Quote), as
// only there a newline is told from data; this is the net below them. The
// colour codes the command itself writes (ESC [ digits m) pass when colour
// is on.
type lines struct {
	w     io.Writer
	color bool
	buf   []byte
}

func newLines(w io.Writer, color bool) *lines { return &lines{w: w, color: color} }

// Write buffers p and writes every complete line in it.
func (l *lines) Write(p []byte) (int, error) {
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			break
		}
		if err := l.writeLine(l.buf[:i], true); err != nil {
			return len(p), err
		}
		l.buf = l.buf[i+1:]
	}
	return len(p), nil
}

// Flush writes what is left of an unfinished line.
func (l *lines) Flush() error {
	if len(l.buf) == 0 {
		return nil
	}
	err := l.writeLine(l.buf, false)
	l.buf = nil
	return err
}

func (l *lines) writeLine(line []byte, newline bool) error {
	out := cutLine(safeLine(string(line), l.color), text.MaxLine)
	if newline {
		out += "\n"
	}
	_, err := io.WriteString(l.w, out)
	return err
}

// safeLine escapes what text.Escape escapes, except, when color is true,
// the colour codes ESC [ digits m.
func safeLine(s string, color bool) string {
	if text.IsSafe(s) {
		return s
	}
	var b []byte
	for len(s) > 0 {
		n := len(s)
		if i := indexESC(s); i >= 0 {
			n = i
		}
		b = append(b, text.Escape(s[:n])...)
		s = s[n:]
		if s == "" {
			break
		}
		if k := sgrLen(s); color && k > 0 {
			b = append(b, s[:k]...)
			s = s[k:]
		} else {
			b = append(b, `\x1b`...)
			s = s[1:]
		}
	}
	return string(b)
}

func indexESC(s string) int { return strings.IndexByte(s, 0x1b) }

// sgrLen is the length of the colour code s starts with (ESC [ digits and
// semicolons m), or 0.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s) && i < 16; i++ {
		switch c := s[i]; {
		case c == 'm':
			return i + 1
		case c == ';' || c >= '0' && c <= '9':
		default:
			return 0
		}
	}
	return 0
}

// cutLine cuts an escaped line to at most limit bytes (text.Cut), never
// inside a colour code; a cut line that holds one ends by resetting it.
func cutLine(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	const reset = "\x1b[0m"
	if indexESC(s) < 0 {
		return text.Cut(s, limit)
	}
	cut := text.Cut(s, limit-len(reset))
	kept := cut[:len(cut)-len(text.Ellipsis)]
	// Drop a colour code the cut went through.
	if i := strings.LastIndexByte(kept, 0x1b); i >= 0 && sgrLen(kept[i:]) == 0 {
		kept = kept[:i]
	}
	return kept + text.Ellipsis + reset
}

// maxJSONString is the longest JSON string jsonSafe leaves whole, in bytes
// of its encoding.
const maxJSONString = text.MaxValueLine

// jsonSafe applies the output rule to encoded JSON without changing its
// meaning for any value that fits: DEL, C1 controls, bidirectional
// controls and line separators (which encoding/json leaves raw; it escapes
// C0 and invalid UTF-8 itself) are written as \uXXXX, and a string longer
// than maxJSONString is cut and ends with text.Ellipsis. In JSON text
// these runes can only stand inside strings, where the escape means the
// same rune.
func jsonSafe(data []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(data))
	in, n, cut := false, 0, false
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case !in:
			b.WriteByte(c)
			in, n, cut = c == '"', 0, false
			i++
			continue
		case c == '"':
			if cut {
				b.WriteString(text.Ellipsis)
			}
			b.WriteByte(c)
			in = false
			i++
			continue
		}
		// One unit of string content: an escape, or a rune.
		size := 1
		r := rune(c)
		if c == '\\' {
			size = 2
			if i+1 < len(data) && data[i+1] == 'u' {
				size = 6
			}
		} else if c >= 0x80 {
			r, size = utf8.DecodeRune(data[i:])
		}
		unit := data[i:min(i+size, len(data))]
		if r >= 0x7f && text.Unsafe(r) {
			unit = fmt.Appendf(nil, `\u%04x`, r)
		}
		if n+len(unit) > maxJSONString-len(text.Ellipsis) {
			cut = true
		}
		if !cut {
			b.Write(unit)
			n += len(unit)
		}
		i += size
	}
	return b.Bytes()
}
