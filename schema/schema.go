// Package schema holds the JSON Schema that is the single definition of the
// multienv TOML format, and Validate, which config checks files with: it
// interprets the schema's nodes, which internal/schemagen compiles from it
// (go generate ./schema). The CLI prints the schema (`resolver schema`) and
// checks files with a full JSON Schema validator (package schema/reference);
// the tests hold both validators to the same findings.
package schema

import _ "embed"

//go:embed envs.schema.json
var schemaJSON string

// JSON returns the schema document, draft 2020-12: a new copy on each
// call, so that no importer can change what others read.
func JSON() []byte { return []byte(schemaJSON) }

// URL is the schema's own $id, the location a validator compiles it under.
// It is absolute so that compiling never resolves it against the working
// directory, whose name may be anything (100%done) or gone.
const URL = "https://github.com/multienv/multienv/schema/envs.schema.json"
