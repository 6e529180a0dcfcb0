// Command empty does nothing: the floor of a Go program's start-up.
package main

func main() {}
