package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/photoscrub/photoscrub/pkg/internal/pipeline"
	"github.com/photoscrub/photoscrub/pkg/internal/walk"
)

// progress draws a bar on stderr when it is a terminal: files done of
// found (total once known), files/s, files with findings among those done,
// and a labelled ETA. Problem lines are printed above it (println clears
// the bar, writes the line, and the bar is drawn again below). It never
// prints a path or a finding's content itself.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	bar      *progressbar.ProgressBar
	findings int64
	done     int64
	total    int
	start    time.Time
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
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionSetElapsedTime(false),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription("walking"),
	)
	return &progress{w: f, bar: bar, start: time.Now()}
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
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if len(r.Findings) > 0 {
		p.findings++
	}
	// Count first, then the description: a drawn bar never shows more
	// files with findings than files done.
	_ = p.bar.Add(1)
	p.bar.Describe(p.describe())
}

// describe is the text before the bar: files with findings among those
// done, and the estimated time left once the total is known.
func (p *progress) describe() string {
	d := fmt.Sprintf("%d with findings", p.findings)
	if p.total > 0 && p.done > 0 && int64(p.total) > p.done {
		per := time.Since(p.start) / time.Duration(p.done)
		left := (per * time.Duration(int64(p.total)-p.done)).Round(time.Second)
		d += fmt.Sprintf(", ETA %s", left)
	}
	return d
}

// println prints a whole line above the bar: the bar is cleared first
// (never glued to the line) and drawn again below it by the next update.
func (p *progress) println(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Clear()
	io.WriteString(p.w, line)
	_ = p.bar.RenderBlank()
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Clear()
}
