package config

import "slices"

// CatalogOrigin is the Origin of runtimes that come from the built-in catalog.
const CatalogOrigin = "(catalog)"

// Catalog returns the built-in runtimes, in detection order: a new copy,
// the caller's to change. They are catalog/runtimes.toml compiled into Go
// (catalog_gen.go, which the tests check against the file), so that no
// process pays for parsing them.
func Catalog() []Runtime { return catalogData() }

// mergeCatalog appends the catalog's runtimes after the file's own, which
// replace those of their names.
func mergeCatalog(cfg *Config) {
	if !cfg.Catalog {
		return
	}
	// catalogData builds the catalog anew, so that a Config's runtimes are
	// its own. A file without runtimes (the embedded default) takes it whole.
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
