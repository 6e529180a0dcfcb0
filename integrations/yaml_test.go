package integrations_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// parseYAML reads the block-style YAML of the hook files in this
// repository: mappings, sequences, plain and quoted scalars, comments and
// literal block scalars (| and |-). A value is a string, a map[string]any or
// a []any. Anything else (flow collections, anchors, tags, folded scalars,
// tabs, duplicate keys, a plain scalar holding ": ") is an error, so that
// a file this reader misreads fails the test instead of passing it.
func parseYAML(src string) (any, error) {
	p := &yamlParser{lines: strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")}
	if i, text, ok := p.peek(); ok && i == 0 && text == "---" {
		p.n++
	}
	v, err := p.block(0)
	if err != nil {
		return nil, err
	}
	if _, text, ok := p.peek(); ok {
		return nil, p.errorf("unexpected %q", text)
	}
	return v, nil
}

type yamlParser struct {
	lines []string
	n     int // the next line
}

func (p *yamlParser) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", p.n+1, fmt.Sprintf(format, args...))
}

// peek returns the indentation and text of the next line that is neither
// blank nor a comment, skipping to it.
func (p *yamlParser) peek() (indent int, text string, ok bool) {
	for ; p.n < len(p.lines); p.n++ {
		line := p.lines[p.n]
		text := strings.TrimLeft(line, " ")
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		return len(line) - len(text), strings.TrimRight(text, " "), true
	}
	return 0, "", false
}

// block reads the node whose lines are indented at least min.
func (p *yamlParser) block(min int) (any, error) {
	indent, text, ok := p.peek()
	if !ok || indent < min {
		return "", nil
	}
	if strings.HasPrefix(text, "\t") {
		return nil, p.errorf("a tab in indentation")
	}
	if text == "-" || strings.HasPrefix(text, "- ") {
		return p.sequence(indent)
	}
	return p.mapping(indent)
}

func (p *yamlParser) sequence(indent int) ([]any, error) {
	var items []any
	for {
		i, text, ok := p.peek()
		// A line that is no item ends the sequence; the caller
		// decides whether it belongs to it.
		if !ok || i < indent || i == indent && !(text == "-" || strings.HasPrefix(text, "- ")) {
			return items, nil
		}
		if i > indent {
			return nil, p.errorf("unexpected indentation")
		}
		rest := strings.TrimLeft(strings.TrimPrefix(text, "-"), " ")
		var item any
		var err error
		switch {
		case rest == "":
			p.n++
			item, err = p.block(indent + 1)
		case isKey(rest):
			// "- key: value": the item is a mapping whose keys are
			// indented as this one is; read the line as if it were one.
			col := len(text) - len(rest)
			p.lines[p.n] = strings.Repeat(" ", indent+col) + rest
			item, err = p.mapping(indent + col)
		default:
			p.n++
			item, err = scalar(rest)
		}
		if err != nil {
			return nil, err
		}
		items = append(items, item)
	}
}

func (p *yamlParser) mapping(indent int) (map[string]any, error) {
	m := map[string]any{}
	for {
		i, text, ok := p.peek()
		if !ok || i < indent {
			return m, nil
		}
		if i > indent {
			return nil, p.errorf("unexpected indentation")
		}
		if !isKey(text) {
			return nil, p.errorf("expected KEY: VALUE, found %q", text)
		}
		key, rest, _ := strings.Cut(text, ":")
		rest = strings.TrimLeft(rest, " ")
		if _, dup := m[key]; dup {
			return nil, p.errorf("duplicate key %q", key)
		}
		p.n++
		var v any
		var err error
		switch {
		case rest == "|" || rest == "|-":
			v = p.literal(indent, rest == "|")
		case rest == "" || strings.HasPrefix(rest, "#"):
			// A nested block; a sequence may sit at the key's own indentation.
			if j, t, ok := p.peek(); ok && j == indent && (t == "-" || strings.HasPrefix(t, "- ")) {
				v, err = p.sequence(indent)
			} else {
				v, err = p.block(indent + 1)
			}
		default:
			v, err = scalar(rest)
		}
		if err != nil {
			return nil, err
		}
		m[key] = v
	}
}

// literal reads the lines of a literal block scalar under a key indented
// indent; clip keeps one final newline, else none.
func (p *yamlParser) literal(indent int, clip bool) string {
	var lines []string
	content := -1
	for ; p.n < len(p.lines); p.n++ {
		line := p.lines[p.n]
		text := strings.TrimLeft(line, " ")
		i := len(line) - len(text)
		if text == "" {
			lines = append(lines, "")
			continue
		}
		if i <= indent || content >= 0 && i < content {
			break
		}
		if content < 0 {
			content = i
		}
		lines = append(lines, line[content:])
	}
	for len(lines) > 0 && strings.TrimLeft(lines[len(lines)-1], " ") == "" {
		lines = lines[:len(lines)-1]
	}
	s := strings.Join(lines, "\n")
	if clip && s != "" {
		s += "\n"
	}
	return s
}

