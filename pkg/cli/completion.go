package cli

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// completionCommand prints a shell completion script generated from the
// command definitions (urfave/cli's --generate-bash-completion protocol
// for bash and zsh, a static script for fish).
func completionCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script (bash, zsh or fish)",
		ArgsUsage: "bash|zsh|fish",
		UsageText: "photoscrub completion bash|zsh|fish\n\n" +
			"Examples:\n" +
			"   source <(photoscrub completion bash)                     # bash, this shell\n" +
			"   photoscrub completion zsh > \"${fpath[1]}/_photoscrub\"     # zsh\n" +
			"   photoscrub completion fish > ~/.config/fish/completions/photoscrub.fish",
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usagef("usage: photoscrub completion bash|zsh|fish, e.g. source <(photoscrub completion bash)")
			}
			var script string
			switch sh := c.Args().First(); sh {
			case "bash":
				script = bashCompletion
			case "zsh":
				script = zshCompletion
			case "fish":
				s, err := c.App.ToFishCompletion()
				if err != nil {
					return &exitError{ExitFatal, "cannot generate the fish completion"}
				}
				script = s
			default:
				return usagef("unknown shell %q: photoscrub completion bash, zsh or fish", sh)
			}
			_, err := fmt.Fprint(c.App.Writer, script)
			return err
		},
	}
}

// manCommand prints the man page (roff), generated from the command
// definitions with go-md2man. Hidden: packagers run it at build time.
func manCommand() *ucli.Command {
	return &ucli.Command{
		Name:   "man",
		Usage:  "print the photoscrub(1) man page (roff)",
		Hidden: true,
		Action: func(c *ucli.Context) error {
			page, err := manPage(c.App)
			if err != nil {
				return &exitError{ExitFatal, "cannot generate the man page"}
			}
			_, err = fmt.Fprint(c.App.Writer, page)
			return err
		},
	}
}

// manPage renders the app as a section-1 man page, without the hidden
// commands.
func manPage(app *ucli.App) (string, error) {
	visible := *app
	visible.Commands = nil
	for _, cmd := range app.Commands {
		if !cmd.Hidden {
			visible.Commands = append(visible.Commands, cmd)
		}
	}
	page, err := visible.ToManWithSection(1)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(page) + "\n", nil
}

const bashCompletion = `# bash completion for photoscrub (photoscrub completion bash)
_photoscrub_complete() {
  local cur words
  COMPREPLY=()
  cur="${COMP_WORDS[COMP_CWORD]}"
  words=("${COMP_WORDS[@]:0:$COMP_CWORD}")
  if [[ "$cur" == "-"* ]]; then
    COMPREPLY=($(compgen -W "$("${words[@]}" "$cur" --generate-bash-completion 2>/dev/null)" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$("${words[@]}" --generate-bash-completion 2>/dev/null)" -- "$cur"))
  fi
  return 0
}
complete -o bashdefault -o default -F _photoscrub_complete photoscrub
`

const zshCompletion = `#compdef photoscrub
# zsh completion for photoscrub (photoscrub completion zsh)
_photoscrub() {
  local -a opts
  local cur
  cur=${words[-1]}
  if [[ "$cur" == "-"* ]]; then
    opts=("${(@f)$(${words[@]:0:#words[@]-1} ${cur} --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(${words[@]:0:#words[@]-1} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ "${opts[1]}" != "" ]]; then
    _describe 'values' opts
  else
    _files
  fi
}
if [[ "${funcstack[1]}" == "_photoscrub" ]]; then
  _photoscrub "$@"
else
  compdef _photoscrub photoscrub
fi
`
