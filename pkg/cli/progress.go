package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/photoscrub/photoscrub/pkg/internal/pipeline"
	"github.com/photoscrub/photoscrub/pkg/internal/walk"
)

// progress draws a bar on stderr when it is a terminal: files done of
// found (total once the walk is over), files/s, files with findings, ETA.
// It never prints a path or a finding's content.
type progress struct {
	mu       sync.Mutex
	bar      *progressbar.ProgressBar
	findings atomic.Int64
	total    int
}

// newProgress returns nil (no bar) unless w is a terminal and not quiet.
func newProgress(w io.Writer, quiet bool) *progress {
	f, ok := w.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	bar := progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(f),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("files"),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription("walking"),
	)
	return &progress{bar: bar}
}

func (p *progress) Found(n int) {}

// countAhead walks the roots once more, reading directories only, to learn
// the total early: the pipeline's own walk runs just ahead of the workers,
// so its count is known only at the very end. Used only when a bar is drawn.
func (p *progress) countAhead(ctx context.Context, cfg pipeline.Config) {
	if cfg.FilesFrom != nil {
		return
	}
	go func() {
		roots, err := walk.Open(cfg.Roots)
		if err != nil {
			return
		}
		defer func() {
			for _, r := range roots {
				r.Close()
			}
		}()
		n := 0
		err = walk.Walk(ctx, roots, walk.Options{Exclude: cfg.Exclude}, func(c walk.Candidate) error {
			if cfg.Shard.Of <= 1 || pipeline.ShardOf(c.Rel, cfg.Shard.Of) == cfg.Shard.Index {
				n++
			}
			return nil
		})
		if err == nil {
			p.setTotal(n)
		}
	}()
}

func (p *progress) setTotal(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.total == 0 {
		p.total = n
		p.bar.ChangeMax(n)
	}
}

func (p *progress) WalkFinished(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total = n
	p.bar.ChangeMax(n)
}

func (p *progress) Done(r *pipeline.Result) {
	if len(r.Findings) > 0 {
		p.findings.Add(1)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar.Describe(fmt.Sprintf("%d with findings", p.findings.Load()))
	_ = p.bar.Add(1)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Clear()
}
