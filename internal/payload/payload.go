// Package payload reads fields of a CI vendor's event payload: the JSON
// document a vendor writes for the job (GitHub's GITHUB_EVENT_PATH), which
// says what a pull request's number, branches and repositories are where
// no variable does. It reads data only: a field is addressed by a dot path
// (pull_request.head.repo.full_name), and its value is text, a whole number
// or a boolean; anything else, or a path that leads nowhere, gives nothing.
package payload

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/multienv/multienv/internal/position"
)

// Path is a field's place in a payload: the keys (or, for an array, the
// indices) from the top.
type Path struct {
	text string
	keys []string
}

// maxPathLen bounds a dot path, in bytes.
const maxPathLen = 256

// ParsePath reads a dot path of at most maxPathLen bytes; the error says
// what is wrong, after the quoted path.
func ParsePath(s string) (Path, error) {
	switch {
	case s == "":
		return Path{}, errors.New("is empty")
	case len(s) > maxPathLen:
		return Path{}, fmt.Errorf("is longer than %d characters", maxPathLen)
	}
	keys := strings.Split(s, ".")
	for _, k := range keys {
		if k == "" {
			return Path{}, errors.New("has an empty key: keys are separated by single dots (pull_request.number)")
		}
		for i := 0; i < len(k); i++ {
			if c := k[i]; c != '_' && c != '-' && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') {
				return Path{}, fmt.Errorf("has a key %s with %s: a key holds letters, digits, _ and -", strconv.Quote(k), strconv.QuoteRune(rune(c)))
			}
		}
	}
	return Path{text: s, keys: keys}, nil
}

// MustPath reads a path known to be valid, such as one of the built-in
// catalog (whose tests check it).
func MustPath(s string) Path {
	p, err := ParsePath(s)
	if err != nil {
		panic("payload path " + s + ": " + err.Error())
	}
	return p
}

// String is the path as written.
func (p Path) String() string { return p.text }

// Doc is a parsed payload.
type Doc struct{ root any }

// Parse reads a payload: one JSON value, a JSON object at the top.
func Parse(data []byte) (*Doc, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("not JSON: more than one value")
	}
	if _, ok := root.(map[string]any); !ok {
		return nil, errors.New("not a JSON object")
	}
	return &Doc{root: root}, nil
}

// Field returns the value at p as text: a string as it is, a whole number
// in digits, a boolean as true or false; "" for anything else (null, a
// fraction, an object, an array) and for a path that leads nowhere. A nil
// Doc has no fields.
func (d *Doc) Field(p Path) string {
	if d == nil || len(p.keys) == 0 {
		return ""
	}
	v, ok := d.root, true
	for _, k := range p.keys {
		if v, ok = position.Step(v, k); !ok {
			return ""
		}
	}
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		if _, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return string(x)
		}
	}
	return ""
}
