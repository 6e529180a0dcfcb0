//go:build race

package config

// raceEnabled: the race detector slows the differential tests tenfold, so
// they sample fewer variants.
const raceEnabled = true
