// Package examples embeds the recommended configuration, which is also the
// default used when no multienv.toml is found.
package examples

import _ "embed"

// Default is multienv.toml, the embedded default configuration.
//
//go:embed multienv.toml
var Default []byte
