package report

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxLine bounds one report line when reading (a hostile report cannot make
// Verify allocate more).
const maxLine = 64 << 20

var errLineTooLong = errors.New("line longer than 64 MiB")

// VerifyResult is the outcome of Verify.
type VerifyResult struct {
	// RunID is the header's run ID ("" when the header is unreadable).
	RunID string
	// Head is the hex SHA-256 of the last line that verified: the chain
	// head when the report is sealed and intact. Compare it with the head
	// printed at the end of the run.
	Head string
	// Records is the number of lines that verified, header and seal
	// included.
	Records int64
	// Sealed reports that a seal was found (and verified when Problem is "").
	Sealed bool
	// Signed reports that the seal carries a signature; SignatureChecked
	// that it was verified against the given public key.
	Signed, SignatureChecked bool
	// FirstBad is the seq of the first record that is missing, altered or
	// out of place, or -1. For an unsealed report it is the seq the next
	// record would have had.
	FirstBad int64
	// Problem describes the first problem, "" when the report verifies.
	Problem string
}

// String is a one-line description of r for people.
func (r VerifyResult) String() string {
	if r.Problem != "" {
		return "NOT VERIFIED: " + r.Problem
	}
	sig := "not signed"
	if r.SignatureChecked {
		sig = "signature valid"
	} else if r.Signed {
		sig = "signature present, not checked"
	}
	return fmt.Sprintf("verified: %d records, sealed, %s, head %s", r.Records, sig, r.Head)
}

// state is what one pass over a report learns, shared by Verify, Summarize
// and Merge.
type state struct {
	res    VerifyResult
	header *Header
	seal   *Summary
	count  counter
	files  [][]byte // file lines, kept only when keepFiles
}

// Verify reads a report and checks, in order for every line: that it is one
// complete line of JSON in canonical form (exactly as the Writer marshals
// it), that the first line is the header and the last the seal and nothing
// follows it, that seq counts 0, 1, 2, ... and that prev is the hex SHA-256
// of the previous line (the genesis hash for the header). At the seal it
// checks the record count, the per-status and per-category counts against
// the file records, and the signature: against pub when pub is not nil,
// and for consistency with the header's "signed" option always.
//
// When a hash mismatch between records N-1 and N could be explained by an
// alteration of either, record N+1 decides (if its prev matches record N,
// record N-1 was altered); at the seal a signature checked against pub
// decides, and without one the earlier record is named.
//
// The error is nil only for an intact, sealed report (and valid signature
// when pub is given); otherwise it is the Problem (or a read error).
// Verify is safe for concurrent use on different readers.
func Verify(r io.Reader, pub ed25519.PublicKey) (VerifyResult, error) {
	st, err := verify(r, pub, false)
	if err == nil && st.res.Problem != "" {
		err = errors.New("report: " + st.res.Problem)
	}
	return st.res, err
}

// lineReader yields lines without their trailing newline.
type lineReader struct{ br *bufio.Reader }

// next returns the next line; complete is false when it lacks its newline.
func (lr *lineReader) next() (line []byte, complete bool, err error) {
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if len(line)+len(chunk) > maxLine {
			return nil, false, errLineTooLong
		}
		line = append(line, chunk...)
		switch {
		case err == nil:
			return line[:len(line)-1], true, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return line, false, nil
		default:
			return nil, false, err
		}
	}
}

type probe struct {
	Type string `json:"type"`
	Seq  *int64 `json:"seq"`
	Prev string `json:"prev"`
}

