package cli

import (
	"fmt"
	"io"
	"os"

	ucli "github.com/urfave/cli/v2"

	"github.com/photoscrub/photoscrub/pkg/report"
)

func reportSummaryCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "summary",
		Usage:     "print the human summary of a saved report",
		ArgsUsage: "REPORT",
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usagef("usage: photoscrub report summary REPORT")
			}
			f, err := os.Open(c.Args().First())
			if err != nil {
				return &exitError{ExitUsage, fmt.Sprintf("%s: cannot open the report", c.Args().First())}
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
		Flags:     []ucli.Flag{&ucli.StringFlag{Name: "out", Required: true, Usage: "write the page to `FILE` (never overwritten)"}},
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usagef("usage: photoscrub report html --out FILE REPORT")
			}
			if err := writeHTMLFile(c.Args().First(), c.String("out")); err != nil {
				return err
			}
			fmt.Fprintf(c.App.ErrWriter, "photoscrub: wrote %s\n", c.String("out"))
			return nil
		},
	}
}

// writeHTMLFile renders the report at src into a new file dst (mode 0600).
func writeHTMLFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return &exitError{ExitUsage, fmt.Sprintf("%s: cannot open the report", src)}
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot create the html file (it must not exist yet)", dst)}
	}
	if err := report.WriteHTML(out, in, report.HTMLOptions{}); err != nil {
		out.Close()
		os.Remove(dst)
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot render the report", src)}
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot write the html file", dst)}
	}
	if err := out.Close(); err != nil {
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot write the html file", dst)}
	}
	return nil
}

func reportMergeCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "merge",
		Usage:     "combine sealed reports of runs over disjoint parts of a store into one sealed report",
		ArgsUsage: "REPORT...",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "out", Required: true, Usage: "write the merged report to `FILE` (never overwritten)"},
			&ucli.StringFlag{Name: "pubkey", Usage: "check each input's signature with this Ed25519 public key `FILE`"},
			&ucli.StringFlag{Name: "sign-key", Usage: "sign the merged seal with this Ed25519 private key `FILE`"},
			&ucli.StringFlag{Name: "operator", Usage: "recorded in the merged header"},
			&ucli.StringFlag{Name: "purpose", Usage: "recorded in the merged header"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() < 1 {
				return usagef("usage: photoscrub report merge --out FILE REPORT...")
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
			return &exitError{ExitUsage, fmt.Sprintf("%s: cannot load the public key", p)}
		}
		pub = k
	}
	if p := c.String("sign-key"); p != "" {
		k, err := report.LoadPrivateKey(p)
		if err != nil {
			return &exitError{ExitUsage, fmt.Sprintf("%s: cannot load the signing key", p)}
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
			return &exitError{ExitUsage, fmt.Sprintf("%s: cannot open the report", a)}
		}
		files = append(files, f)
		readers = append(readers, f)
	}
	dst := c.String("out")
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot create the merged report (it must not exist yet)", dst)}
	}
	head, err := report.Merge(out, report.Header{Operator: c.String("operator"), Purpose: c.String("purpose")}, opts, pub, readers...)
	if err != nil {
		out.Close()
		os.Remove(dst)
		return &exitError{ExitPartial, fmt.Sprintf("merge refused: %v", err)}
	}
	if err := out.Sync(); err != nil {
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot write the merged report", dst)}
	}
	if err := out.Close(); err != nil {
		return &exitError{ExitFatal, fmt.Sprintf("%s: cannot write the merged report", dst)}
	}
	fmt.Fprintf(c.App.ErrWriter, "photoscrub: merged %d reports into %s, chain head %s\n", len(files), dst, head)
	return nil
}
