package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// CSVColumns are the columns CSVWriter writes, in order.
var CSVColumns = []string{"path", "root", "format", "status", "reason", "categories", "findings",
	"tags", "size_before", "size_after", "sha256_before", "sha256_after", "method", "verification", "error"}

// CSVWriter writes file records as CSV (RFC 4180) for spreadsheets: one
// header row, then one row per file. It writes what it is given, so feed it
// records as written to a report (Options.CSV does) when paths must be
// redacted. Text cells that a spreadsheet would read as a formula (starting
// with =, +, -, @, tab or carriage return) get a leading apostrophe.
// A CSVWriter is not safe for concurrent use.
type CSVWriter struct {
	w      *csv.Writer
	header bool
}

// NewCSV returns a CSVWriter writing to w.
func NewCSV(w io.Writer) *CSVWriter {
	return &CSVWriter{w: csv.NewWriter(w)}
}

// WriteFile writes the row of one file record (and the header row first).
// Errors are those of the underlying writer, possibly reported only by
// Flush.
func (c *CSVWriter) WriteFile(f *File) error {
	if !c.header {
		c.header = true
		if err := c.w.Write(CSVColumns); err != nil {
			return err
		}
	}
	var cats, tags []string
	for _, cat := range meta.Categories {
		for _, fd := range f.Findings {
			if fd.Category == cat {
				cats = append(cats, string(cat))
				break
			}
		}
	}
	for _, fd := range f.Findings {
		tags = append(tags, string(fd.Category)+":"+fd.Where+":"+strings.Join(fd.Tags, ","))
	}
	row := []string{
		cell(f.Path), strconv.Itoa(f.Root), cell(f.Format), cell(string(f.Status)), cell(string(f.Reason)),
		cell(strings.Join(cats, ";")), strconv.Itoa(len(f.Findings)), cell(strings.Join(tags, ";")),
		strconv.FormatInt(f.SizeBefore, 10), strconv.FormatInt(f.SizeAfter, 10),
		cell(f.SHA256Before), cell(f.SHA256After), cell(f.Method), cell(f.Verification), cell(f.Error),
	}
	return c.w.Write(row)
}

// Flush writes any buffered data and returns the first write error.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// cell neutralises spreadsheet formula injection (OWASP "CSV Injection").
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
