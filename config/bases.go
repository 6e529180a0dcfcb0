package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/multienv/multienv/internal/position"
	"github.com/multienv/multienv/internal/text"
	"github.com/multienv/multienv/schema"
)

// A file may extend base files (`extends = ["../platform/multienv.toml"]`).
// Each file, base or not, is read with the passes of one file (readPart);
// the decoded files are then merged by name, the bases first, in order, and
// the semantic passes run once on the result, each problem routed to the
// file and position it is at.
//
// What a base declares, a file that extends it may add to and narrow, never
// weaken: it may not change an environment's kind, widen or remove an
// allow, or turn a base's rule into one that yields a protected
// environment. Environments are never removed or renamed: a file can only
// add to the bases' list.

// Base is a base configuration given as bytes, such as a file a platform
// module embeds: Name is used in messages and as the origin of what it
// declares. It is merged before every base the file names itself.
type Base struct {
	Name string
	Data []byte
}

// maxFiles bounds how many files one configuration is merged from.
const maxFiles = 32

// RepositoryRoot returns the nearest directory from dir (absolute and
// clean) up that holds .git, a folder or a file, or "" when none does. It
// looks at nothing but .git names.
func RepositoryRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
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
}

// part is one file read and decoded, not yet merged.
type part struct {
	c    *collector
	tree map[string]any
	cfg  *Config
}

// contrib is where a merged entry (an environment, runtime or rule) was
// written: its index in a part.
type contrib struct {
	p *part
	i int
}

// merger merges parts into one Config and routes the problems found in it
// to the files they are in.
type merger struct {
	cfg *Config
	// validator reads and checks every file merged.
	validator schema.Judge
	parts     []*part
	// envs, runtimes and rules list, for each merged entry, the parts that
	// wrote it, first to last.
	envs, runtimes, rules []([]contrib)
	envIx, rtIx, ruleIx   map[string]int
	root                  string // the real path bases must be inside
	seen                  map[string]bool
	failed                bool // some part has problems of its own
}

// parseWith parses the file named name with its bases: the Go bases
// first, then those it names, then the file.
func parseWith(name string, data []byte, v schema.Judge, bases []Base) (*Config, error) {
	l, tree, cfg, err := readPart(name, data, v)
	if err != nil {
		return nil, err
	}
	if _, ext := tree["extends"]; !ext && len(bases) == 0 {
		return finish(l, cfg)
	}
	m := &merger{cfg: &Config{File: name, RuntimeVariable: defaultRuntimeVariable, Catalog: true},
		envIx: map[string]int{}, rtIx: map[string]int{}, ruleIx: map[string]int{}, seen: map[string]bool{}, validator: v}
	top := &part{l, tree, cfg}
	for i, b := range bases {
		bl, btree, bcfg, err := readPart(b.Name, b.Data, m.validator)
		bp := &part{bl, btree, bcfg}
		m.parts = append(m.parts, bp)
		if err != nil {
			return nil, m.collect()
		}
		if _, ext := btree["extends"]; ext {
			bl.report("/extends", true, "a base given as bytes (base %d, %s) cannot extend files: give its bases before it instead", i+1, text.Quote(b.Name))
			continue
		}
		m.add(bp)
	}
	if _, ext := tree["extends"]; ext {
		abs, err := filepath.Abs(name)
		if err == nil {
			// Bytes given with a name may have no file behind them: the
			// name alone places the bases.
			if real, lerr := filepath.EvalSymlinks(abs); lerr == nil {
				abs = real
			}
			m.root, err = RepositoryRoot(filepath.Dir(abs))
			if err == nil && m.root == "" {
				m.root = filepath.Dir(abs) // outside a repository: the file's own directory
			}
			if err == nil {
				m.seen[abs] = true
			}
		}
		if err != nil {
			l.report("/extends", true, "cannot find the repository root the bases must be inside: %s", text.Escape(err.Error()))
			m.parts = append(m.parts, top)
			return nil, m.collect()
		}
		m.extends(top, []string{abs})
	}
	m.parts = append(m.parts, top)
	m.add(top)
	return m.finish()
}

// collect returns the problems of every part, sorted, or nil.
func (m *merger) collect() error {
	all := &collector{}
	for _, p := range m.parts {
		all.problems = append(all.problems, p.c.problems...)
	}
	return all.failed()
}

