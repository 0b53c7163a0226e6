package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"image"
	"io"
	"path"
	"strconv"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/photoscrub/photoscrub/pkg/internal/pipeline"
	"github.com/photoscrub/photoscrub/pkg/internal/safefile"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/report"
)

// scrubOptions configure a scrub run.
type scrubOptions struct {
	commonOptions
	OutDir       string
	InPlace      bool
	Mode         string
	Quality      int
	MaxDimension int
	Format       string      // --format: jpeg, png, webp, avif ("" keeps the input's)
	Fit          image.Point // --fit WxH (zero: off)
	Coefficients bool        // --coefficients: JPEG without resize keeps its DCT coefficients
	MemoryBudget int64
	DryRun       bool
	Keep         meta.Keep
	Hardlinks    string
	Force        bool
	BackupDir    string
	CleanStale   bool
	Xattrs       bool
	Overwrite    bool
}

func scrubCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "scrub",
		Usage:     "remove location and identity metadata (--out DIR or --in-place), verify and report",
		ArgsUsage: "PATH...",
		UsageText: "photoscrub scrub (--out DIR | --in-place) [--report FILE [--html FILE]] [flags] PATH...\n" +
			"   (one of --out DIR or --in-place is required)\n\n" +
			"Examples:\n" +
			"   photoscrub scrub --out cleaned --report scrub.jsonl --html scrub.html photos\n" +
			"   photoscrub scrub --in-place --backup-dir ../originals --report scrub.jsonl photos\n" +
			"   photoscrub scrub --dry-run --in-place photos                  # plan and verify, write nothing",
		Description: "Every output is verified before it is committed atomically; a re-run into the same --out leaves\n" +
			"identical outputs alone. The run ends by naming the files that still hold location or identity data.\n" +
			"Flags go before paths; every argument after them is a path.",
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "out", Usage: "write cleaned copies mirroring each input tree under `DIR` (originals untouched; required unless --in-place)"},
			&ucli.BoolFlag{Name: "in-place", Usage: "replace each file atomically, keeping mode and modification time (required unless --out)"},
			&ucli.BoolFlag{Name: "overwrite", Usage: "with --out, atomically replace an existing output that differs (identical ones are always left alone)"},
			&ucli.BoolFlag{Name: "dry-run", Usage: "plan and report only; write no image"},
			&ucli.StringFlag{Name: "mode", Value: "lossless", Usage: "lossless (rebuild the container) or reencode (decode and encode the pixels)"},
			&ucli.StringFlag{Name: "keep", Value: "orientation,icc", Usage: "what a lossless scrub keeps besides pixels: orientation, icc, both (comma-separated) or none"},
			&ucli.IntFlag{Name: "quality", Value: 92, Usage: "JPEG quality for --mode reencode (1-100)"},
			&ucli.IntFlag{Name: "max-dimension", Usage: "with --mode reencode, fit images within `N`×N pixels (0: keep size)"},
			&ucli.StringFlag{Name: "format", Usage: "with --mode reencode, write every image as `FORMAT`: jpeg, png, webp or avif (the extension follows; default: the input's format, HEIC falls back to lossless)"},
			&ucli.BoolFlag{Name: "coefficients", Usage: "with --mode reencode, JPEG to JPEG without --fit or --max-dimension keeps the DCT coefficients (like jpegtran -copy none -optimize): every coded byte regenerated, no generation loss, faster; --quality does not apply"},
			&ucli.StringFlag{Name: "fit", Usage: "with --mode reencode, scale to cover `WxH` and crop the centre to exactly that size (e.g. 600x800)"},
			&ucli.Int64Flag{Name: "memory-budget", Value: pipeline.DefaultMemoryBudget, Usage: "bytes of decoded pixels all re-encode workers may hold at once (a larger image waits and runs alone)"},
			&ucli.StringFlag{Name: "hardlinks", Value: "refuse", Usage: "files with several hard links: refuse (report them) or rewrite (clean the shared inode in place)"},
			&ucli.BoolFlag{Name: "force", Usage: "also rewrite read-only files"},
			&ucli.StringFlag{Name: "backup-dir", Usage: "with --in-place, keep a copy of each original in `DIR` (outside every input; the copies hold the metadata)"},
			&ucli.BoolFlag{Name: "clean-stale", Usage: "remove temp files left in the input by a killed run (always reported)"},
			&ucli.BoolFlag{Name: "xattrs", Usage: "copy user extended attributes to rewritten files"},
		}, commonFlags()...),
		Action: func(c *ucli.Context) error {
			co, err := readCommon(c, "scrub")
			if err != nil {
				return err
			}
			o := scrubOptions{
				commonOptions: co, OutDir: c.String("out"), InPlace: c.Bool("in-place"), Mode: c.String("mode"),
				Quality: c.Int("quality"), MaxDimension: c.Int("max-dimension"), MemoryBudget: c.Int64("memory-budget"),
				DryRun: c.Bool("dry-run"), Hardlinks: c.String("hardlinks"), Force: c.Bool("force"),
				BackupDir: c.String("backup-dir"), CleanStale: c.Bool("clean-stale"), Xattrs: c.Bool("xattrs"),
				Overwrite: c.Bool("overwrite"), Format: c.String("format"),
				Coefficients: c.Bool("coefficients"),
			}
			if err := o.parseReencode(c.String("fit")); err != nil {
				return err
			}
			if err := o.validate(c.String("keep")); err != nil {
				return err
			}
			return runScrub(c.Context, o, c.App.Writer, c.App.ErrWriter)
		},
	}
}

