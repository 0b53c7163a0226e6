package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
)

// listSource opens a --files-from list ("-" = standard input) and returns
// a function yielding its entries, newline- or NUL-separated (NUL when the
// list holds any NUL byte in its first 64 KiB), and a closer.
func listSource(name string) (func(yield func(string) error) error, func(), error) {
	var r io.Reader = os.Stdin
	closer := func() {}
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: cannot open the file list%s", name, because(err))
		}
		r, closer = f, func() { f.Close() }
	}
	br := bufio.NewReaderSize(r, 1<<16)
	head, _ := br.Peek(1 << 16)
	sep := byte('\n')
	if bytes.IndexByte(head, 0) >= 0 {
		sep = 0
	}
	src := func(yield func(string) error) error {
		for {
			line, err := br.ReadString(sep)
			entry := line
			if len(entry) > 0 && entry[len(entry)-1] == sep {
				entry = entry[:len(entry)-1]
			}
			if sep == '\n' && len(entry) > 0 && entry[len(entry)-1] == '\r' {
				entry = entry[:len(entry)-1]
			}
			if entry != "" {
				if yerr := yield(entry); yerr != nil {
					return yerr
				}
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: cannot read the file list%s", name, because(err))
			}
		}
	}
	return src, closer, nil
}

func startCPUProfile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot create the cpu profile%s", path, because(err))
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: cannot start the cpu profile", path)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func writeMemProfile(path string) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	runtime.GC()
	_ = pprof.WriteHeapProfile(f)
}
