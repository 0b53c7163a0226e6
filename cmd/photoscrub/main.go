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

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal the run stops dispatching and rolls back what is
	// not committed; restoring the default handler makes a second signal end
	// the process at once (commits are atomic renames, so no original is
	// ever half-written).
	go func() { <-ctx.Done(); stop() }()
	code := cli.Run(ctx, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
