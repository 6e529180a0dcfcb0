package config

import "github.com/multienv/multienv/internal/glob"

// cloneRuntimes returns a deep copy of rts: no slice, signal, source or
// pattern of the copy is shared with rts, so that a Config's runtimes are
// its own and no caller can change the built-in catalog through them. The
// copy takes a handful of allocations whatever the number of runtimes: it
// counts first, then carves each kind of part out of one array.
func cloneRuntimes(rts []Runtime) []Runtime {
	var nSigs, nConds, nStrs, nSrcs, nPats int
	for i := range rts {
		for _, sigs := range [2][]Signal{rts[i].When, rts[i].PR} {
			nSigs += len(sigs)
			for _, s := range sigs {
				nConds += len(s)
				for _, c := range s {
					nStrs += len(c.Values)
				}
			}
		}
		for _, srcs := range rts[i].Facts {
			nSrcs += len(srcs)
			for _, s := range srcs {
				if s.Pattern != nil {
					nPats++
				}
			}
		}
	}
	c := cloner{sigs: make([]Signal, nSigs), conds: make([]Cond, nConds), strs: make([]string, nStrs),
		srcs: make([]Source, nSrcs), pats: make([]glob.Pattern, nPats)}
	out := make([]Runtime, len(rts))
	for i, rt := range rts {
		rt.When, rt.PR = c.signals(rt.When), c.signals(rt.PR)
		for f, srcs := range rt.Facts {
			rt.Facts[f] = c.sources(srcs)
		}
		out[i] = rt
	}
	return out
}

// cloner hands out the parts of a copy from arrays of the right sizes.
type cloner struct {
	sigs  []Signal
	conds []Cond
	strs  []string
	srcs  []Source
	pats  []glob.Pattern
}

func (c *cloner) signals(in []Signal) []Signal {
	if in == nil {
		return nil
	}
	out := c.sigs[:len(in):len(in)]
	c.sigs = c.sigs[len(in):]
	for i, s := range in {
		conds := c.conds[:len(s):len(s)]
		c.conds = c.conds[len(s):]
		for j, cond := range s {
			if cond.Values != nil {
				vals := c.strs[:len(cond.Values):len(cond.Values)]
				c.strs = c.strs[len(cond.Values):]
				copy(vals, cond.Values)
				cond.Values = vals
			}
			conds[j] = cond
		}
		out[i] = conds
	}
	return out
}

func (c *cloner) sources(in []Source) []Source {
	if in == nil {
		return nil
	}
	out := c.srcs[:len(in):len(in)]
	c.srcs = c.srcs[len(in):]
	for i, s := range in {
		if s.Pattern != nil {
			c.pats[0] = *s.Pattern
			s.Pattern = &c.pats[0]
			c.pats = c.pats[1:]
		}
		out[i] = s
	}
	return out
}
