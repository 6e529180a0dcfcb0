package config

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/multienv/multienv/internal/text"
)

// checkText rejects, in names, emoji and descriptions, what the output rule
// cannot show as written: control characters (C0, tab and newline included,
// DEL, C1), invalid UTF-8 and bidirectional controls. Output escapes them
// anyway; rejecting them means a file shows as written, each on one line.
func (ck *checker) checkText(cfg *Config) {
	for i, e := range cfg.Envs {
		ptr := fmt.Sprintf("/envs/%d", i)
		ck.printable(ptr+"/name", e.Name)
		ck.printable(ptr+"/emoji", e.Emoji)
		ck.printable(ptr+"/description", e.Description)
	}
	for i, r := range cfg.Runtimes {
		if r.Origin == CatalogOrigin {
			break // the catalog's runtimes come after the file's own
		}
		ptr := fmt.Sprintf("/runtimes/%d", i)
		ck.printable(ptr+"/name", r.Name)
		ck.printable(ptr+"/description", r.Description)
	}
	for i, r := range cfg.Rules {
		ck.printable(fmt.Sprintf("/rules/%d/name", i), r.Name)
	}
}

// printable reports s, the value at ptr, when it holds a rune the output
// rule would have to escape, naming the first.
func (ck *checker) printable(ptr, s string) {
	if text.IsSafe(s) {
		return
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"): // not a U+FFFD as written
			ck.report(ptr, false, "is not valid UTF-8 (byte %#x at byte %d); names, emoji and descriptions are printable text", s[i], i)
		case r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029:
			ck.report(ptr, false, "holds a line break (%s at byte %d): names, emoji and descriptions are one line", strconv.QuoteRuneToASCII(r), i)
		case text.Unsafe(r) && (r < 0x20 || r >= 0x7f && r <= 0x9f):
			ck.report(ptr, false, "holds a control character (%s at byte %d), which a terminal would act on; names, emoji and descriptions are printable text on one line", strconv.QuoteRuneToASCII(r), i)
		case text.Unsafe(r):
			ck.report(ptr, false, "holds a bidirectional control (%s at byte %d), which reorders text on screen; names, emoji and descriptions are printable text on one line", strconv.QuoteRuneToASCII(r), i)
		default:
			continue
		}
		return // the first such rune is enough
	}
}
