package cli

import (
	"context"
	"io"
	"slices"
	"strings"

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
		UsageText: "photoscrub scan [--report FILE [--html FILE]] [--list CATEGORY,...] [flags] PATH...\n\n" +
			"Examples:\n" +
			"   photoscrub scan photos                                      # summary; exit 1 when metadata is found\n" +
			"   photoscrub scan --report audit.jsonl --html audit.html photos\n" +
			"   photoscrub scan --list location,identity -0 photos | xargs -0 ls -l",
		Description: "Nothing is written but the report outputs. The run ends by naming the files that hold location\n" +
			"or identity data. Flags go before paths; every argument after them is a path.",
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "list", Usage: "print only the paths of files with findings in `CATEGORY`[,CATEGORY...] on standard output, one a line (" + strings.Join(categoryNames(), ", ") + ")"},
			&ucli.BoolFlag{Name: "null", Aliases: []string{"0"}, Usage: "with --list, end each path with a NUL byte instead of a newline (for xargs -0)"},
			&ucli.BoolFlag{Name: "json", Usage: "print the report records on standard output"},
		}, commonFlags()...),
		Action: func(c *ucli.Context) error {
			co, err := readCommon(c, "scan")
			if err != nil {
				return err
			}
			co.JSON = c.Bool("json")
			if l := c.String("list"); l != "" {
				if co.JSON {
					return usagef("--list and --json both print on standard output; choose one, e.g. photoscrub scan --list %s %s", l, strings.Join(quoteAll(co.Paths), " "))
				}
				for _, name := range strings.Split(l, ",") {
					cat := meta.Category(strings.TrimSpace(name))
					if !slices.Contains(meta.Categories, cat) {
						return usagef("--list takes categories among %s, e.g. photoscrub scan --list location,identity %s",
							strings.Join(categoryNames(), ", "), strings.Join(quoteAll(co.Paths), " "))
					}
					co.List = append(co.List, cat)
				}
				co.ListSep = '\n'
				if c.Bool("null") {
					co.ListSep = 0
				}
			} else if c.Bool("null") {
				return usagef("-0 goes with --list, e.g. photoscrub scan --list location -0 %s", strings.Join(quoteAll(co.Paths), " "))
			}
			return runScan(c.Context, scanOptions{co}, c.App.Writer, c.App.ErrWriter)
		},
	}
}

func categoryNames() []string {
	s := make([]string, len(meta.Categories))
	for i, c := range meta.Categories {
		s[i] = string(c)
	}
	return s
}

// runScan inspects every file under opts.Paths and writes nothing but the
// report outputs.
func runScan(ctx context.Context, opts scanOptions, stdout, stderr io.Writer) error {
	cfg := pipeline.Config{
		Roots: opts.Paths, Jobs: opts.Jobs, Exclude: opts.Exclude, FileTimeout: opts.FileTimeout,
		MaxFileSize: opts.MaxFileSize, MaxPixels: opts.MaxPixels, Keep: meta.DefaultKeep,
	}
	// A scan records its own settings only (report.Settings leaves the
	// scrub settings out of a report-only header).
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
