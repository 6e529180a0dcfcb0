package config

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/multienv/multienv/internal/position"
	"github.com/multienv/multienv/internal/text"
	"github.com/multienv/multienv/schema"
)

// A file may extend base files (`extends = ["../platform/multienv.toml"]`).
// Each file is read with the passes of one file (readPart); the decoded
// files are merged by name, bases first, and the semantic passes run once on
// the result, each problem routed to the file and position it is at. A file
// may add to and narrow what its bases declare, never weaken it by changing
// an environment's kind, widening or removing an allow, making a base's rule
// yield a protected environment, or adding or replacing a runtime that a
// base's allow admits (the catalog's too, turned back on). No environment
// is removed or renamed.

// Base is a base configuration given as bytes, such as a file a platform
// module embeds: Name is used in messages and as the origin of what it
// declares. It is merged before every base the file names itself.
type Base struct {
	Name string
	Data []byte
}

// maxFiles bounds how many files one configuration is merged from; their
// bytes are bounded, in all, by MaxFileSize, so that merging costs what one
// file of the largest size does.
const maxFiles = 32

// RepositoryRoot returns the nearest directory from dir (absolute and
// clean) up that holds .git, a folder or a file, or "" when none does. It
// looks at nothing but .git names, and stops at a directory anyone may
// write to (OpenToAll): a .git there or above may be a stranger's.
func RepositoryRoot(dir string) (string, error) {
	for d := dir; !OpenToAll(d); d = filepath.Dir(d) {
		_, err := os.Lstat(filepath.Join(d, ".git"))
		switch {
		case err == nil:
			return d, nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", err
		case filepath.Dir(d) == d:
			return "", nil
		}
	}
	return "", nil
}

// part is one file read and decoded; tree and cfg are nil when it cannot be.
type part struct {
	c     *collector
	tree  map[string]any
	cfg   *Config
	bases []*part // the parts it extends, as merged
}

// contrib is where a merged entry was written: its index in a part.
type contrib struct {
	p *part
	i int
}

// section is what the merge keeps of envs, runtimes or rules: the parts
// that wrote each entry, first to last, and the entries' indices by name.
type section struct {
	key, what string // "envs", "environment"
	writers   [][]contrib
	ix        map[string]int
	order     []int // when each entry was placed: added, or moved (moveLast)
	placed    int   // the entries placed so far
	moved     bool
}

// moveLast places entry j after every entry placed so far: a file that
// extends none of its writers re-declared it, and the entry stands where
// that file puts it, not where another file's earlier copy did (reorder).
func (s *section) moveLast(j int) {
	s.order[j], s.placed, s.moved = s.placed, s.placed+1, true
}

// reorder puts the entries of s, list among them, in the order they were
// placed in.
func reorder[T any](s *section, list []T) {
	if !s.moved {
		return
	}
	perm, names := make([]int, len(list)), make([]string, len(list))
	for j := range perm {
		perm[j] = j
	}
	for name, j := range s.ix {
		names[j] = name
	}
	slices.SortFunc(perm, func(a, b int) int { return cmp.Compare(s.order[a], s.order[b]) })
	items, writers := make([]T, len(list)), make([][]contrib, len(list))
	for k, j := range perm {
		items[k], writers[k], s.ix[names[j]] = list[j], s.writers[j], k
	}
	copy(list, items)
	s.writers = writers
}

// merger merges parts into one Config and routes its problems to the files.
type merger struct {
	cfg                   *Config
	judge                 schema.Judge // reads and checks every file merged
	parts                 []*part
	envs, runtimes, rules section
	root                  string // the real path bases must be inside
	bound                 string // what root is, and why bases must be inside it
	seen                  map[string]bool
	byPath                map[string]*part // the parts of bases by real path
	reach                 map[[2]*part]bool
	catalog               []Runtime           // the built-in runtimes, once groupOf needs them
	size                  int                 // the bytes of the files merged, the extending one's included
	pairs                 int                 // the pairs of allow alternatives compared so far (maxNarrowing)
	forcing, catalogOn    turnedOn            // runtime_variable and catalog, guarded after the merge
	redeclared            []redeclared        // rules guarded after the merge
	allows                map[contrib]bool    // the environments written with an allow
	guarding              map[[2]*part]string // guardingEnv, once a pair
}

// turnedOn follows a setting a base may turn off: off is the last file to
// turn it off, and on the last to turn it back on after that; on is nil
// again once a file turns it off, so a set on means the setting ends on.
type turnedOn struct{ off, on *part }

