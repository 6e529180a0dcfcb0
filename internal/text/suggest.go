package text

import (
	"slices"
	"strconv"
	"strings"
)

// Normalize is how a value is compared with the names it may have meant:
// lower-cased, without surrounding space.
func Normalize(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// DidYouMean is how every message offers what was probably meant:
// "; did you mean "s"?", or "" when s is "".
func DidYouMean(s string) string {
	if s == "" {
		return ""
	}
	return "; did you mean " + Quote(s) + "?"
}

// MaxHints bounds the hints one check looks for, as many as the problems
// check prints, so that a file of 50,000 wrong names costs only its size.
const MaxHints = 50

// List joins names with commas, the first limit of them and at most
// maxList bytes of them, escaped, then says how many more there are ("a, b
// and 3 more"), so that a message stays one short line however many names
// a file declares, and however long.
func List(names []string, limit int) string {
	n, size := 0, 0
	for n < len(names) && n < limit && (n == 0 || size+2+len(names[n]) <= maxList) {
		size += 2 + len(names[n])
		n++
	}
	if n == len(names) {
		return Escape(strings.Join(names, ", "))
	}
	return Escape(strings.Join(names[:n], ", ")) + " and " + strconv.Itoa(len(names)-n) + " more"
}

// maxList is the most bytes of names List joins, past the first: with the
// rest of a message, a line stays under MaxLine.
const maxList = 400

// maxSuggestFor is the longest value Closest looks at: a longer one is no
// misspelling.
const maxSuggestFor = 4 * MaxQuoted

// Closest returns the candidate nearest to s, for a "did you mean" hint: the
// candidate equal to s once normalized, else the first s is a prefix of
// (for s of two or more characters), else the nearest within one edit for s
// of up to four characters and two edits for a longer s; else "". It
// allocates nothing and skips every candidate whose length rules it out.
func Closest(s string, candidates []string) string {
	if len(s) > maxSuggestFor {
		return ""
	}
	norm := Normalize(s) // may be longer than s: lower-case Ⱥ takes 3 bytes, not 2
	if len(norm) > maxSuggestFor {
		return ""
	}
	if slices.Contains(candidates, norm) {
		return norm
	}
	if len(norm) >= 2 {
		if i := slices.IndexFunc(candidates, func(c string) bool { return strings.HasPrefix(c, norm) }); i >= 0 {
			return candidates[i]
		}
	}
	// limit is the distance a candidate must stay within: a short name that
	// differs in two places is another name (prd is not prow).
	best, limit := "", 2
	if len(norm) <= 4 {
		limit = 1
	}
	var buf [3 * (maxSuggestFor + 3)]int
	for _, c := range candidates {
		if len(c) > len(norm)+limit || len(norm) > len(c)+limit {
			continue
		}
		if d := distanceWithin(norm, c, limit, buf[:]); d <= limit && d < len(c) && d < len(norm) {
			best, limit = c, d-1
		}
	}
	return best
}

// distanceWithin returns the edit distance between a and b, in bytes,
// counting an insertion, a deletion, a substitution and a swap of two
// neighbours as one edit each (whne is one edit from when), when it is at
// most k, else k+1. It stops as soon as every way on costs more than k.
// buf must hold 3*(len(b)+1) ints.
func distanceWithin(a, b string, k int, buf []int) int {
	n := len(b) + 1
	before, prev, cur := buf[:n], buf[n:2*n], buf[2*n:3*n]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			d := min(prev[j], cur[j-1], prev[j-1]) + 1
			if a[i-1] == b[j-1] {
				d = min(d, prev[j-1])
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, before[j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if rowMin > k {
			return k + 1
		}
		before, prev, cur = prev, cur, before
	}
	return min(prev[len(b)], k+1)
}
