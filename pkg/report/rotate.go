package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RotateOptions say when a Series starts its next file. Zero values never
// rotate on that criterion.
type RotateOptions struct {
	// Every seals the current file and starts the next one after this long.
	Every time.Duration
	// MaxBytes seals the current file once it holds at least this many bytes.
	MaxBytes int64
}

// Series is a rotated report for long-running commands (serve, watch): a
// sequence of files BASE-000001.jsonl, BASE-000002.jsonl, ... (BASE is the
// --report name without its .jsonl extension), each a complete report with
// its own header, hash chain and seal. The header of every file after the
// first carries in prev_report the chain head of the file before it, so the
// chain spans the files: VerifySeries checks them in order.
//
// A Series is safe for concurrent use.
type Series struct {
	mu       sync.Mutex
	base     string
	hdr      Header
	opts     Options
	ro       RotateOptions
	w        *Writer
	cf       *countingFile
	index    int
	opened   time.Time
	path     string
	prevHead string
	closed   bool
	err      error
	stop     chan struct{}
	done     chan struct{}
	heads    []string
}

// countingFile is the report file of a Series: it counts bytes and syncs.
type countingFile struct {
	f *os.File
	n int64
}

func (c *countingFile) Write(p []byte) (int, error) {
	n, err := c.f.Write(p)
	c.n += int64(n)
	return n, err
}

func (c *countingFile) Sync() error { return c.f.Sync() }

var seriesName = regexp.MustCompile(`-([0-9]{6,})\.jsonl$`)

// SeriesFiles returns the existing files of the series named by base (the
// --report value), in order.
func SeriesFiles(base string) ([]string, error) {
	stem := seriesStem(base)
	matches, err := filepath.Glob(globEscape(stem) + "-*.jsonl")
	if err != nil {
		return nil, err
	}
	type nf struct {
		n    int
		path string
	}
	var out []nf
	for _, m := range matches {
		rest := strings.TrimPrefix(m, stem)
		sm := seriesName.FindStringSubmatch(rest)
		if sm == nil || sm[0] != rest {
			continue
		}
		n, err := strconv.Atoi(sm[1])
		if err != nil {
			continue
		}
		out = append(out, nf{n, m})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].n < out[j].n })
	paths := make([]string, len(out))
	for i, x := range out {
		paths[i] = x.path
	}
	return paths, nil
}

func globEscape(s string) string {
	r := strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`)
	return r.Replace(s)
}

func seriesStem(base string) string { return strings.TrimSuffix(base, ".jsonl") }

func seriesPath(base string, i int) string { return fmt.Sprintf("%s-%06d.jsonl", seriesStem(base), i) }

// OpenSeries starts a series at base with header h (every file gets h with
// a fresh run ID and start time). When files of the series already exist
// (a restart), numbering continues after the last one and the new file's
// prev_report is the last one's head (its seal, or its last intact line
// when the earlier process was killed before sealing it).
func OpenSeries(base string, h Header, opts Options, ro RotateOptions) (*Series, error) {
	if base == "" {
		return nil, errors.New("report: series needs a file name")
	}
	s := &Series{base: base, hdr: h, opts: opts, ro: ro, stop: make(chan struct{}), done: make(chan struct{})}
	files, err := SeriesFiles(base)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if n := len(files); n > 0 {
		last := files[n-1]
		m := seriesName.FindStringSubmatch(strings.TrimPrefix(last, seriesStem(base)))
		s.index, _ = strconv.Atoi(m[1])
		f, err := os.Open(last)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		res, _ := Verify(f, nil)
		f.Close()
		s.prevHead = res.Head
	}
	if err := s.openNext(); err != nil {
		return nil, err
	}
	go s.ticker()
	return s, nil
}

func (s *Series) openNext() error {
	s.index++
	path := seriesPath(s.base, s.index)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("report: %s already exists; a report is never overwritten", path)
		}
		return fmt.Errorf("report: %w", err)
	}
	h := s.hdr
	h.RunID, h.Start = "", ""
	h.PrevReport = s.prevHead
	cf := &countingFile{f: f}
	w, err := NewWriter(cf, h, s.opts)
	if err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	w.file = f
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	s.w, s.cf, s.path, s.opened = w, cf, path, time.Now()
	return nil
}

// rotateLocked seals the current file and opens the next.
func (s *Series) rotateLocked() error {
	head, err := s.w.Close(Summary{})
	if err != nil {
		s.err = err
		return err
	}
	s.prevHead = head
	s.heads = append(s.heads, head)
	if err := s.openNext(); err != nil {
		s.err = err
		return err
	}
	return nil
}

func (s *Series) due() bool {
	return (s.ro.Every > 0 && time.Since(s.opened) >= s.ro.Every) || (s.ro.MaxBytes > 0 && s.cf.n >= s.ro.MaxBytes)
}

func (s *Series) ticker() {
	defer close(s.done)
	if s.ro.Every <= 0 {
		<-s.stop
		return
	}
	t := time.NewTicker(min(s.ro.Every/4+time.Millisecond, time.Minute))
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.Lock()
			if !s.closed && s.err == nil && s.w.seq > 1 && s.due() {
				s.rotateLocked()
			}
			s.mu.Unlock()
		}
	}
}

// WriteFile appends one record (see Writer.WriteFile) to the current file,
// rotating first when the file is due.
func (s *Series) WriteFile(f *File) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writeLocked(f, false)
}

// WriteFileSync is WriteFile followed by a sync of the report file: the
// record is durable when it returns (watch removes an original only then).
func (s *Series) WriteFileSync(f *File) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writeLocked(f, true)
}

func (s *Series) writeLocked(f *File, durable bool) error {
	if s.err != nil {
		return s.err
	}
	if s.closed {
		return errors.New("report: write after Close")
	}
	if s.due() && s.w.seq > 1 {
		if err := s.rotateLocked(); err != nil {
			return err
		}
	}
	if err := s.w.WriteFile(f); err != nil {
		return err
	}
	if durable {
		return s.w.sync()
	}
	return nil
}

// Rotate seals the current file now and starts the next one (for tests and
// SIGHUP-style operations).
func (s *Series) Rotate() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	if s.closed {
		return errors.New("report: rotate after Close")
	}
	return s.rotateLocked()
}

// Path returns the file being written.
func (s *Series) Path() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.path
}

// Close seals the current file with sum (see Writer.Close) and returns its
// head, the head of the whole series.
func (s *Series) Close(sum Summary) (string, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return "", errors.New("report: Close called twice")
	}
	s.closed = true
	s.mu.Unlock()
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		s.w.Close(sum)
		return "", s.err
	}
	return s.w.Close(sum)
}
