// Package cli is photoscrub's command line (urfave/cli/v2): it turns flags
// into a pipeline configuration, maps the outcome to the documented exit
// codes and prints one-line, lowercase errors that name the file and, for
// usage mistakes, show the corrected command. It does no file I/O of its own
// beyond opening the report outputs.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// Exit codes (documented in README.md). Precedence: 4 > 3 > 1 > 0; 130 and
// 2 stand alone.
const (
	ExitOK          = 0   // nothing left to report
	ExitFindings    = 1   // scan found metadata
	ExitUsage       = 2   // usage error
	ExitPartial     = 3   // some files failed, were unparsable, unverified or unsupported
	ExitFatal       = 4   // run stopped: report not writable, disk full...
	ExitInterrupted = 130 // SIGINT/SIGTERM
)

// Version is the tool version, set at build time with -ldflags.
var Version = "0.1.0"

// usageError is a mistake in the command line; it prints as one line and
// exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// exitError carries an exit code out of an action.
type exitError struct {
	code int
	msg  string // printed when non-empty
}

func (e *exitError) Error() string { return e.msg }

// Run runs the command line args (args[0] is the program name) and returns
// the exit code. stdout is for machine output, stderr for humans.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	app.Metadata = map[string]any{"args": args}
	err := app.RunContext(ctx, args)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "photoscrub: "+ee.msg)
		}
		return ee.code
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "photoscrub: "+ue.msg)
		return ExitUsage
	}
	// urfave/cli's own parse errors ("flag provided but not defined").
	fmt.Fprintln(stderr, "photoscrub: "+strings.ToLower(firstLine(err.Error())))
	return ExitUsage
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func newApp(stdout, stderr io.Writer) *ucli.App {
	app := &ucli.App{
		Name:    "photoscrub",
		Usage:   "find and remove location and identity metadata from photo collections",
		Version: Version,
		UsageText: "photoscrub scan [flags] PATH...\n" +
			"photoscrub scrub (--out DIR | --in-place) [flags] PATH...\n" +
			"photoscrub report verify|summary|html|merge|keygen ...\n" +
			"photoscrub completion bash|zsh|fish\n\n" +
			"Examples:\n" +
			"   photoscrub scan --report audit.jsonl --html audit.html photos\n" +
			"   photoscrub scrub --out cleaned --report scrub.jsonl --html scrub.html photos\n" +
			"   photoscrub scan --list location photos",
		Description: "photoscrub scan audits photos read-only; photoscrub scrub removes GPS, XMP, IPTC, maker notes,\n" +
			"thumbnails, trailers, comments and serial numbers, verifies each output and writes an audit report.\n" +
			"Flags go before paths; every argument after the flags is a path.",
		Writer:                 stdout,
		ErrWriter:              stderr,
		HideHelpCommand:        true,
		EnableBashCompletion:   true,
		UseShortOptionHandling: false,
		ExitErrHandler:         func(*ucli.Context, error) {},
		OnUsageError:           onUsageError,
		Commands: []*ucli.Command{scanCommand(), scrubCommand(), reportCommand(), completionCommand(), manCommand(),
			serveCommand(),
			watchCommand(),
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usagef("unknown command %q%s; use 'photoscrub scan PATH...' or 'photoscrub scrub --out DIR PATH...'",
					c.Args().First(), suggestCommand(c.App.Commands, c.Args().First()))
			}
			return ucli.ShowAppHelp(c)
		},
	}
	for _, cmd := range app.Commands {
		setupCommand(cmd)
	}
	return app
}

// setupCommand makes every verb take its arguments as arguments (no
// implicit "help"/"h" sub-command: a folder named h is a path) and answer
// a flag mistake with one line.
func setupCommand(cmd *ucli.Command) {
	cmd.HideHelpCommand = true
	cmd.OnUsageError = onUsageError
	for _, sub := range cmd.Subcommands {
		setupCommand(sub)
	}
}