func (t *turnedOn) set(p *part, on bool) {
	switch {
	case !on:
		t.off, t.on = p, nil
	case t.off != nil:
		t.on = p
	}
}

// redeclared is a rule, written at at, that re-declares the one written at
// base, by a file that extends base's or one merged after it.
type redeclared struct{ at, base contrib }

// rule is the rule c wrote.
func (c contrib) rule() *Rule { return &c.p.cfg.Rules[c.i] }

// parseWith parses the file named name with its bases: the Go bases first,
// then those it names, then the file.
func parseWith(name string, data []byte, j schema.Judge, bases []Base) (*Config, error) {
	top, err := readPart(name, data, j)
	if err != nil {
		return nil, err
	}
	_, ext := top.tree["extends"]
	if !ext && len(bases) == 0 {
		return finish(top.c, top.cfg)
	}
	m := &merger{cfg: &Config{File: name, RuntimeVariable: defaultRuntimeVariable, Catalog: true}, judge: j, seen: map[string]bool{}, byPath: map[string]*part{}, reach: map[[2]*part]bool{},
		allows: map[contrib]bool{}, guarding: map[[2]*part]string{},
		envs:     section{key: "envs", what: "environment", ix: map[string]int{}},
		runtimes: section{key: "runtimes", what: "runtime", ix: map[string]int{}},
		rules:    section{key: "rules", what: "rule", ix: map[string]int{}}}
	for i, b := range bases {
		bp, err := readPart(b.Name, b.Data, j)
		top.bases = append(top.bases, bp)
		if _, ext := bp.tree["extends"]; ext {
			bp.c.report("/extends", true, "a base given as bytes (base %d, %s) cannot extend files: give its bases before it instead", i+1, text.Quote(b.Name))
		}
		m.add(bp)
		if err != nil {
			return nil, m.collect()
		}
	}
	if ext && !namesFile(name) {
		top.c.report("/extends", true, "cannot place the bases: %s names no file; give the bytes the name of the file they stand for", text.Quote(name))
	} else if ext {
		// Bytes given with a name may have no file behind them: the name
		// alone places the bases.
		abs, err := filepath.Abs(name)
		if real, lerr := filepath.EvalSymlinks(abs); err == nil && lerr == nil {
			abs = real
		}
		if err == nil {
			m.root, err = RepositoryRoot(filepath.Dir(abs))
		}
		if err != nil {
			top.c.report("/extends", true, "cannot find the repository root the bases must be inside: %s", text.Escape(err.Error()))
		} else {
			m.bound = "the repository root (the nearest directory holding .git): a base must be inside it"
			if m.root == "" {
				m.root = filepath.Dir(abs)
				m.bound = "the file's directory (the file is in no repository, so its bases must be beside or below it)"
			}
			m.seen[abs], m.size = true, len(data)
			m.extends(top, []string{abs})
		}
	}
	m.add(top)
	return m.finish()
}

// namesFile reports whether name can be a file's, whose directory its bases
// are relative to: "", ".", "dir/" and a directory name none.
func namesFile(name string) bool {
	b := filepath.Base(name)
	if name == "" || b == "." || b == ".." || os.IsPathSeparator(name[len(name)-1]) {
		return false
	}
	fi, err := os.Stat(name)
	return err != nil || !fi.IsDir()
}

// collect returns the problems of every part, sorted, or nil.
func (m *merger) collect() error {
	all := &collector{}
	for _, p := range m.parts {
		all.problems = append(all.problems, p.c.problems...)
	}
	return all.failed()
}

// extends reads and merges the bases p names, depth first; stack holds the
// real paths of the files that extend p, p last.
func (m *merger) extends(p *part, stack []string) {
	list, _ := p.tree["extends"].([]any)
	for k, v := range list {
		if rel, _ := v.(string); rel != "" { // else the schema reported it
			if why := m.base(p, rel, stack); why != "" {
				p.c.report("/extends/"+strconv.Itoa(k), false, "base %s %s", text.Quote(rel), why)
			}
		}
	}
}