// isKey reports whether text starts a mapping entry: a plain key, then ":"
// and a space or the end of the line.
func isKey(text string) bool {
	key, rest, found := strings.Cut(text, ":")
	if !found || key == "" || rest != "" && rest[0] != ' ' {
		return false
	}
	return !strings.ContainsAny(key, " \t\"'#{}[]&*!|>%@`")
}

// scalar reads a one-line value: plain, single- or double-quoted, with an
// optional comment after it.
func scalar(s string) (string, error) {
	switch s[0] {
	case '"':
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch c := s[i]; c {
			case '"':
				return b.String(), afterScalar(s[i+1:])
			case '\\':
				i++
				if i == len(s) || !strings.ContainsRune(`"\/`, rune(s[i])) {
					return "", fmt.Errorf("unsupported escape in %s", s)
				}
				b.WriteByte(s[i])
			default:
				b.WriteByte(c)
			}
		}
		return "", fmt.Errorf("unterminated string %s", s)
	case '\'':
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			if s[i] != '\'' {
				b.WriteByte(s[i])
				continue
			}
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return b.String(), afterScalar(s[i+1:])
		}
		return "", fmt.Errorf("unterminated string %s", s)
	case '[', '{', '&', '*', '!', '|', '>', '%', '@', '`', '?', ',':
		return "", fmt.Errorf("unsupported value %s", s)
	}
	if s == "-" || strings.HasPrefix(s, "- ") {
		return "", fmt.Errorf("an item where a value belongs: %s", s)
	}
	if i := strings.Index(s, " #"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, " ")
	if strings.Contains(s, ": ") || strings.HasSuffix(s, ":") {
		return "", fmt.Errorf("a plain value holding %q: quote it: %s", ":", s)
	}
	return s, nil
}

// afterScalar checks what follows a quoted value: nothing, or a comment.
func afterScalar(rest string) error {
	rest = strings.TrimLeft(rest, " ")
	if rest != "" && !strings.HasPrefix(rest, "#") {
		return fmt.Errorf("unexpected %q after a quoted value", rest)
	}
	return nil
}

func TestParseYAML(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want any
	}{
		{"mapping", "a: 1\nb: two words # a comment\n", map[string]any{"a": "1", "b": "two words"}},
		{"quoted", `a: "x \"y\" # z"` + "\nb: 'it''s'\nc: \"\"\n", map[string]any{"a": `x "y" # z`, "b": "it's", "c": ""}},
		{"nested", "a:\n  b:\n    c: d\n  e: f\n", map[string]any{"a": map[string]any{"b": map[string]any{"c": "d"}, "e": "f"}}},
		{"sequence of mappings", "# hooks\n- id: x\n  name: y\n- id: z\n", []any{map[string]any{"id": "x", "name": "y"}, map[string]any{"id": "z"}}},
		{"sequence under a key", "steps:\n  - a: 1\n    b: 2\n  - c\n", map[string]any{"steps": []any{map[string]any{"a": "1", "b": "2"}, "c"}}},
		{"sequence at the key's indentation", "steps:\n- a: 1\nnext: x\n", map[string]any{"steps": []any{map[string]any{"a": "1"}}, "next": "x"}},
		{"literal", "run: |\n  echo \"$A\"\n\n    indented # not a comment\nnext: x\n", map[string]any{"run": "echo \"$A\"\n\n  indented # not a comment\n", "next": "x"}},
		{"literal strip", "run: |-\n  a\n  b\n\n", map[string]any{"run": "a\nb"}},
		{"expression", "value: ${{ steps.x.outputs.y }}\n", map[string]any{"value": "${{ steps.x.outputs.y }}"}},
		{"regexp", `files: (^|/)multienv\.toml$` + "\n", map[string]any{"files": `(^|/)multienv\.toml$`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseYAML(tt.src)
			if err != nil {
				t.Fatalf("parseYAML: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseYAML:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestParseYAMLRejects(t *testing.T) {
	tests := []struct{ name, src string }{
		{"flow sequence", "types: [file]\n"},
		{"flow mapping", "with: {a: b}\n"},
		{"anchor", "a: &x b\n"},
		{"folded", "a: >\n  b\n"},
		{"duplicate key", "a: 1\na: 2\n"},
		{"colon in a plain value", "a: b: c\n"},
		{"bad indentation", "a: 1\n  b: 2\n"},
		{"unterminated", "a: \"b\n"},
		{"text after a quote", "a: \"b\" c\n"},
		{"unsupported escape", `a: "\n"` + "\n"},
		{"not a key", "a\n"},
		{"a key after the top sequence", "- a\nb: c\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := parseYAML(tt.src); err == nil {
				t.Errorf("parseYAML(%q) = %#v, want an error", tt.src, got)
			}
		})
	}
}
