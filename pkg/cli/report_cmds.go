package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/photoscrub/photoscrub/pkg/report"
)

func reportSummaryCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "summary",
		Usage:     "print the human summary of a saved report",
		ArgsUsage: "REPORT",
		UsageText: "photoscrub report summary REPORT\n\n" +
			"Examples:\n" +
			"   photoscrub report summary audit.jsonl",
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usagef("usage: photoscrub report summary REPORT")
			}
			f, err := os.Open(c.Args().First())
			if err != nil {
				return &exitError{ExitUsage, fmt.Sprintf("%s: cannot open the report%s", c.Args().First(), because(err))}
			}
			defer f.Close()
			t, err := report.Summarize(f)
			if err != nil {
				return &exitError{ExitPartial, fmt.Sprintf("%s: %v", c.Args().First(), err)}
			}
			if err := t.WriteText(c.App.Writer); err != nil {
				return &exitError{ExitFatal, "cannot write the summary"}
			}
			return nil
		},
	}
}

func reportHTMLCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "html",
		Usage:     "render a saved report as one self-contained HTML page",
		ArgsUsage: "REPORT",
		UsageText: "photoscrub report html --out FILE REPORT    (--out is required)\n\n" +
			"Examples:\n" +
			"   photoscrub report html --out audit.html audit.jsonl\n" +
			"   photoscrub report html --out /srv/dpo/2026-03-01.html /var/log/photoscrub/nightly.jsonl",
		Flags: []ucli.Flag{&ucli.StringFlag{Name: "out", Usage: "write the page to `FILE` (required; never overwritten)"}},
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usagef("usage: photoscrub report html --out FILE REPORT, e.g. photoscrub report html --out audit.html audit.jsonl")
			}
			if c.String("out") == "" {
				src := c.Args().First()
				return usagef("report html needs --out FILE for the page: photoscrub report html --out %s %s",
					quoteAll([]string{strings.TrimSuffix(src, filepath.Ext(src)) + ".html"})[0], quoteAll([]string{src})[0])
			}
			if dst := c.String("out"); exists(dst) {
				return usagef("--out %s already exists and a page is never overwritten; choose a new name: photoscrub report html --out %s %s",
					dst, freshName(dst), command(c.Args().Slice()))
			}
			if err := writeHTMLFile(c.Args().First(), c.String("out")); err != nil {
				return err
			}
			fmt.Fprintf(c.App.ErrWriter, "photoscrub: wrote %s\n", c.String("out"))
			return nil
		},
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// writeHTMLFile renders the report at src into a new file dst (mode 0600).
func writeHTMLFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return &exitError{ExitUsage, fmt.Sprintf("%s: cannot open the report%s", src, because(err))}
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot create the html file: it exists already and must not exist yet", dst)}
	}
	if err != nil {
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot create the html file%s", dst, because(err))}
	}
	if err := report.WriteHTML(out, in, report.HTMLOptions{}); err != nil {
		out.Close()
		os.Remove(dst)
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot render the report", src)}
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot write the html file%s", dst, because(err))}
	}
	if err := out.Close(); err != nil {
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot write the html file%s", dst, because(err))}
	}
	return nil
}

func reportMergeCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "merge",
		Usage:     "combine sealed reports of runs over disjoint parts of a store into one sealed report",
		ArgsUsage: "REPORT...",
		UsageText: "photoscrub report merge --out FILE REPORT...    (--out is required)\n\n" +
			"Examples:\n" +
			"   photoscrub report merge --out night.jsonl shard-0.jsonl shard-1.jsonl shard-2.jsonl\n" +
			"   photoscrub report merge --pubkey k.pub --sign-key k.key --out night.jsonl shard-*.jsonl",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "out", Usage: "write the merged report to `FILE` (required; never overwritten)"},
			&ucli.StringFlag{Name: "pubkey", Usage: "check each input's signature with this Ed25519 public key `FILE`"},
			&ucli.StringFlag{Name: "sign-key", Usage: "sign the merged seal with this Ed25519 private key `FILE`"},
			&ucli.StringFlag{Name: "operator", Usage: "recorded in the merged header"},
			&ucli.StringFlag{Name: "purpose", Usage: "recorded in the merged header"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() < 1 {
				return usagef("usage: photoscrub report merge --out FILE REPORT..., e.g. photoscrub report merge --out all.jsonl shard-0.jsonl shard-1.jsonl")
			}
			if c.String("out") == "" {
				return usagef("report merge needs --out FILE for the merged report: photoscrub report merge --out merged.jsonl %s", command(c.Args().Slice()))
			}
			return runMerge(c)
		},
	}
}

func runMerge(c *ucli.Context) error {
	var opts report.Options
	var pub []byte
	if p := c.String("pubkey"); p != "" {
		k, err := report.LoadPublicKey(p)
		if err != nil {
			return &exitError{ExitUsage, fmt.Sprintf("%s: cannot load the public key%s", p, because(err))}
		}
		pub = k
	}
	if p := c.String("sign-key"); p != "" {
		k, err := report.LoadPrivateKey(p)
		if err != nil {
			return &exitError{ExitUsage, fmt.Sprintf("%s: cannot load the signing key%s", p, because(err))}
		}
		opts.SignKey = k
	}
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	var readers []io.Reader
	for _, a := range c.Args().Slice() {
		f, err := os.Open(a)
		if err != nil {
			return &exitError{ExitUsage, fmt.Sprintf("%s: cannot open the report%s", a, because(err))}
		}
		files = append(files, f)
		readers = append(readers, f)
	}
	dst := c.String("out")
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return &exitError{ExitUsage, fmt.Sprintf("--out %s already exists and a report is never overwritten; choose a new name: photoscrub report merge --out %s %s", dst, freshName(dst), command(c.Args().Slice()))}
	}
	if err != nil {
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot create the merged report%s", dst, because(err))}
	}
	head, err := report.Merge(out, report.Header{Operator: c.String("operator"), Purpose: c.String("purpose")}, opts, pub, readers...)
	if err != nil {
		out.Close()
		os.Remove(dst)
		return &exitError{ExitPartial, fmt.Sprintf("merge refused: %v", err)}
	}
	if err := out.Sync(); err != nil {
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot write the merged report%s", dst, because(err))}
	}
	if err := out.Close(); err != nil {
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot write the merged report%s", dst, because(err))}
	}
	fmt.Fprintf(c.App.ErrWriter, "photoscrub: merged %d reports into %s, chain head %s\n", len(files), dst, head)
	return nil
}