// base reads and merges rel, a base of p, unless merged already; it returns
// why it cannot, or "".
func (m *merger) base(p *part, rel string, stack []string) string {
	if why := badBaseName(rel); why != "" {
		return why
	}
	// Found from where p really is (the last of stack), as the root is: a
	// file reached through a link names its bases as its author wrote them.
	// A path outside the root is that, whether or not a file is there.
	name := filepath.Join(filepath.Dir(p.c.name), rel)
	target := filepath.Join(filepath.Dir(stack[len(stack)-1]), rel)
	real, err := filepath.EvalSymlinks(target)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	switch {
	case !Inside(m.root, target):
		return "is outside " + text.Path(m.root) + ", " + m.bound
	case err != nil:
		return "cannot be read: " + cause(readError(err))
	case !Inside(m.root, real):
		return "is outside " + text.Path(m.root) + ", " + m.bound
	case slices.Contains(stack, real):
		chain := append(slices.Clone(stack[slices.Index(stack, real):]), real)
		for k := range chain {
			chain[k] = text.Path(chain[k])
		}
		return "makes a cycle: " + strings.Join(chain, " extends ")
	case m.seen[real]:
		if q := m.byPath[real]; q != nil {
			p.bases = append(p.bases, q)
		}
		return "" // merged already, through another file
	case len(m.seen) >= maxFiles:
		return fmt.Sprintf("is one too many: a configuration is merged from at most %d files", maxFiles)
	}
	m.seen[real] = true
	data, err := readFile(real, MaxFileSize)
	if err != nil {
		return "cannot be read: " + cause(err)
	}
	if m.size += len(data); m.size > MaxFileSize {
		return fmt.Sprintf("is too large: with it, the files merged hold %d bytes, and a configuration is merged from at most %d in all, as one file may hold", m.size, MaxFileSize)
	}
	if r, err := filepath.EvalSymlinks(name); err != nil || !samePath(r, real) {
		name = real // p was reached through a link: its bases are named as they are
	}
	bp, _ := readPart(name, data, m.judge) // a part that fails holds its problems
	m.byPath[real], p.bases = bp, append(p.bases, bp)
	m.extends(bp, append(stack, real))
	m.add(bp)
	return ""
}

// samePath reports whether path names real, an absolute path.
func samePath(path, real string) bool {
	abs, err := filepath.Abs(path)
	return err == nil && abs == real
}

// badBaseName says why rel, as written, cannot name a base, or returns "".
func badBaseName(rel string) string {
	if filepath.IsAbs(rel) || strings.HasPrefix(rel, "/") {
		return "is an absolute path: name a base relative to the file that extends it"
	}
	sep := func(r rune) bool { return r < utf8.RuneSelf && os.IsPathSeparator(uint8(r)) }
	if last := rel[strings.LastIndexFunc(rel, sep)+1:]; last == "" || last == "." {
		return "ends as a directory's name does (/ or /.): name the base's file"
	}
	return ""
}

// cause words why a base cannot be read (as readError does) without saying
// so twice: the message quotes the name as the file wrote it.
func cause(err error) string {
	return text.Escape(strings.TrimPrefix(err.Error(), "cannot read the file: "))
}

