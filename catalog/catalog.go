// Package catalog embeds the built-in runtime catalog: the CI vendors,
// application platforms and dev boxes multienv recognises by itself.
//
// The catalog is a multienv TOML file that holds runtimes only; config
// appends it to the runtimes of every file that does not set catalog = false.
package catalog

import _ "embed"

// TOML is the catalog file, runtimes.toml.
//
//go:embed runtimes.toml
var TOML []byte

// Source is how messages and `resolver explain` name the catalog.
const Source = "(catalog)"