// verify makes one pass over a report. Its error is a read error only;
// verification problems are in st.res.
func verify(r io.Reader, pub ed25519.PublicKey, keepFiles bool) (*state, error) {
	st := &state{res: VerifyResult{FirstBad: -1}}
	lr := &lineReader{br: bufio.NewReaderSize(r, 64<<10)}
	var pos int64
	prevHash, prevPrevHash := "", ""
	var prevCount counter // the counts before the previous line
	bad := func(seq int64, format string, args ...any) (*state, error) {
		if seq < st.res.Records { // the previous line turned out altered
			st.res.Records, st.res.Head, st.count = seq, prevPrevHash, prevCount
			if keepFiles && len(st.files) > 0 {
				st.files = st.files[:len(st.files)-1]
			}
		}
		st.res.FirstBad = seq
		st.res.Problem = fmt.Sprintf(format, args...)
		st.res.Sealed = st.seal != nil
		return st, nil
	}
	for ; ; pos++ {
		line, complete, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, errLineTooLong) {
			return bad(pos, "record seq %d: %v", pos, err)
		}
		if err != nil {
			st.res.FirstBad, st.res.Problem = pos, "read error"
			return st, fmt.Errorf("report: read: %w", err)
		}
		if st.seal != nil {
			return bad(pos, "record seq %d: data after the seal", pos)
		}
		if !complete {
			return bad(pos, "not sealed: interrupted after seq %d (record seq %d is incomplete)", pos-1, pos)
		}
		var p probe
		if err := json.Unmarshal(line, &p); err != nil || p.Seq == nil {
			return bad(pos, "record seq %d: not a valid record", pos)
		}
		switch {
		case pos == 0 && p.Type != TypeHeader:
			return bad(0, "record seq 0: the first record is not the header")
		case pos > 0 && p.Type != TypeFile && p.Type != TypeSummary:
			return bad(pos, "record seq %d: unexpected record type %q", pos, cleanText(p.Type, 16))
		case *p.Seq != pos:
			return bad(pos, "record seq %d: found seq %d instead (a record is missing, duplicated or out of order)", pos, *p.Seq)
		}
		var rec any
		switch p.Type {
		case TypeHeader:
			st.header = new(Header)
			rec = st.header
		case TypeFile:
			rec = new(File)
		case TypeSummary:
			st.seal = new(Summary)
			rec = st.seal
		}
		if json.Unmarshal(line, rec) != nil {
			return bad(pos, "record seq %d: not a valid %s record", pos, p.Type)
		}
		if canon, err := json.Marshal(rec); err != nil || !bytes.Equal(canon, line) {
			return bad(pos, "record seq %d: not in canonical form", pos)
		}
		h := lineHash(line)
		countBefore := st.count
		if pos == 0 {
			if st.header.Schema != SchemaVersion {
				return bad(0, "record seq 0: unknown schema %q", cleanText(st.header.Schema, 32))
			}
			if !hex32.MatchString(st.header.RunID) {
				return bad(0, "record seq 0: malformed run_id")
			}
			st.res.RunID = st.header.RunID
			if p.Prev != genesis(st.header.RunID) {
				return bad(0, "record seq 0: prev is not the genesis hash of its run_id")
			}
		} else if p.Prev != prevHash {
			// Either record pos-1 or record pos was altered; the next
			// record (or the seal's signature) vouches for one of them.
			vouched := false
			if st.seal != nil {
				// Only a failing signature check speaks against the seal.
				vouched = pub == nil || !st.header.Options.Signed || checkSeal(st.seal, pub) == nil
			} else if next, ok, err := lr.next(); err == nil && ok {
				var q probe
				vouched = json.Unmarshal(next, &q) == nil && q.Prev == h
			}
			if vouched {
				return bad(pos-1, "record seq %d was altered: record seq %d's prev does not match it", pos-1, pos)
			}
			return bad(pos, "record seq %d: prev hash does not match line %d", pos, pos-1)
		}
		switch rec := rec.(type) {
		case *File:
			if err := validateFile(rec, len(st.header.Roots)); err != nil {
				return bad(pos, "record seq %d: %s", pos, err.Error()[len("report: "):])
			}
			st.count.add(rec)
			if keepFiles {
				st.files = append(st.files, bytes.Clone(line))
			}
		case *Summary:
			if msg := checkCounts(rec, &st.count, pos); msg != "" {
				return bad(pos, "record seq %d (seal): %s", pos, msg)
			}
			st.res.Signed = rec.Signature != ""
			switch {
			case st.header.Options.Signed && rec.Signature == "":
				return bad(pos, "record seq %d (seal): the header says signed but the seal has no signature", pos)
			case !st.header.Options.Signed && rec.Signature != "":
				return bad(pos, "record seq %d (seal): signature present but the header says unsigned", pos)
			case pub != nil && rec.Signature == "":
				return bad(pos, "record seq %d (seal): not signed, but a public key was given", pos)
			case pub != nil:
				if err := checkSeal(rec, pub); err != nil {
					return bad(pos, "record seq %d (seal): %v", pos, err)
				}
				st.res.SignatureChecked = true
			}
		}
		prevPrevHash, prevHash, prevCount = prevHash, h, countBefore
		st.res.Head, st.res.Records = h, pos+1
	}
	if pos == 0 {
		return bad(0, "empty report")
	}
	if st.seal == nil {
		return bad(pos, "not sealed: interrupted after seq %d", pos-1)
	}
	st.res.Sealed = true
	return st, nil
}

func checkCounts(s *Summary, c *counter, pos int64) string {
	switch {
	case s.Records != pos:
		return fmt.Sprintf("records is %d but %d lines precede the seal", s.Records, pos)
	case s.Files != c.files:
		return fmt.Sprintf("files is %d but %d file records were found", s.Files, c.files)
	case s.Status != c.st:
		return "status counts do not match the file records"
	case s.Categories != c.cat:
		return "category counts do not match the file records"
	case s.Residual != nil && *s.Residual != c.residual:
		return fmt.Sprintf("residual is %d but %d file records still hold location or identity data", *s.Residual, c.residual)
	}
	return ""
}

// checkSeal verifies the seal's signature with pub.
func checkSeal(s *Summary, pub ed25519.PublicKey) error {
	if len(pub) != ed25519.PublicKeySize {
		return errors.New("public key is not an Ed25519 key")
	}
	sig, err := base64.StdEncoding.Strict().DecodeString(s.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errors.New("malformed signature")
	}
	u := *s
	u.Signature = ""
	unsigned, err := json.Marshal(&u)
	if err != nil {
		return err
	}
	if !ed25519.Verify(pub, sealMessage(unsigned), sig) {
		return errors.New("signature does not verify with the given public key")
	}
	return nil
}