// Inside reports whether path is root or under it, both clean.
func Inside(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// add appends p to the parts and merges it, unless it has problems,
// reporting in p what weakens its bases.
func (m *merger) add(p *part) {
	m.parts = append(m.parts, p)
	if p.cfg == nil || len(p.c.problems) > 0 {
		return
	}
	c, cfg := p.cfg, m.cfg
	if _, ok := p.tree["runtime_variable"]; ok {
		m.forcing.set(p, c.RuntimeVariable != "")
		cfg.RuntimeVariable = c.RuntimeVariable
	}
	if _, ok := p.tree["catalog"]; ok {
		m.catalogOn.set(p, c.Catalog)
		cfg.Catalog = c.Catalog
	}
	cfg.Files = append(cfg.Files, p.c.name)
	mergeValues(p, &cfg.Values, &cfg.ValueFiles, c.Values, "/values", true)
	envs, _ := p.tree["envs"].([]any) // decoded one for one into c.Envs
	for i, e := range c.Envs {
		raw, _ := envs[i].(map[string]any)
		m.addEnv(p, i, e, raw)
	}
	for i, rt := range c.Runtimes {
		if j, ws := place(&m.runtimes, &cfg.Runtimes, rt, rt.Name, p, i); ws != nil {
			cfg.Runtimes[j] = rt
			if _, ok := m.lastExtended(p, ws); !ok {
				m.runtimes.moveLast(j)
			}
		}
	}
	for i, r := range c.Rules {
		if j, ws := place(&m.rules, &cfg.Rules, r, r.Name, p, i); ws != nil {
			cfg.Rules[j] = r
			// Written before only by files p does not extend, the rule still
			// replaces the last of them, held to that one, and stands where
			// p puts it.
			base, ok := m.lastExtended(p, ws)
			if !ok {
				base = ws[len(ws)-1]
				m.rules.moveLast(j)
			}
			m.redeclared = append(m.redeclared, redeclared{contrib{p, i}, base})
		}
	}
}

// guardRuntimes reports each runtime, in the file that wrote it as it
// stands, that the allow of an environment another file protected admits,
// unless that file extends the runtime's (it chose it): a file may not add
// or replace a runtime a base's allow admits, nor may a base a file names
// before another's admit the other's allow.
func (m *merger) guardRuntimes() {
	byPart := map[*part]guards{}
	for j, ws := range m.runtimes.writers {
		w := ws[len(ws)-1]
		g, ok := byPart[w.p]
		if !ok {
			g = m.guardsOver(w.p, nil)
			byPart[w.p] = g
		}
		if e := g.admitting(m.cfg.Runtimes[j]); e >= 0 {
			m.admitted(w.p, nil, fmt.Sprintf("/runtimes/%d", w.i), "runtime "+text.Quote(m.cfg.Runtimes[j].Name), e,
				"a file that extends it may not add or replace a runtime its allow admits; declare the runtime in the base instead")
		}
	}
}

// place finds the entry of s named name, written by p at index i, or adds
// item to list. It returns the entry's index and who wrote it before p (nil
// for a new entry), or -1 and nil for a name p declares twice, reported.
func place[T any](s *section, list *[]T, item T, name string, p *part, i int) (int, []contrib) {
	j, had := s.ix[name]
	if !had {
		s.ix[name] = len(*list)
		*list, s.writers = append(*list, item), append(s.writers, []contrib{{p, i}})
		s.order, s.placed = append(s.order, s.placed), s.placed+1
		return len(*list) - 1, nil
	}
	ws := s.writers[j]
	if last := ws[len(ws)-1]; last.p == p {
		p.c.duplicate(s.key, s.what, i, name, last.i)
		return -1, nil
	}
	s.writers[j] = append(ws, contrib{p, i})
	return j, ws
}

// addEnv merges environment e, envs[i] of p as written (raw), into the one
// of its name, or adds it.
func (m *merger) addEnv(p *part, i int, e Env, raw map[string]any) {
	j, ws := place(&m.envs, &m.cfg.Envs, e, e.Name, p, i)
	if j < 0 {
		return
	}
	base, ptr := &m.cfg.Envs[j], fmt.Sprintf("/envs/%d", i)
	_, hasAllow := raw["allow"]
	if ws == nil {
		base.Values = nil // merged below, so that each leaf has its file
	} else {
		at := writtenAt("envs", ws[0])
		if e.Kind != base.Kind {
			p.c.report(ptr+"/kind", false, "environment %q is of kind %s in %s: a file that extends it may not change its kind", e.Name, base.Kind, at)
		}
		// Leaving the allow out keeps it: only a file that extends the
		// allow's writer must repeat it, as a sibling may not know of it.
		if w, ok := m.lastAllow(ws); ok && len(base.Allow) > 0 && (hasAllow || m.reaches(p, w.p)) {
			m.narrowsAllow(p, ptr, e, base.Allow, hasAllow, writtenAt("envs", w))
		}
		if _, ok := raw["emoji"]; ok {
			base.Emoji = e.Emoji
		}
		if _, ok := raw["description"]; ok {
			base.Description = e.Description
		}
		if _, ok := raw["instances"]; ok {
			base.Instances = e.Instances
		}
	}
	if hasAllow {
		base.Allow = e.Allow // a new entry's already
		m.allows[contrib{p, i}] = true
	}
	mergeValues(p, &base.Values, &base.ValueFiles, e.Values, ptr+"/values", false)
}

// lastAllow returns the last of writers ws that wrote an allow, if any.
func (m *merger) lastAllow(ws []contrib) (contrib, bool) {
	for k := len(ws) - 1; k >= 0; k-- {
		if m.allows[ws[k]] {
			return ws[k], true
		}
	}
	return contrib{}, false
}

// narrowsAllow reports, in p, where environment e at ptr removes or widens
// allow, its base's, written at at.
func (m *merger) narrowsAllow(p *part, ptr string, e Env, allow []Condition, hasAllow bool, at string) {
	if !hasAllow {
		p.c.report(ptr, true, "environment %q is protected (allow, in %s): a file that extends it may narrow the allow, never remove it; repeat it here, or a narrower one", e.Name, at)
		return
	}
	x, y := alternatives(e.Allow), alternatives(allow)
	if m.pairs += x * y; m.pairs > maxNarrowing {
		p.c.report(ptr+"/allow", true, "allow of environment %q is too large to compare with its base's (in %s): %d alternatives against %d, and the allows of a configuration are compared in at most %d pairs of alternatives in all; repeat the base's allows with fewer conditions and alternatives",
			e.Name, at, x, y, maxNarrowing)
		return
	}
	allowed := "" // the base's allow as text, once
	for k, alt := range e.Allow {
		if !slices.ContainsFunc(allow, func(b Condition) bool { return narrows(alt, b) }) {
			if allowed == "" {
				allowed = text.EscapeCut(strings.Join(texts(allow), "; or "), 4*text.MaxQuoted)
			}
			p.c.report(fmt.Sprintf("%s/allow/%d", ptr, k), true,
				"allow[%d] of environment %q widens its allow (in %s): %s; each condition must be one of the base's or narrower (the same keys, each with fewer alternatives, and maybe more keys); allowed there: %s",
				k, e.Name, at, text.EscapeCut(alt.String(), 4*text.MaxQuoted), allowed)
		}
	}
}

// guardRule reports, in its file, where a re-declared rule could yield an
// environment protected by that file or one that does not extend it where
// its base's could not: a protected default it did not have, a variable it
// did not read, or more builds to apply to.
func (m *merger) guardRule(d redeclared) {
	p, r, base := d.at.p, d.at.rule(), d.base.rule()
	at, ptr := writtenAt("rules", d.base), fmt.Sprintf("/rules/%d", d.at.i)
	was, now := base.yields(), r.yields()
	who := "a file that extends it"
	if !m.reaches(p, d.base.p) {
		who = "a file merged after it"
	}
	guardsNow := m.guardedOver(p, d.base.p, now)
	if now != "" && now != was && guardsNow {
		p.c.report(ptr+"/default", false,
			"rule %q (in %s) does not yield the protected environment %q: %s may not make it do so; name the rule differently to add a rule of your own",
			r.Name, at, now, who)
	}
	guarded := m.guardingEnv(p, d.base.p)
	if guarded == "" {
		return // no file that chose the base's rule protects an environment: p may change it
	}
	for k, v := range r.From {
		if !slices.Contains(base.From, v) {
			p.c.report(fmt.Sprintf("%s/from/%d", ptr, k), false,
				"rule %q (in %s) does not read %s: %s may not make it read another variable, which could name the protected environment %q; name the rule differently to add a rule of your own",
				r.Name, at, text.Quote(v), who, guarded)
		}
	}
	if guardsNow || len(r.From) > 0 {
		if key, wider := m.widens(r, base); wider && m.pairs > maxNarrowing {
			p.c.report(ptr+key, false, "rule %q (in %s): its when is too large to compare with its base's: %d alternatives against %d, and a configuration compares at most %d pairs of alternatives in all; repeat the base's when with fewer conditions and alternatives",
				r.Name, at, alternatives(r.When), alternatives(base.When), maxNarrowing)
		} else if wider {
			if guardsNow {
				guarded = now
			}
			p.c.report(ptr+key, false,
				"rule %q (in %s) applies to fewer builds than this: %s may not make it apply to more while it can yield the protected environment %q (by its default or its from); keep the base's groups, runtimes and when, or narrower ones",
				r.Name, at, who, guarded)
		}
	}
}

// lastExtended returns the last of writers ws that p extends, if any: a
// sibling's version of an entry is not p's base.
func (m *merger) lastExtended(p *part, ws []contrib) (contrib, bool) {
	for k := len(ws) - 1; k >= 0; k-- {
		if m.reaches(p, ws[k].p) {
			return ws[k], true
		}
	}
	return contrib{}, false
}

// widens reports whether rule r applies to a build its base b does not, and
// the key of r that says so ("" for the rule as a whole): a group b does not
// name, a runtime b names neither nor its group, or a when with an
// alternative that narrows none of b's, or none where b has one.
func (m *merger) widens(r, b *Rule) (string, bool) {
	if slices.ContainsFunc(r.Groups, func(g Group) bool { return !slices.Contains(b.Groups, g) }) {
		return "/groups", true
	}
	if slices.ContainsFunc(r.Runtimes, func(name string) bool {
		return !slices.Contains(b.Runtimes, name) && !slices.Contains(b.Groups, m.groupOf(name))
	}) {
		return "/runtimes", true
	}
	if len(b.When) == 0 {
		return "", false
	}
	if len(r.When) == 0 {
		return "", true
	}
	if m.pairs += alternatives(r.When) * alternatives(b.When); m.pairs > maxNarrowing {
		return "/when", true
	}
	for _, alt := range r.When {
		if !slices.ContainsFunc(b.When, func(c Condition) bool { return narrows(alt, c) }) {
			return "/when", true
		}
	}
	return "", false
}

// groupOf returns the group of the runtime named name, declared so far or
// in the catalog, or "" when there is none.
func (m *merger) groupOf(name string) Group {
	if j, ok := m.runtimes.ix[name]; ok {
		return m.cfg.Runtimes[j].Group
	}
	if m.catalog == nil {
		m.catalog = Catalog() // built once a merge
	}
	for _, rt := range m.catalog {
		if rt.Name == name {
			return rt.Group
		}
	}
	return ""
}

// guards maps a runtime's group and name ("" for any name) to the first
// environment that a file over a part (allowedOver) protected with an allow
// condition admitting such a runtime: the condition names no groups or the
// group, and no runtimes or the name. Its other keys are facts the
// runtime's own sources supply, so they cannot keep it out.
type guards map[guardKey]int

type guardKey struct {
	group Group
	name  string
}

// allGroups are the groups a condition that names none admits.
var allGroups = [...]Group{GroupLocal, GroupCI, GroupApp}

// guardsOver indexes the allows that guard against p (allowedOver, of
// files that reach q unless q is nil).
func (m *merger) guardsOver(p, q *part) guards {
	g := guards{}
	for j, e := range m.cfg.Envs {
		if _, ok := m.allowedOver(p, j, q); !ok {
			continue
		}
		for _, c := range e.Allow {
			groups, names := c.Groups, c.Runtimes
			if len(groups) == 0 {
				groups = allGroups[:]
			}
			if len(names) == 0 {
				names = []string{""}
			}
			for _, group := range groups {
				for _, name := range names {
					if _, seen := g[guardKey{group, name}]; !seen {
						g[guardKey{group, name}] = j
					}
				}
			}
		}
	}
	return g
}

// admitting returns the first environment whose allow admits rt, or -1.
func (g guards) admitting(rt Runtime) int {
	j := -1
	for _, name := range [...]string{"", rt.Name} {
		if k, ok := g[guardKey{rt.Group, name}]; ok && (j < 0 || k < j) {
			j = k
		}
	}
	return j
}

// guardCatalog reports, in p, a catalog = true that brings back a built-in
// runtime the allow of a file that does not extend p admits, as
// guardRuntimes reports one p declares, where that file reaches the one
// that turned the catalog off, off (it chose a configuration without it).
func (m *merger) guardCatalog(p, off *part) {
	g := m.guardsOver(p, off)
	for _, rt := range Catalog() {
		if j := g.admitting(rt); j >= 0 {
			m.admitted(p, off, "/catalog", "catalog = true brings back the built-in runtimes a base turned off, and runtime "+text.Quote(rt.Name)+" of them", j,
				"a file that extends it may not; declare the runtimes it needs in the base instead")
			return
		}
	}
}

// guardForcing reports, in p, that a runtime_variable turns back on the
// forcing that off turned off, when the allow of an environment a file
// that does not extend p and reaches off protected admits a forced runtime.
func (m *merger) guardForcing(p, off *part) {
	for j, e := range m.cfg.Envs {
		if _, ok := m.allowedOver(p, j, off); ok && slices.ContainsFunc(e.Allow, func(c Condition) bool { return c.Forced }) {
			m.admitted(p, off, "/runtime_variable", "runtime_variable "+text.Quote(p.cfg.RuntimeVariable)+" turns back on the forcing of runtimes a base turned off, and a forced runtime", j,
				"a file that extends it may not; name the runtime variable in the base instead")
			return
		}
	}
}

// admitted reports, in p at ptr, that what (a runtime) could satisfy the
// allow of environment j written over p (allowedOver, by a file that
// reaches q unless q is nil), and why that is refused.
func (m *merger) admitted(p, q *part, ptr, what string, j int, why string) {
	w, _ := m.allowedOver(p, j, q)
	p.c.report(ptr, true, "%s could satisfy the allow of protected environment %q (in %s): %s", what, m.cfg.Envs[j].Name, writtenAt("envs", w), why)
}

// allowedOver returns the first part, other than p and the parts that
// extend p, and that reaches q unless q is nil, to write an allow of
// environment j, if any did.
func (m *merger) allowedOver(p *part, j int, q *part) (contrib, bool) {
	for _, w := range m.envs.writers[j] {
		if !m.reaches(w.p, p) && (q == nil || m.reaches(w.p, q)) && m.allows[w] {
			return w, true
		}
	}
	return contrib{}, false
}

// reaches reports whether p is q or extends it, through its bases; each
// pair is worked out once.
func (m *merger) reaches(p, q *part) bool {
	k := [2]*part{p, q}
	if v, ok := m.reach[k]; ok {
		return v
	}
	v := p == q || slices.ContainsFunc(p.bases, func(b *part) bool { return m.reaches(b, q) })
	m.reach[k] = v
	return v
}

// writtenAt names where an entry of section was written, as file:line:col.
func writtenAt(section string, c contrib) string {
	pr := c.p.c.problem(fmt.Sprintf("/%s/%d", section, c.i), true, "")
	return fmt.Sprintf("%s:%d:%d", text.Path(pr.File), pr.Line, pr.Col)
}

// guardingEnv returns the first environment with an allow written over p
// (allowedOver) by a file that reaches q, or ""; once a pair.
func (m *merger) guardingEnv(p, q *part) string {
	name, ok := m.guarding[[2]*part{p, q}]
	if !ok {
		for j := range m.cfg.Envs {
			if _, over := m.allowedOver(p, j, q); over {
				name = m.cfg.Envs[j].Name
				break
			}
		}
		m.guarding[[2]*part{p, q}] = name
	}
	return name
}

// guardedOver reports whether environment env has an allow written by p
// or over p (allowedOver) by a file that reaches q.
func (m *merger) guardedOver(p, q *part, env string) bool {
	j, ok := m.envs.ix[env]
	if !ok {
		return false
	}
	_, over := m.allowedOver(p, j, q)
	own := func(w contrib) bool { return w.p == p && m.allows[w] }
	return over || slices.ContainsFunc(m.envs.writers[j], own)
}

// mergeValues merges over, the values of p at ptr (nil for none), into
// *dst, and records the file of each leaf in *files; declared says dst is
// [values], where a value may not change the type a base gave it.
func mergeValues(p *part, dst *map[string]any, files *map[string]string, over map[string]any, ptr string, declared bool) {
	if over == nil {
		return
	}
	if *dst == nil {
		*dst = map[string]any{}
	}
	if *files == nil {
		*files = map[string]string{}
	}
	mergeTable(p, *dst, over, ptr, "", *files, declared)
}

// mergeTable is mergeValues for a table of values under the dotted prefix.
func mergeTable(p *part, dst, over map[string]any, ptr, prefix string, files map[string]string, declared bool) {
	for _, k := range keysOf(over) {
		v, kptr := over[k], ptr+"/"+position.EscapeSegment(k)
		old, had := dst[k]
		if had && declared && !KindFits(KindOf(old), KindOf(v)) {
			p.c.report(kptr, false, "expected %s, as a base declares %s, found %s", KindOf(old), text.Quote(prefix+k), describe(v))
			continue
		}
		d, wasTable := old.(map[string]any)
		if t, ok := v.(map[string]any); ok && wasTable {
			mergeTable(p, d, t, kptr, prefix+k+".", files, declared)
			continue
		}
		dst[k] = CopyValue(v)
		if wasTable {
			eachLeaf(d, prefix+k, func(k string) { delete(files, k) }) // a table replaced: its leaves are gone
		}
		eachLeaf(v, prefix+k, func(k string) { files[k] = p.c.name })
	}
}

// eachLeaf calls f with the dotted key of every leaf of v, under prefix.
func eachLeaf(v any, prefix string, f func(key string)) {
	t, ok := v.(map[string]any)
	if !ok {
		f(prefix)
		return
	}
	if prefix != "" {
		prefix += "."
	}
	for k, e := range t {
		eachLeaf(e, prefix+k, f)
	}
}

// maxNarrowing bounds the work of comparing allows with their bases': the
// sum, over the environments, of the products of their alternatives, which
// bounds what narrows compares.
const maxNarrowing = 1_000_000

// alternatives counts the conditions of allow and the alternatives of each
// of their keys.
func alternatives(allow []Condition) int {
	n := 0
	for _, c := range allow {
		n += 1 + len(c.Groups) + len(c.Runtimes) + len(c.Events) + len(c.Branch) + len(c.BaseBranch) + len(c.Tag)
		for _, sc := range c.Signal {
			n += 1 + len(sc.Values)
		}
	}
	return n
}

// narrows reports whether condition a holds only where b holds, as far as
// the file says: a sets every key b sets, each with no alternative b does
// not have (for not_equals, every value b excludes), and may set more; it
// admits a forced runtime only where b does.
func narrows(a, b Condition) bool {
	switch {
	case !subset(a.Groups, b.Groups), !subset(a.Runtimes, b.Runtimes),
		b.PR != AnyBuild && a.PR != b.PR, b.Fork != "" && a.Fork != b.Fork, a.Forced && !b.Forced,
		!subset(a.Events, b.Events),
		!patternsWithin(texts(a.Branch), texts(b.Branch)), !patternsWithin(texts(a.BaseBranch), texts(b.BaseBranch)),
		!patternsWithin(texts(a.Tag), texts(b.Tag)):
		return false
	}
	for _, bc := range b.Signal {
		if !slices.ContainsFunc(a.Signal, func(ac Cond) bool {
			if ac.Op != bc.Op || ac.Name != bc.Name {
				return false
			}
			switch bc.Op {
			case OpEquals, OpContains:
				return subset(ac.Values, bc.Values)
			case OpNotEquals:
				return subset(bc.Values, ac.Values)
			}
			return true
		}) {
			return false
		}
	}
	return true
}

// within reports whether every value pattern a matches is one b matches, as
// far as their texts tell: a is b; or b is P** and a starts with P; or b is
// P* and a is P then no /, \ or ** (so it stays within the * of b).
func within(a, b string) bool {
	if a == b {
		return true
	}
	if p, ok := strings.CutSuffix(b, "**"); ok && !strings.HasSuffix(p, `\`) {
		return strings.HasPrefix(a, p)
	}
	p, ok := strings.CutSuffix(b, "*")
	if !ok || strings.HasSuffix(p, `\`) || !strings.HasPrefix(a, p) {
		return false
	}
	rest := a[len(p):]
	return !strings.ContainsAny(rest, `/\`) && !strings.Contains(rest, "**")
}

// subset reports whether x narrows y, a list of alternatives: y is empty
// (no restriction), or x is not and holds only alternatives of y.
func subset[T comparable](x, y []T) bool { return subsetBy(x, y, func(a, b T) bool { return a == b }) }

// patternsWithin is subset for patterns, each of x within one of y's.
func patternsWithin(x, y []string) bool { return subsetBy(x, y, within) }

// subsetBy is subset, an alternative a of x being one b of y when in(a, b).
func subsetBy[T any](x, y []T, in func(a, b T) bool) bool {
	if len(y) == 0 {
		return true
	}
	return len(x) > 0 && !slices.ContainsFunc(x, func(a T) bool {
		return !slices.ContainsFunc(y, func(b T) bool { return in(a, b) })
	})
}

// finish runs the semantic passes on the merged configuration.
func (m *merger) finish() (*Config, error) {
	reorder(&m.runtimes, m.cfg.Runtimes)
	reorder(&m.rules, m.cfg.Rules)
	m.guardRuntimes()
	if p := m.forcing.on; p != nil {
		m.guardForcing(p, m.forcing.off)
	}
	if p := m.catalogOn.on; p != nil {
		m.guardCatalog(p, m.catalogOn.off)
	}
	for _, d := range m.redeclared {
		m.guardRule(d)
	}
	if err := m.collect(); err != nil {
		return nil, err
	}
	top := m.parts[len(m.parts)-1]
	c := &collector{name: top.c.name, data: top.c.data, route: m.route}
	for _, p := range m.parts {
		c.warnings = append(c.warnings, p.c.warnings...) // found while each file was read
	}
	return finish(c, m.cfg)
}

// route finds the file and pointer of a pointer into the merged
// configuration: in an entry of envs, runtimes or rules, the last file that
// wrote what it names (else the entry's first); elsewhere the last file that
// has it, else the extending file.
func (m *merger) route(ptr string) (*collector, string) {
	segs := strings.SplitN(ptr, "/", 4) // "", section, index, rest
	for _, s := range []*section{&m.envs, &m.runtimes, &m.rules} {
		if len(segs) < 3 || segs[1] != s.key {
			continue
		}
		if i, err := strconv.Atoi(segs[2]); err == nil && i >= 0 && i < len(s.writers) {
			rest := ptr[2+len(segs[1])+len(segs[2]):] // "" or "/" and segs[3]
			ws := s.writers[i]
			for k := len(ws) - 1; k >= 0; k-- {
				at := fmt.Sprintf("/%s/%d%s", s.key, ws[k].i, rest)
				if _, ok := position.Lookup(ws[k].p.tree, at); ok || k == 0 {
					return ws[k].p.c, at
				}
			}
		}
	}
	for k := len(m.parts) - 1; k >= 0; k-- {
		if _, ok := position.Lookup(m.parts[k].tree, ptr); ok {
			return m.parts[k].c, ptr
		}
	}
	return m.parts[len(m.parts)-1].c, ptr
}
