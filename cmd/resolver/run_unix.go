//go:build unix

package main

import "syscall"

// startCommand replaces the process with the command: the command gets the
// process's signals, and its exit status is the process's. It returns only
// when the command cannot be started.
func startCommand(path string, argv, env []string) (int, error) {
	return 0, syscall.Exec(path, argv, env)
}
