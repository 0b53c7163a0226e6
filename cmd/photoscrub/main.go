// Command photoscrub finds and removes location and identity metadata from
// photo collections and writes an audit report. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/photoscrub/photoscrub/pkg/cli"
)

func main() { os.Exit(run()) }

// run is main without the exit, shared with the testscript tests. After
// the first SIGINT/SIGTERM the run stops dispatching and rolls back what is
// not committed; the default handler is then restored, so a second signal
// ends the process at once (commits are atomic renames: no original is
// ever half-written).
func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); stop() }()
	return cli.Run(ctx, os.Args, os.Stdout, os.Stderr)
}