func (o *scrubOptions) validate(keep string) error {
	paths := strings.Join(quoteAll(o.Paths), " ")
	switch {
	case o.OutDir == "" && !o.InPlace:
		return usagef("scrub needs --out DIR or --in-place, e.g. photoscrub scrub --out cleaned %s", paths)
	case o.OutDir != "" && o.InPlace:
		return usagef("--out and --in-place exclude each other, e.g. photoscrub scrub --out cleaned %s", paths)
	case o.Mode != "lossless" && o.Mode != "reencode":
		return usagef("--mode must be lossless or reencode, e.g. photoscrub scrub --mode reencode --out cleaned %s", paths)
	case o.Quality < 1 || o.Quality > 100:
		return usagef("--quality must be between 1 and 100, e.g. photoscrub scrub --mode reencode --quality 92 --out cleaned %s", paths)
	case o.MaxDimension < 0:
		return usagef("--max-dimension must be 0 or more")
	case o.Hardlinks != "refuse" && o.Hardlinks != "rewrite":
		return usagef("--hardlinks must be refuse or rewrite")
	}
	k, err := parseKeep(keep, "photoscrub scrub --keep orientation,icc --out cleaned "+paths)
	if err != nil {
		return err
	}
	o.Keep = k
	if o.Overwrite && o.OutDir == "" {
		return usagef("--overwrite only makes sense with --out (it replaces differing outputs there), e.g. photoscrub scrub --out cleaned --overwrite %s", paths)
	}
	if o.BackupDir != "" {
		if !o.InPlace {
			return usagef("--backup-dir only makes sense with --in-place (--out never changes the originals)")
		}
		if root, bad := pipeline.Overlap(o.BackupDir, o.Paths); bad {
			return usagef("--backup-dir %s overlaps the input %s; backups hold the metadata and must live outside every input, e.g. --backup-dir ../photoscrub-backup", o.BackupDir, root)
		}
	}
	if o.OutDir != "" {
		if root, bad := pipeline.Overlap(o.OutDir, o.Paths); bad {
			return usagef("--out %s overlaps the input %s; choose a directory outside every input, e.g. photoscrub scrub --out %s %s",
				o.OutDir, root, path.Join("..", "cleaned"), paths)
		}
	}
	return nil
}

// runScrub scrubs every file under opts.Paths.
func runScrub(ctx context.Context, opts scrubOptions, stdout, stderr io.Writer) error {
	cfg := pipeline.Config{
		Roots: opts.Paths, Scrub: true, DryRun: opts.DryRun, InPlace: opts.InPlace, OutDir: opts.OutDir,
		Reencode: opts.Mode == "reencode", Quality: opts.Quality, MaxDimension: opts.MaxDimension,
		Format: pipeline.OutFormat(opts.Format), Fit: opts.Fit, Coefficients: opts.Coefficients,
		MaxPixels: opts.MaxPixels, MemoryBudget: opts.MemoryBudget, Keep: opts.Keep, Jobs: opts.Jobs,
		Exclude: opts.Exclude, FileTimeout: opts.FileTimeout, MaxFileSize: opts.MaxFileSize, Force: opts.Force,
		BackupDir: opts.BackupDir, CleanStale: opts.CleanStale, Xattrs: opts.Xattrs, Overwrite: opts.Overwrite,
	}
	if opts.Hardlinks == "rewrite" {
		cfg.Hardlinks = safefile.Rewrite
	}
	output := "out-dir"
	if opts.InPlace {
		output = "in-place"
	}
	hdr := header("scrub", opts.commonOptions, report.Settings{
		Mode: opts.Mode, Output: output, InPlace: opts.InPlace, OutDir: opts.OutDir, Quality: opts.Quality,
		MaxDimension: opts.MaxDimension, DryRun: opts.DryRun,
		Keep:      reportKeep(opts.Keep),
		Hardlinks: opts.Hardlinks, Force: opts.Force, Overwrite: opts.Overwrite,
		Format: opts.Format, Fit: fitString(opts.Fit), Coefficients: opts.Coefficients,
	})
	return run(ctx, opts.commonOptions, cfg, hdr, stdout, stderr)
}

// parseReencode checks --format and parses --fit (re-encode options).
func (o *scrubOptions) parseReencode(fit string) error {
	paths := strings.Join(quoteAll(o.Paths), " ")
	switch o.Format {
	case "", "jpeg", "png", "webp", "avif":
	case "jpg":
		o.Format = "jpeg"
	default:
		return usagef("--format must be jpeg, png, webp or avif, e.g. photoscrub scrub --mode reencode --format jpeg --out cleaned %s", paths)
	}
	if fit != "" {
		w, h, ok := strings.Cut(strings.ToLower(fit), "x")
		wi, werr := strconv.Atoi(w)
		hi, herr := strconv.Atoi(h)
		if !ok || werr != nil || herr != nil || wi < 1 || hi < 1 || wi > 65535 || hi > 65535 {
			return usagef("--fit takes WIDTHxHEIGHT in pixels, e.g. photoscrub scrub --mode reencode --fit 600x800 --out cleaned %s", paths)
		}
		o.Fit = image.Pt(wi, hi)
	}
	if (o.Format != "" || o.Fit != image.Point{} || o.Coefficients) && o.Mode != "reencode" {
		return usagef("--format, --fit and --coefficients re-encode the pixels: add --mode reencode, e.g. photoscrub scrub --mode reencode --format jpeg --out cleaned %s", paths)
	}
	if o.Fit != (image.Point{}) && o.MaxDimension > 0 {
		return usagef("--fit and --max-dimension exclude each other (--fit gives the exact size)")
	}
	return nil
}

func newRunID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return hex.EncodeToString(b[:])
}

// fitString is --fit as the report records it ("WxH", "" when unset).
func fitString(p image.Point) string {
	if p == (image.Point{}) {
		return ""
	}
	return strconv.Itoa(p.X) + "x" + strconv.Itoa(p.Y)
}
