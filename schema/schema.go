// Package schema holds the JSON Schema of the multienv TOML format and
// compiles it once per process.
//
// The schema is the single definition of the file format: config validates
// against it and the CLI prints it with `resolver schema`.
package schema

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

//go:embed envs.schema.json
var schemaJSON string

// JSON returns the schema document, draft 2020-12: a new copy on each
// call, so that no importer can change what others read.
func JSON() []byte { return []byte(schemaJSON) }

// URL is the location the schema is compiled under, its own $id;
// validation errors name it in their absolute keyword locations. It is
// absolute so that compiling never resolves it against the working
// directory, whose name may be anything (100%done) or gone.
const URL = "https://github.com/multienv/multienv/schema/envs.schema.json"

var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	if err := c.AddResource(URL, strings.NewReader(schemaJSON)); err != nil {
		return nil, err
	}
	return c.Compile(URL)
})

// Compiled returns the compiled schema. It compiles on the first call only;
// later calls return the same value.
func Compiled() (*jsonschema.Schema, error) { return compiled() }
