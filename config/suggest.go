package config

import "strings"

// Closest returns the candidate nearest to s, for a "did you mean" hint: an
// exact match once case and surrounding space are dropped, else a candidate
// s is a prefix of, else the nearest within two edits. It returns "" when
// none is close.
func Closest(s string, candidates []string) string {
	if len(s) > 4*MaxQuoted {
		return ""
	}
	norm := strings.ToLower(strings.TrimSpace(s))
	best, bestDist := "", 3
	for _, c := range candidates {
		if c == norm {
			return c
		}
	}
	for _, c := range candidates {
		if len(norm) >= 2 && strings.HasPrefix(c, norm) {
			return c
		}
	}
	for _, c := range candidates {
		if d := distance(norm, c); d < bestDist && d < len(c) && d < len(norm) {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
