// Command xinlu is the operating system of a development zone: web UI, JSON
// API and administration in one binary. Run "xinlu help".
package main

import (
	"context"
	"os"

	"xinlu/internal/cli"
)

func main() {
	env := cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	os.Exit(cli.Run(context.Background(), os.Args[1:], env))
}
