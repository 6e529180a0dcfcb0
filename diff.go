package multienv

import (
	"reflect"
	"slices"
)

// ValueDiff is a value that differs between two environment ids; an object
// of `resolver diff --json`.
type ValueDiff struct {
	Key string    `json:"key"` // the dotted key (db.host)
	A   ValueSide `json:"a"`   // the value in the first id
	B   ValueSide `json:"b"`   // the value in the second id
}

// ValueSide is a value in one id, and where it came from.
type ValueSide struct {
	ID     string `json:"id"`
	Value  any    `json:"value"`  // nil when the key has none in this id
	Origin string `json:"origin"` // as Values.Origin
	File   string `json:"file"`   // as Values.File
}

// Diff returns the values that differ between the ids a and b (prd,
// sbx-101), sorted by key, each with its value and origin in both; none
// when they agree. No rule is run and no allow is checked. An id that names
// no environment is a *ValueError, as for Lookup.
func (c *Config) Diff(a, b string) ([]ValueDiff, error) {
	var sides [2]*Values
	for i, id := range []string{a, b} {
		env, instance, err := c.Lookup(id)
		if err != nil {
			return nil, err
		}
		if sides[i], err = c.Values(Result{ID: id, Env: env, Instance: instance}); err != nil {
			return nil, err
		}
	}
	keys := slices.Concat(sides[0].Keys(), sides[1].Keys())
	slices.Sort(keys)
	var out []ValueDiff
	for _, k := range slices.Compact(keys) {
		d := ValueDiff{Key: k, A: sides[0].side(a, k), B: sides[1].side(b, k)}
		if !reflect.DeepEqual(d.A.Value, d.B.Value) {
			out = append(out, d)
		}
	}
	return out, nil
}

// side is the value of key in v, the values of id.
func (v *Values) side(id, key string) ValueSide {
	x, err := v.Get(key)
	if err != nil {
		return ValueSide{ID: id, Origin: "no value"}
	}
	return ValueSide{ID: id, Value: x, Origin: v.Origin(key), File: v.File(key)}
}