// extends reads and merges the bases p names, depth first. stack holds the
// real paths of the files that extend p, p last.
func (m *merger) extends(p *part, stack []string) {
	list, _ := p.tree["extends"].([]any)
	dir := filepath.Dir(p.c.name)
	for k, v := range list {
		ptr := "/extends/" + strconv.Itoa(k)
		rel, _ := v.(string)
		if rel == "" {
			continue // the schema reported it
		}
		if filepath.IsAbs(rel) || strings.HasPrefix(rel, "/") {
			p.c.report(ptr, false, "base %s is an absolute path: name a base relative to the file that extends it", text.Quote(rel))
			continue
		}
		name := filepath.Join(dir, rel)
		real, err := filepath.EvalSymlinks(name)
		if err == nil {
			real, err = filepath.Abs(real)
		}
		if err != nil {
			p.c.report(ptr, false, "base %s cannot be read: %s", text.Quote(rel), cause(err))
			continue
		}
		if !inside(m.root, real) {
			p.c.report(ptr, false, "base %s is outside %s, the repository root (the nearest directory holding .git): a base must be inside it", text.Quote(rel), text.Path(m.root))
			continue
		}
		if i := slices.Index(stack, real); i >= 0 {
			chain := append(slices.Clone(stack[i:]), real)
			for k := range chain {
				chain[k] = text.Path(chain[k])
			}
			p.c.report(ptr, false, "base %s makes a cycle: %s", text.Quote(rel), strings.Join(chain, " extends "))
			continue
		}
		if m.seen[real] {
			continue // merged already, through another file
		}
		if len(m.seen) >= maxFiles {
			p.c.report(ptr, false, "base %s is one too many: a configuration is merged from at most %d files", text.Quote(rel), maxFiles)
			continue
		}
		m.seen[real] = true
		data, err := readFile(real)
		if err != nil {
			p.c.report(ptr, false, "base %s cannot be read: %s", text.Quote(rel), cause(err))
			continue
		}
		bl, btree, bcfg, err := readPart(name, data, m.validator)
		bp := &part{bl, btree, bcfg}
		if err != nil {
			m.parts = append(m.parts, bp)
			m.failed = true
			continue
		}
		m.extends(bp, append(stack, real))
		m.parts = append(m.parts, bp)
		m.add(bp)
	}
}

// cause words why a base cannot be read, without its path (the message
// quotes the name as the file wrote it).
func cause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return text.Escape(strings.TrimPrefix(err.Error(), "cannot read the file: "))
}

