package config

import (
	"fmt"
	"slices"
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
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			ck.report(ptr, false, "is not valid UTF-8 (byte %#x at byte %d); names, emoji and descriptions are printable text", s[i], i)
		case r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029:
			ck.report(ptr, false, "holds a line break (%s at byte %d): names, emoji and descriptions are one line", strconv.QuoteRuneToASCII(r), i)
		case text.Unsafe(r) && (r < 0x20 || r >= 0x7f && r <= 0x9f):
			ck.report(ptr, false, "holds a control character (%s at byte %d), which a terminal would act on; names, emoji and descriptions are printable text on one line", strconv.QuoteRuneToASCII(r), i)
		case text.Unsafe(r):
			ck.report(ptr, false, "holds a bidirectional control (%s at byte %d), which reorders text on screen; names, emoji and descriptions are printable text on one line", strconv.QuoteRuneToASCII(r), i)
		default:
			i += size
			continue
		}
		return // the first such rune is enough
	}
}

// checkSecrets reports a variable named like a secret where what it holds
// would be printed: in a rule's from an error, as a fact source or the
// runtime variable a warning. The resolver never reads such a from variable
// or fact source, nor prints the runtime variable's value; the problem says
// why the setting cannot work.
func (ck *checker) checkSecrets(cfg *Config) {
	if text.IsSecretName(cfg.RuntimeVariable) {
		ck.warn("/runtime_variable", false,
			"%s is named like a secret: a runtime name that is not known is quoted in the error, so the resolver never prints this one; force the runtime with another variable", text.Quote(cfg.RuntimeVariable))
	}
	for i, r := range cfg.Rules {
		for j, v := range r.From {
			if text.IsSecretName(v) {
				ck.report(fmt.Sprintf("/rules/%d/from/%d", i, j), false,
					"%s is named like a secret: what from reads is the answer, printed by current, export and the Action, so such a variable is never read; read the environment from another variable", text.Quote(v))
			}
		}
	}
	for i, rt := range cfg.Runtimes {
		if rt.Origin == CatalogOrigin {
			break
		}
		for f, srcs := range rt.Facts {
			for j, src := range srcs {
				vars, key := src.Vars(), Fact(f).Key()
				if k := slices.IndexFunc(vars, text.IsSecretName); k >= 0 {
					ck.warn(fmt.Sprintf("/runtimes/%d/%s/%d", i, key, j), false,
						"%s is named like a secret: a %s is printed (by explain and current --json), so this variable is never read as one", text.Quote(vars[k]), strings.ReplaceAll(key, "_", " "))
				}
			}
		}
	}
}
