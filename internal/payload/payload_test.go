package payload

import (
	"strings"
	"testing"
)

// event is the shape GitHub documents for a pull_request_target webhook
// payload (https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request),
// cut to the fields read here and a few others.
const event = `{
  "action": "opened",
  "number": 7,
  "pull_request": {
    "number": 7,
    "draft": false,
    "title": "Fix \u001b[31mtypo",
    "head": {"ref": "patch-1", "sha": "ffac537e6cbbf934b08745a378932722df287a53", "repo": {"full_name": "mallory/hello", "fork": true}},
    "base": {"ref": "main", "repo": {"full_name": "octo/hello", "fork": false}},
    "labels": [{"name": "bug"}, {"name": "docs"}],
    "milestone": null,
    "ratio": 1.5,
    "big": 12345678901234567890
  }
}`

func TestField(t *testing.T) {
	doc, err := Parse([]byte(event))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{"number", "7"},
		{"pull_request.number", "7"},
		{"pull_request.head.ref", "patch-1"},
		{"pull_request.head.repo.full_name", "mallory/hello"},
		{"pull_request.base.repo.full_name", "octo/hello"},
		{"pull_request.head.repo.fork", "true"},
		{"pull_request.draft", "false"},
		{"pull_request.title", "Fix \x1b[31mtypo"}, // data as it is; output escapes it
		{"pull_request.labels.1.name", "docs"},
		{"pull_request.labels.2.name", ""},
		{"pull_request.labels.01.name", ""},
		{"pull_request.labels.-1.name", ""},
		{"pull_request.labels.x", ""},
		{"pull_request.milestone", ""},
		{"pull_request.milestone.title", ""},
		{"pull_request.ratio", ""},
		{"pull_request.big", ""},
		{"pull_request.head", ""},
		{"pull_request.labels", ""},
		{"pull_request.number.x", ""},
		{"missing", ""},
		{"action.length", ""},
	} {
		if got := doc.Field(MustPath(tc.path)); got != tc.want {
			t.Errorf("Field(%s) = %q, want %q", tc.path, got, tc.want)
		}
	}
	var none *Doc
	if got := none.Field(MustPath("number")); got != "" {
		t.Errorf("nil Doc: %q", got)
	}
}

func TestParseRefuses(t *testing.T) {
	for _, data := range []string{"", "null", "[]", `"x"`, "{", `{"a":1} {"b":2}`, `{"a":1}x`, strings.Repeat("[", 20000) + strings.Repeat("]", 20000)} {
		if _, err := Parse([]byte(data)); err == nil {
			t.Errorf("Parse(%.40q): no error", data)
		}
	}
	if _, err := Parse([]byte("{\"a\": 1}\n")); err != nil {
		t.Errorf("a trailing newline: %v", err)
	}
}

func TestParsePath(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"", "is empty"},
		{"a..b", "has an empty key: keys are separated by single dots (pull_request.number)"},
		{".a", "has an empty key: keys are separated by single dots (pull_request.number)"},
		{"a.b c", `has a key "b c" with ' ': a key holds letters, digits, _ and -`},
		{"a/b", `has a key "a/b" with '/': a key holds letters, digits, _ and -`},
		{strings.Repeat("a", 257), "is longer than 256 characters"},
	} {
		if _, err := ParsePath(tc.path); err == nil || err.Error() != tc.want {
			t.Errorf("ParsePath(%.20q): %v; want %q", tc.path, err, tc.want)
		}
	}
	if p, err := ParsePath("pull_request.head.repo.full_name"); err != nil || p.String() != "pull_request.head.repo.full_name" {
		t.Errorf("got %v, %v", p, err)
	}
}

func FuzzField(f *testing.F) {
	f.Add([]byte(event), "pull_request.head.repo.full_name")
	f.Add([]byte(`{"a":[1,{"b":true}]}`), "a.1.b")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		p, err := ParsePath(path)
		if err != nil {
			return
		}
		doc, err := Parse(data)
		if err != nil {
			return
		}
		doc.Field(p) // must not panic
	})
}
