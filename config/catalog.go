package config

import "slices"

// CatalogOrigin is the Origin of runtimes that come from the built-in catalog.
const CatalogOrigin = "(catalog)"

// Catalog returns the built-in runtimes, in detection order. They are
// catalog/runtimes.toml compiled into Go (catalog_gen.go), so that no
// process pays for parsing them; the test suite checks the TOML against the
// schema and the generated code against the TOML. Each call returns a new
// copy, the caller's to change.
func Catalog() []Runtime { return catalogData() }

// mergeCatalog appends the catalog's runtimes after the file's own; a runtime of
// the file replaces the catalog's runtime of the same name.
func mergeCatalog(cfg *Config) {
	if !cfg.Catalog {
		return
	}
	// catalogData builds the catalog anew, when the Config is made, not
	// when the package is initialised: a Config's runtimes are its own, and
	// a change to one reaches neither the catalog nor another Config. A file
	// without runtimes of its own (the embedded default) takes it whole.
	if len(cfg.Runtimes) == 0 {
		cfg.Runtimes = catalogData()
		return
	}
	own := make(map[string]bool, len(cfg.Runtimes))
	for _, r := range cfg.Runtimes {
		own[r.Name] = true
	}
	cfg.Runtimes = append(cfg.Runtimes, slices.DeleteFunc(catalogData(), func(r Runtime) bool { return own[r.Name] })...)
}
