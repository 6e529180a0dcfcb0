// Package reference is the judge of a file: it reads the file through
// koanf's loader and validates it against envs.schema.json with a full
// JSON Schema validator (santhosh-tekuri/jsonschema, draft 2020-12).
// `resolver check` uses it, and the tests compare the library's own path
// (koanf's TOML parser alone and Validate of package schema) with it.
//
// Only the command imports it, so that a service that imports multienv
// links neither koanf's loader (which links package net, making a default
// build dynamic) nor a JSON Schema library, nor compiles a meta-schema.
package reference

import (
	"errors"
	"net/url"
	"strings"
	"sync"

	"github.com/knadh/koanf/parsers/toml/v2"
	"github.com/knadh/koanf/providers/rawbytes"
	"github.com/knadh/koanf/v2"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/multienv/multienv/schema"
)

// compiled is the schema compiled by jsonschema, on first use.
func compiled() (*jsonschema.Schema, error) {
	compileOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		if compileErr = c.AddResource(schema.URL, strings.NewReader(string(schema.JSON()))); compileErr == nil {
			compiledSchema, compileErr = c.Compile(schema.URL)
		}
	})
	return compiledSchema, compileErr
}

var (
	compileOnce    sync.Once
	compiledSchema *jsonschema.Schema
	compileErr     error
)

// Judge reads a file with Parse and checks it with Validate.
func Judge() schema.Judge { return schema.Judge{Parse: Parse, Validate: Validate} }

// Parse loads the TOML text through koanf's loader and TOML parser. The
// delimiter is one no key may hold, so that koanf keeps quoted keys with
// dots whole, and the merge hook hands over the parsed tree as it is:
// nothing else is loaded into this koanf.
func Parse(data []byte) (map[string]any, error) {
	var tree map[string]any
	k := koanf.NewWithConf(koanf.Conf{Delim: "\x00"})
	keep := koanf.WithMergeFunc(func(src, _ map[string]any) error {
		tree = src
		return nil
	})
	if err := k.Load(rawbytes.Provider(data), toml.Parser(), keep); err != nil {
		return nil, err
	}
	return tree, nil
}

// Validate checks doc against the schema: a schema.Validator. Each
// violation is a leaf of the validator's error tree, its instance location
// (URL-escaped by the validator) written as a plain JSON pointer.
func Validate(doc any) ([]schema.Violation, error) {
	s, err := compiled()
	if err != nil {
		return nil, errors.New("internal error: the schema does not compile: " + err.Error())
	}
	var ve *jsonschema.ValidationError
	if err = s.Validate(doc); err == nil || !errors.As(err, &ve) {
		return nil, err
	}
	var out []schema.Violation
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			kw := e.AbsoluteKeywordLocation
			kw = kw[strings.IndexByte(kw, '#')+1:] // the fragment, or all when there is none
			inst, err := url.PathUnescape(e.InstanceLocation)
			if err != nil {
				inst = e.InstanceLocation
			}
			out = append(out, schema.Violation{Instance: inst, Keyword: kw, Path: e.KeywordLocation, Message: e.Message})
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out, nil
}
