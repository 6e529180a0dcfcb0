// Package platform is what a platform team's Go module looks like when it
// ships the organisation's base configuration: the file, embedded, as a
// multienv.Base. A service extends it with
//
//	s, err := multienv.Start(multienv.WithBases(platform.Base()))
//
// and its own multienv.toml then adds to and narrows the base, never
// weakening it.
package platform

import (
	_ "embed"

	"github.com/multienv/multienv"
)

//go:embed multienv.toml
var base []byte

// Base returns the organisation's base configuration: a new copy on each
// call, so that no importer can change what others read.
func Base() multienv.Base {
	return multienv.Base{Name: "acme/platform/multienv.toml", Data: append([]byte(nil), base...)}
}
