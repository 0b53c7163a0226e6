package cli

import (
	"context"
	"io"

	ucli "github.com/urfave/cli/v2"

	"github.com/photoscrub/photoscrub/pkg/internal/pipeline"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/report"
)

// scanOptions configure a read-only audit.
type scanOptions struct {
	commonOptions
}

func scanCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "scan",
		Usage:     "audit photos read-only and report location and identity metadata",
		ArgsUsage: "PATH...",
		Flags: append(commonFlags(),
			&ucli.BoolFlag{Name: "json", Usage: "print the report records on standard output"},
		),
		Action: func(c *ucli.Context) error {
			co, err := readCommon(c, "scan")
			if err != nil {
				return err
			}
			co.JSON = c.Bool("json")
			return runScan(c.Context, scanOptions{co}, c.App.Writer, c.App.ErrWriter)
		},
	}
}

// runScan inspects every file under opts.Paths and writes nothing but the
// report outputs.
func runScan(ctx context.Context, opts scanOptions, stdout, stderr io.Writer) error {
	cfg := pipeline.Config{
		Roots: opts.Paths, Jobs: opts.Jobs, Exclude: opts.Exclude, FileTimeout: opts.FileTimeout,
		MaxFileSize: opts.MaxFileSize, MaxPixels: opts.MaxPixels, Keep: meta.DefaultKeep,
	}
	hdr := header("scan", opts.commonOptions, report.Settings{Mode: "lossless", Output: "report-only"})
	return run(ctx, opts.commonOptions, cfg, hdr, stdout, stderr)
}

func header(cmd string, co commonOptions, s report.Settings) report.Header {
	s.Jobs = co.Jobs
	s.Exclude = append([]string{}, co.Exclude...)
	s.FileTimeoutSeconds = co.FileTimeout.Seconds()
	s.MaxFileSize = co.MaxFileSize
	s.MaxPixels = co.MaxPixels
	return report.Header{
		RunID: newRunID(), Command: cmd, Tool: report.CurrentTool(Version), Options: s, Operator: co.Operator, Purpose: co.Purpose,
		Roots: append([]string{}, co.Paths...),
	}
}
