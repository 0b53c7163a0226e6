package cli

import (
	"fmt"
	"path/filepath"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/photoscrub/photoscrub/pkg/internal/pipeline"
	"github.com/photoscrub/photoscrub/pkg/internal/watch"
	"github.com/photoscrub/photoscrub/pkg/photoscrub"
	"github.com/photoscrub/photoscrub/pkg/report"
)

func watchCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "watch",
		Usage:     "scrub photos as they land in a drop folder: clean copies to --out, originals removed once the copy is durable",
		ArgsUsage: "DROP",
		UsageText: "photoscrub watch --out CLEAN --quarantine DIR [--keep-originals] [--settle MS] [--report FILE] [flags] DROP\n\n" +
			"Examples:\n" +
			"   photoscrub watch --out /srv/clean --quarantine /srv/quarantine --report /var/log/photoscrub/watch.jsonl /srv/drop\n" +
			"   photoscrub watch --out clean --quarantine q --keep-originals --settle 2000 drop",
		Description: "Each file of DROP (recursively) is processed once it has stopped changing for --settle milliseconds;\n" +
			"temp names (*.part, *.filepart, .~*, dot-files) wait until renamed. The verified clean copy is written to\n" +
			"CLEAN at the same sub-path and synced, recorded in the report, and only then is the original removed (or\n" +
			"moved to --quarantine with --keep-originals). A file that cannot be cleaned goes to --quarantine, never to\n" +
			"CLEAN. SIGTERM or SIGINT: finish the files in progress, seal the report, exit 0; a restart resumes.",
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "out", Usage: "write clean copies mirroring DROP under `CLEAN` (required; outside DROP)"},
			&ucli.StringFlag{Name: "quarantine", Usage: "move files that cannot be cleaned (and originals with --keep-originals) to `DIR` (required; created 0700)"},
			&ucli.BoolFlag{Name: "keep-originals", Usage: "move each original to --quarantine instead of removing it"},
			&ucli.IntFlag{Name: "settle", Value: 1000, Usage: "process a file once unchanged for `MS` milliseconds"},
			&ucli.DurationFlag{Name: "rescan", Value: 30 * time.Second, Usage: "walk DROP this often too (a safety net for missed events)"},
			&ucli.Int64Flag{Name: "max-file-size", Value: 512 << 20, Usage: "quarantine files larger than `BYTES`"},
		}, arrivalFlags()...),
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usagef("watch takes one DROP directory, e.g. photoscrub watch --out clean --quarantine quarantine drop")
			}
			return runWatch(c, c.Args().First())
		},
	}
}

func runWatch(c *ucli.Context, drop string) error {
	out, quar := c.String("out"), c.String("quarantine")
	switch {
	case out == "":
		return usagef("watch needs --out CLEAN, e.g. photoscrub watch --out clean --quarantine quarantine %s", drop)
	case quar == "":
		return usagef("watch needs --quarantine DIR for files that cannot be cleaned, e.g. photoscrub watch --out %s --quarantine quarantine %s", out, drop)
	case c.Int("settle") < 0:
		return usagef("--settle must be 0 or more milliseconds")
	case c.Int("jobs") < 1 || c.Int("jobs") > 1024:
		return usagef("--jobs must be between 1 and 1024")
	}
	for _, d := range []struct{ flag, dir string }{{"--out", out}, {"--quarantine", quar}} {
		if root, bad := pipeline.Overlap(d.dir, []string{drop}); bad {
			return usagef("%s %s overlaps the drop folder %s; choose a directory outside it", d.flag, d.dir, root)
		}
	}
	if root, bad := pipeline.Overlap(out, []string{quar}); bad {
		return usagef("--out %s overlaps --quarantine %s; quarantined files hold metadata and must stay apart", out, root)
	}
	keep, log, err := readArrival(c)
	if err != nil {
		return err
	}
	absDrop, _ := filepath.Abs(drop)
	ser, err := openSeries(c, "watch", report.Settings{Mode: "lossless", Output: "out-dir", OutDir: out,
		MaxFileSize: c.Int64("max-file-size")}, keep, []string{absDrop})
	if err != nil {
		return err
	}
	cfg := watch.Config{
		Drop: drop, Out: out, Quarantine: quar, KeepOriginals: c.Bool("keep-originals"),
		Settle: time.Duration(c.Int("settle")) * time.Millisecond, Rescan: c.Duration("rescan"), Jobs: c.Int("jobs"),
		MaxFileSize: c.Int64("max-file-size"),
		Options:     photoscrub.Options{Keep: keep, MaxPixels: c.Int64("max-pixels")},
		Logger:      log,
	}
	if ser != nil {
		cfg.Report = ser
	}
	werr := watch.Run(c.Context, cfg)
	code := ExitOK
	if werr != nil {
		log.Error("watch stopped", "error", werr.Error())
		code = ExitFatal
	}
	if err := sealSeries(ser, code, log); err != nil {
		return err
	}
	if werr != nil {
		return &exitError{ExitFatal, fmt.Sprintf("watch stopped: %v", werr)}
	}
	return nil
}
