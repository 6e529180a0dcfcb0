// Package schema holds the JSON Schema of the multienv TOML format and a
// validator of it.
//
// The schema is the single definition of the file format: config validates
// against it with Validate, which interprets the schema's nodes that
// internal/schemagen compiles from it (go generate ./schema), and the CLI
// prints it with `resolver schema` and checks files with a full JSON Schema
// validator (package schema/reference); the tests hold both to the same
// findings.
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
