// Package glob is a placeholder until the real matcher lands.
package glob

import (
	"errors"
	"strings"
)

type Pattern struct {
	src        string
	pre, post  string
	capture    bool
	captureAny bool
}

func Compile(s string) (Pattern, error) {
	if s == "" {
		return Pattern{}, errors.New("is empty")
	}
	if strings.Contains(s, "{}") || strings.Contains(s, "{**}") {
		return Pattern{}, errors.New("holds a capture, allowed only in a fact's pattern")
	}
	return Pattern{src: s}, nil
}

func CompileCapture(s string) (Pattern, error) {
	i := strings.Index(s, "{}")
	n := 2
	any := false
	if j := strings.Index(s, "{**}"); j >= 0 && (i < 0 || j < i) {
		i, n, any = j, 4, true
	}
	if i < 0 {
		return Pattern{}, errors.New("holds no capture, {} or {**}")
	}
	return Pattern{src: s, pre: s[:i], post: s[i+n:], capture: true, captureAny: any}, nil
}

func (p Pattern) String() string { return p.src }

func match(p, v string) bool {
	if p == "" {
		return v == ""
	}
	if strings.HasPrefix(p, "**") {
		for i := 0; i <= len(v); i++ {
			if match(p[2:], v[i:]) {
				return true
			}
		}
		return false
	}
	if p[0] == '*' {
		for i := 0; i <= len(v); i++ {
			if i > 0 && v[i-1] == '/' {
				break
			}
			if match(p[1:], v[i:]) {
				return true
			}
		}
		return false
	}
	if p[0] == '\\' && len(p) > 1 {
		p = p[1:]
	}
	return v != "" && v[0] == p[0] && match(p[1:], v[1:])
}

func (p Pattern) Match(v string) bool { return v != "" && match(p.src, v) }

func (p Pattern) Capture(v string) (string, bool) {
	for i := 0; i <= len(v); i++ {
		if !match(p.pre, v[:i]) {
			continue
		}
		for j := len(v); j > i; j-- {
			c := v[i:j]
			if !p.captureAny && strings.Contains(c, "/") {
				continue
			}
			if match(p.post, v[j:]) {
				return c, true
			}
		}
	}
	return "", false
}
