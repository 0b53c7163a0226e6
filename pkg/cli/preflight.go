package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/photoscrub/photoscrub/pkg/internal/pipeline"
	"github.com/photoscrub/photoscrub/pkg/internal/safefile"
)

// rawArgs returns the command line as given (args[0] is the program).
func rawArgs(c *ucli.Context) []string {
	if c.App != nil && c.App.Metadata != nil {
		if a, ok := c.App.Metadata["args"].([]string); ok {
			return a
		}
	}
	return os.Args
}

// preflight finds, before any file is touched, the problems that would
// make the run fail on its outputs: a report, CSV or HTML path that exists
// already or lies in a directory that cannot be written, an --out or
// --backup-dir that cannot be written. Each is a usage error (exit 2)
// that names the OS cause and shows a corrected command.
func preflight(co commonOptions, cfg pipeline.Config) error {
	for _, o := range []struct{ flag, path, what string }{
		{"report", co.Report, "a report"}, {"csv", co.CSV, "a csv file"}, {"html", co.HTML, "an html page"},
	} {
		if o.path == "" {
			continue
		}
		if _, err := os.Lstat(o.path); err == nil {
			return usagef("--%s %s already exists and %s is never overwritten; choose a new name: %s",
				o.flag, o.path, o.what, command(withFlag(co.Args, co.Verb, o.flag, freshName(o.path))))
		}
		if cause := dirWritable(filepath.Dir(o.path)); cause != "" {
			return usagef("--%s %s: cannot create a file in %s: %s; choose a writable place: %s",
				o.flag, o.path, filepath.Dir(o.path), cause, command(withFlag(co.Args, co.Verb, o.flag, filepath.Base(o.path))))
		}
	}
	if cfg.Scrub && !cfg.DryRun {
		for _, o := range []struct{ flag, dir string }{{"out", cfg.OutDir}, {"backup-dir", cfg.BackupDir}} {
			if o.dir == "" {
				continue
			}
			if cause := treeWritable(o.dir); cause != "" {
				alt := "cleaned"
				if o.flag == "backup-dir" {
					alt = "photoscrub-originals"
				}
				if home, err := os.UserHomeDir(); err == nil {
					alt = filepath.Join(home, alt)
				}
				return usagef("--%s %s: cannot write there: %s; choose a directory you can write: %s",
					o.flag, o.dir, cause, command(withFlag(co.Args, co.Verb, o.flag, alt)))
			}
		}
	}
	return nil
}

// dirWritable returns "" when a new file can be created in dir, else the
// OS reason (it creates and removes a probe file).
func dirWritable(dir string) string {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such directory"
	case err != nil:
		return causeText(err)
	case !fi.IsDir():
		return "not a directory"
	}
	f, err := os.CreateTemp(dir, ".photoscrub-probe-*")
	if err != nil {
		return causeText(err)
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return ""
}

// treeWritable checks dir, or the nearest existing directory above it
// (where it would be created), for writing.
func treeWritable(dir string) string {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err == nil {
			if !fi.IsDir() {
				return d + " is not a directory"
			}
			return dirWritable(d)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return causeText(err)
		}
		if filepath.Dir(d) == d {
			return "no such directory"
		}
	}
}

func causeText(err error) string {
	if c := safefile.Cause(err); c != "" {
		return c
	}
	return "input/output error"
}

// freshName returns path with -2, -3... before its extension, the first
// that does not exist.
func freshName(path string) string {
	ext := filepath.Ext(path)
	stem := strings.TrimSuffix(path, ext)
	for i := 2; i < 1000; i++ {
		p := fmt.Sprintf("%s-%d%s", stem, i, ext)
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p
		}
	}
	return stem + "-new" + ext
}

// withFlag returns the command line args (args[0] the program) with flag's
// value set to value: replaced where given (--flag V or --flag=V),
// otherwise inserted right after the verb.
func withFlag(args []string, verb, flag, value string) []string {
	out := slices.Clone(args)
	if len(out) > 0 {
		out[0] = "photoscrub"
	}
	for i := 1; i < len(out); i++ {
		a := out[i]
		if a == "--" {
			break
		}
		switch {
		case a == "--"+flag || a == "-"+flag:
			if i+1 < len(out) {
				out[i+1] = value
				return out
			}
		case strings.HasPrefix(a, "--"+flag+"=") || strings.HasPrefix(a, "-"+flag+"="):
			out[i] = "--" + flag + "=" + value
			return out
		}
	}
	at := slices.Index(out, verb)
	if at < 0 {
		at = 0
	}
	return slices.Insert(out, at+1, "--"+flag, value)
}

// command quotes args for a POSIX shell.
func command(args []string) string { return strings.Join(quoteAll(args), " ") }

// continueCommand is the command that continues an interrupted run: the
// same command with --resume REPORT and fresh names for the report
// outputs (they are never overwritten). Without a report it is the same
// command again (already-clean files are not rewritten).
func continueCommand(co commonOptions) string {
	args := slices.Clone(co.Args)
	if len(args) > 0 {
		args[0] = "photoscrub"
	}
	if co.Report == "" {
		return command(args) + " (add --report FILE to resume instead)"
	}
	args = withFlag(args, co.Verb, "resume", co.Report)
	args = withFlag(args, co.Verb, "report", freshName(co.Report))
	if co.CSV != "" {
		args = withFlag(args, co.Verb, "csv", freshName(co.CSV))
	}
	if co.HTML != "" {
		args = withFlag(args, co.Verb, "html", freshName(co.HTML))
	}
	return command(args)
}