// inside reports whether path is root or under it.
func inside(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// add merges p into the configuration, reporting in p what weakens what
// came before it.
func (m *merger) add(p *part) {
	if p.cfg == nil || len(p.c.problems) > 0 {
		m.failed = true
		return
	}
	c, cfg := p.cfg, m.cfg
	if _, ok := p.tree["runtime_variable"]; ok {
		cfg.RuntimeVariable = c.RuntimeVariable
	}
	if _, ok := p.tree["catalog"]; ok {
		cfg.Catalog = c.Catalog
	}
	cfg.Files = append(cfg.Files, p.c.name)
	if c.Values != nil {
		if cfg.Values == nil {
			cfg.Values = map[string]any{}
			cfg.ValueFiles = map[string]string{}
		}
		m.values(p, cfg.Values, c.Values, "/values", "", cfg.ValueFiles, true)
	}
	envs, _ := p.tree["envs"].([]any) // decoded one for one into c.Envs
	for i, e := range c.Envs {
		raw, _ := envs[i].(map[string]any)
		m.addEnv(p, i, e, raw)
	}
	for i, rt := range c.Runtimes { // a runtime replaces the one of its name
		j, had := place(&cfg.Runtimes, &m.runtimes, m.rtIx, rt.Name, rt, contrib{p, i})
		if had && !again(p, m.runtimes[j], "runtimes", "runtime", i, rt.Name) {
			cfg.Runtimes[j] = rt
			m.runtimes[j] = append(m.runtimes[j], contrib{p, i})
		}
	}
	for i, r := range c.Rules {
		m.addRule(p, i, r)
	}
}

// place finds the entry named name by ix, or adds item as a new entry of
// list, written by c; it returns the entry's index and whether it was there.
func place[T any](list *[]T, writers *[][]contrib, ix map[string]int, name string, item T, c contrib) (int, bool) {
	if j, ok := ix[name]; ok {
		return j, true
	}
	ix[name] = len(*list)
	*list, *writers = append(*list, item), append(*writers, []contrib{c})
	return len(*list) - 1, false
}

// again reports whether the last writer of an entry (cs) is p, which
// declares it again at /section/i: a duplicate name, reported.
func again(p *part, cs []contrib, section, what string, i int, name string) bool {
	last := cs[len(cs)-1]
	if last.p == p {
		p.c.duplicate(section, what, i, name, last.i)
	}
	return last.p == p
}

// addEnv merges environment e, envs[i] of p as written (raw), into the
// environment of its name, or adds it.
func (m *merger) addEnv(p *part, i int, e Env, raw map[string]any) {
	ptr := fmt.Sprintf("/envs/%d", i)
	j, had := place(&m.cfg.Envs, &m.envs, m.envIx, e.Name, e, contrib{p, i})
	base := &m.cfg.Envs[j]
	if !had {
		base.Origin = p.c.name
		if e.Values != nil {
			base.ValueFiles = map[string]string{}
			leaves(e.Values, "", p.c.name, base.ValueFiles)
		}
		return
	}
	if again(p, m.envs[j], "envs", "environment", i, e.Name) {
		return
	}
	at := writtenAt("envs", m.envs[j][0])
	if e.Kind != base.Kind {
		p.c.report(ptr+"/kind", false, "environment %q is of kind %s in %s: a file that extends it may not change its kind", e.Name, base.Kind, at)
	}
	_, hasAllow := raw["allow"]
	if len(base.Allow) > 0 {
		narrowsAllow(p, ptr, e, base.Allow, hasAllow, at)
	}
	if hasAllow {
		base.Allow = e.Allow
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
	if e.Values != nil {
		if base.Values == nil {
			base.Values = map[string]any{}
		}
		if base.ValueFiles == nil {
			base.ValueFiles = map[string]string{}
		}
		m.values(p, base.Values, e.Values, ptr+"/values", "", base.ValueFiles, false)
	}
	m.envs[j] = append(m.envs[j], contrib{p, i})
}

// narrowsAllow reports, in p, where environment e at ptr removes or widens
// the allow of its base, written at at.
func narrowsAllow(p *part, ptr string, e Env, allow []Condition, hasAllow bool, at string) {
	if !hasAllow {
		p.c.report(ptr, true, "environment %q is protected (allow, in %s): a file that extends it may narrow the allow, never remove it; repeat it here, or a narrower one", e.Name, at)
		return
	}
	for k, alt := range e.Allow {
		if !slices.ContainsFunc(allow, func(b Condition) bool { return narrows(alt, b) }) {
			p.c.report(fmt.Sprintf("%s/allow/%d", ptr, k), true,
				"allow[%d] of environment %q widens its allow (in %s): %s; each condition must be one of the base's or narrower (the same keys, each with fewer alternatives, and maybe more keys); allowed there: %s",
				k, e.Name, at, text.EscapeCut(alt.String(), 4*text.MaxQuoted), text.EscapeCut(strings.Join(texts(allow), "; or "), 4*text.MaxQuoted))
		}
	}
}

// addRule puts rule r, rules[i] of p, in place of the one of its name,
// unless it makes it yield a protected environment, or adds it.
func (m *merger) addRule(p *part, i int, r Rule) {
	j, had := place(&m.cfg.Rules, &m.rules, m.ruleIx, r.Name, r, contrib{p, i})
	if !had || again(p, m.rules[j], "rules", "rule", i, r.Name) {
		return
	}
	was, now := m.cfg.Rules[j].yields(), r.yields()
	if now != "" && now != was && m.protected(now) && !m.protected(was) {
		p.c.report(fmt.Sprintf("/rules/%d/default", i), false,
			"rule %q (in %s) does not yield the protected environment %q: a file that extends it may not make it do so; name the rule differently to add a rule of your own",
			r.Name, writtenAt("rules", m.rules[j][len(m.rules[j])-1]), now)
	}
	m.cfg.Rules[j] = r
	m.rules[j] = append(m.rules[j], contrib{p, i})
}

// writtenAt names where an entry of section was written: file:line:col.
func writtenAt(section string, c contrib) string {
	pr := c.p.c.problem(fmt.Sprintf("/%s/%d", section, c.i), true, "")
	return fmt.Sprintf("%s:%d:%d", text.Path(pr.File), pr.Line, pr.Col)
}

// protected reports whether the environment named env is declared with
// an allow so far.
func (m *merger) protected(env string) bool {
	j, ok := m.envIx[env]
	return ok && len(m.cfg.Envs[j].Allow) > 0
}

// values merges over, the values of part p at ptr, into dst, key by key;
// declared says dst is [values], whose keys a later file may add to. A
// value that changes the type a base gave it is reported, as an
// environment's would be. files records the file of each leaf.
func (m *merger) values(p *part, dst, over map[string]any, ptr, prefix string, files map[string]string, declared bool) {
	for _, k := range keysOf(over) {
		v, kptr := over[k], ptr+"/"+position.EscapeSegment(k)
		old, had := dst[k]
		if had && declared && !KindFits(KindOf(old), KindOf(v)) {
			p.c.report(kptr, false, "expected %s, as a base declares %s, found %s", KindOf(old), text.Quote(prefix+k), describe(v))
			continue
		}
		if t, ok := v.(map[string]any); ok {
			if d, ok := old.(map[string]any); ok {
				m.values(p, d, t, kptr, prefix+k+".", files, declared)
				continue
			}
		}
		dst[k] = CopyValue(v)
		if t, ok := old.(map[string]any); ok {
			forget(t, prefix+k, files) // a table replaced: its leaves are gone
		}
		leaves(v, prefix+k, p.c.name, files)
	}
}

// leaves records file as the origin of every leaf key of v under prefix.
func leaves(v any, prefix, file string, files map[string]string) {
	t, ok := v.(map[string]any)
	if !ok {
		files[prefix] = file
		return
	}
	if prefix != "" {
		prefix += "."
	}
	for k, e := range t {
		leaves(e, prefix+k, file, files)
	}
}

// forget removes the leaf keys of t, under prefix, from files.
func forget(t map[string]any, prefix string, files map[string]string) {
	for k, e := range t {
		if sub, ok := e.(map[string]any); ok {
			forget(sub, prefix+"."+k, files)
			continue
		}
		delete(files, prefix+"."+k)
	}
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
		!subset(texts(a.Branch), texts(b.Branch)), !subset(texts(a.BaseBranch), texts(b.BaseBranch)), !subset(texts(a.Tag), texts(b.Tag)):
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

// subset reports whether x narrows y, a list of alternatives: y is empty
// (no restriction), or x is not and holds only alternatives of y.
func subset[T comparable](x, y []T) bool {
	if len(y) == 0 {
		return true
	}
	if len(x) == 0 {
		return false
	}
	for _, s := range x {
		if !slices.Contains(y, s) {
			return false
		}
	}
	return true
}

// texts gives each of xs as written.
func texts[T fmt.Stringer](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.String()
	}
	return out
}

// finish runs the semantic passes on the merged configuration, each
// problem at the file and position it is at.
func (m *merger) finish() (*Config, error) {
	if err := m.collect(); m.failed || err != nil {
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
// configuration: an entry of envs, runtimes or rules goes to the last file
// that wrote what the pointer names (its first writer otherwise), a value
// to the last file that set it, anything else to the last file that has
// it, else to the extending file.
func (m *merger) route(ptr string) (*collector, string) {
	segs := strings.SplitN(ptr, "/", 4) // "", section, index, rest
	if len(segs) >= 3 {
		var list [][]contrib
		switch segs[1] {
		case "envs":
			list = m.envs
		case "runtimes":
			list = m.runtimes
		case "rules":
			list = m.rules
		}
		if i, err := strconv.Atoi(segs[2]); err == nil && list != nil && i >= 0 && i < len(list) {
			rest := ptr[2+len(segs[1])+len(segs[2]):] // "" or "/" and segs[3]
			cs := list[i]
			for k := len(cs) - 1; k >= 0; k-- {
				p := fmt.Sprintf("/%s/%d%s", segs[1], cs[k].i, rest)
				if _, ok := position.Lookup(cs[k].p.tree, p); ok {
					return cs[k].p.c, p
				}
			}
			return cs[0].p.c, fmt.Sprintf("/%s/%d%s", segs[1], cs[0].i, rest)
		}
	}
	for k := len(m.parts) - 1; k >= 0; k-- {
		if _, ok := position.Lookup(m.parts[k].tree, ptr); ok && m.parts[k].tree != nil {
			return m.parts[k].c, ptr
		}
	}
	return m.parts[len(m.parts)-1].c, ptr
}