// onUsageError turns urfave/cli's parse errors into one line with the
// closest flag name, never the whole help.
func onUsageError(c *ucli.Context, err error, isSub bool) error {
	name := "photoscrub"
	var flags []ucli.Flag
	if c.Command != nil && c.Command.Name != "" {
		name = "photoscrub " + c.Command.FullName()
		flags = c.Command.Flags
	} else if c.App != nil {
		flags = c.App.Flags
	}
	msg := firstLine(err.Error())
	const undefined = "flag provided but not defined: "
	if i := strings.Index(msg, undefined); i >= 0 {
		bad := strings.TrimLeft(msg[i+len(undefined):], "-")
		hint := ""
		if s := suggestFlag(flags, bad); s != "" {
			hint = fmt.Sprintf("; did you mean %s?", s)
		}
		dash := "--"
		if len(bad) == 1 {
			dash = "-"
		}
		return usagef("unknown flag %s%s%s (see '%s --help')", dash, bad, hint, name)
	}
	return usagef("%s (see '%s --help')", strings.ToLower(msg), name)
}

// suggestFlag returns the closest flag name ("--out"), or "" when nothing
// is close enough to help.
func suggestFlag(flags []ucli.Flag, bad string) string {
	best, bestD := "", 1<<30
	for _, f := range flags {
		for _, n := range f.Names() {
			if d := editDistance(bad, n); d < bestD {
				best, bestD = n, d
			}
		}
	}
	if best == "" || bestD > max(2, len(bad)/2) {
		return ""
	}
	if len(best) == 1 {
		return "-" + best
	}
	return "--" + best
}

func suggestCommand(cmds []*ucli.Command, bad string) string {
	best, bestD := "", 1<<30
	for _, c := range cmds {
		if c.Hidden {
			continue
		}
		if d := editDistance(bad, c.Name); d < bestD {
			best, bestD = c.Name, d
		}
	}
	if best == "" || bestD > max(2, len(bad)/2) {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// checkPaths rejects a flag given after a path (urfave/cli stops parsing
// flags at the first path and would take it as a path) and shows the
// corrected command; it also requires at least one path.
func checkPaths(c *ucli.Context, verb string) ([]string, error) {
	args := c.Args().Slice()
	raw := os.Args
	if c.App != nil && c.App.Metadata != nil {
		if a, ok := c.App.Metadata["args"].([]string); ok {
			raw = a
		}
	}
	var paths, moved []string
	afterDashDash := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			afterDashDash = true
			continue
		}
		if !afterDashDash && strings.HasPrefix(a, "-") && a != "-" {
			moved = append(moved, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue(c, name) && i+1 < len(args) {
				i++
				moved = append(moved, args[i])
			}
			continue
		}
		paths = append(paths, a)
	}
	if len(moved) > 0 {
		// Rebuild: the flags given before the paths, the misplaced ones, then the paths.
		before := flagsBefore(raw, verb, args)
		fixed := append([]string{"photoscrub", verb}, before...)
		fixed = append(fixed, moved...)
		fixed = append(fixed, paths...)
		return nil, usagef("flag %s given after a path would be taken as a path; put flags before paths: %s", moved[0], strings.Join(quoteAll(fixed), " "))
	}
	if len(paths) == 0 {
		return nil, usagef("no path given; usage: photoscrub %s [flags] PATH...", verb)
	}
	return paths, nil
}

// flagsBefore returns the raw arguments between the verb and the first of
// the positional args.
func flagsBefore(raw []string, verb string, positional []string) []string {
	start := -1
	for i, a := range raw {
		if a == verb {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return nil
	}
	end := len(raw) - len(positional)
	if end < start {
		return nil
	}
	return raw[start:end]
}

func takesValue(c *ucli.Context, name string) bool {
	for _, f := range c.Command.Flags {
		for _, n := range f.Names() {
			if n == name {
				_, isBool := f.(*ucli.BoolFlag)
				return !isBool
			}
		}
	}
	return false
}

func quoteAll(a []string) []string {
	out := make([]string, len(a))
	for i, s := range a {
		if s == "" || strings.ContainsAny(s, " \t'\"$*?") {
			out[i] = "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		} else {
			out[i] = s
		}
	}
	return out
}
