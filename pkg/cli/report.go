package cli

import (
	"fmt"
	"os"

	ucli "github.com/urfave/cli/v2"

	"github.com/photoscrub/photoscrub/pkg/report"
)

func reportCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "report",
		Usage: "work with saved audit reports",
		UsageText: "photoscrub report verify|summary|html|merge|keygen ...\n\n" +
			"Examples:\n" +
			"   photoscrub report verify audit.jsonl\n" +
			"   photoscrub report html --out audit.html audit.jsonl\n" +
			"   photoscrub report merge --out night.jsonl shard-0.jsonl shard-1.jsonl",
		Subcommands: []*ucli.Command{
			reportSummaryCommand(),
			reportHTMLCommand(),
			reportMergeCommand(),
			{
				Name:      "verify",
				Usage:     "recompute a report's hash chain (and signature) and name the first bad record",
				ArgsUsage: "REPORT...",
				UsageText: "photoscrub report verify [--pubkey FILE] REPORT...\n\n" +
					"Examples:\n" +
					"   photoscrub report verify audit.jsonl\n" +
					"   photoscrub report verify --pubkey dpo.pub audit.jsonl\n" +
					"   photoscrub report verify serve-000001.jsonl serve-000002.jsonl   (a rotated series)",
				Flags: []ucli.Flag{&ucli.StringFlag{Name: "pubkey", Usage: "check the seal signature with the Ed25519 public key in `FILE`"}},
				Action: func(c *ucli.Context) error {
					if c.NArg() > 1 || c.NArg() == 1 && isSeriesName(c.Args().First()) {
						// A rotated series from serve or watch: every file and the
						// chain between them.
						return runVerifySeries(c, c.Args().Slice(), c.String("pubkey"))
					}
					if c.NArg() != 1 {
						return usagef("usage: photoscrub report verify [--pubkey FILE] REPORT...")
					}
					return runVerify(c, c.Args().First(), c.String("pubkey"))
				},
			},
			{
				Name:      "keygen",
				Usage:     "create an Ed25519 key pair for --sign-key / --pubkey",
				ArgsUsage: "PRIVATE-KEY-FILE PUBLIC-KEY-FILE",
				UsageText: "photoscrub report keygen PRIVATE-KEY-FILE PUBLIC-KEY-FILE\n\n" +
					"Examples:\n" +
					"   photoscrub report keygen dpo.key dpo.pub\n" +
					"   photoscrub scan --sign-key dpo.key --report audit.jsonl photos && photoscrub report verify --pubkey dpo.pub audit.jsonl",
				Action: func(c *ucli.Context) error {
					if c.NArg() != 2 {
						return usagef("usage: photoscrub report keygen PRIVATE-KEY-FILE PUBLIC-KEY-FILE")
					}
					if _, err := report.GenerateKey(c.Args().Get(0), c.Args().Get(1)); err != nil {
						return &exitError{ExitFatal, fmt.Sprintf("%s: cannot create the key pair (files must not exist yet)%s", c.Args().Get(0), because(err))}
					}
					fmt.Fprintf(c.App.ErrWriter, "photoscrub: wrote %s (keep it secret) and %s\n", c.Args().Get(0), c.Args().Get(1))
					return nil
				},
			},
		},
	}
}

func runVerify(c *ucli.Context, path, pubPath string) error {
	f, err := os.Open(path)
	if err != nil {
		return &exitError{ExitUsage, fmt.Sprintf("%s: cannot open the report%s", path, because(err))}
	}
	defer f.Close()
	pub, err := loadPubKey(pubPath)
	if err != nil {
		return err
	}
	res, err := report.Verify(f, pub)
	if err != nil {
		return &exitError{ExitPartial, fmt.Sprintf("%s: %v", path, err)}
	}
	fmt.Fprintf(c.App.Writer, "%s: %s\n", path, res.String())
	if res.FirstBad >= 0 || !res.Sealed {
		return &exitError{code: ExitPartial}
	}
	return nil
}

// loadPubKey loads the --pubkey of report verify ("" gives nil: no
// signature check).
func loadPubKey(pubPath string) ([]byte, error) {
	if pubPath == "" {
		return nil, nil
	}
	k, err := report.LoadPublicKey(pubPath)
	if err != nil {
		return nil, &exitError{ExitUsage, fmt.Sprintf("%s: cannot load the public key%s", pubPath, because(err))}
	}
	return k, nil
}
