// Command crosscheck verifies Brobygger's audit checkpoints and proofs with Go's own
// implementations: golang.org/x/mod/sumdb/note for the signed note (c2sp.org/signed-note) and
// golang.org/x/mod/sumdb/tlog for RFC 6962 hashing, inclusion and consistency proofs. It reads one
// JSON case (written by CrossCheckWithGoTest) from the file named by its argument and prints "OK"
// or exits non-zero naming what failed.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type checkCase struct {
	VerifierKey string   `json:"verifierKey"`
	Checkpoint  string   `json:"checkpoint"`
	Origin      string   `json:"origin"`
	Leaves      []string `json:"leaves"`
	Index       int64    `json:"index"`
	Inclusion   []string `json:"inclusion"`
	OldSize     int64    `json:"oldSize"`
	OldRoot     string   `json:"oldRoot"`
	Consistency []string `json:"consistency"`
}

type hashes map[int64]tlog.Hash

func (h hashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, index := range indexes {
		hash, ok := h[index]
		if !ok {
			return nil, fmt.Errorf("no stored hash %d", index)
		}
		out[i] = hash
	}
	return out, nil
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "crosscheck: "+format+"\n", args...)
	os.Exit(1)
}

func hash(b64 string) tlog.Hash {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != tlog.HashSize {
		fail("not a base64 hash: %q", b64)
	}
	var h tlog.Hash
	copy(h[:], raw)
	return h
}

func proof(lines []string) []tlog.Hash {
	out := make([]tlog.Hash, len(lines))
	for i, line := range lines {
		out[i] = hash(line)
	}
	return out
}

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail("%v", err)
	}
	var c checkCase
	if err := json.Unmarshal(data, &c); err != nil {
		fail("%v", err)
	}
	verifier, err := note.NewVerifier(c.VerifierKey)
	if err != nil {
		fail("verifier key: %v", err)
	}
	opened, err := note.Open([]byte(c.Checkpoint), note.VerifierList(verifier))
	if err != nil {
		fail("note.Open: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(opened.Text, "\n"), "\n")
	if len(lines) < 3 || lines[0] != c.Origin {
		fail("checkpoint text is not origin, size, root: %q", opened.Text)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("tree size: %v", err)
	}
	root := hash(lines[2])
	if size != int64(len(c.Leaves)) {
		fail("checkpoint size %d, %d leaves given", size, len(c.Leaves))
	}

	// Recompute the root from the entries, the way the Go checksum database stores its tree.
	stored := hashes{}
	for i, leaf := range c.Leaves {
		raw, err := base64.StdEncoding.DecodeString(leaf)
		if err != nil {
			fail("leaf %d: %v", i, err)
		}
		more, err := tlog.StoredHashes(int64(i), raw, stored)
		if err != nil {
			fail("StoredHashes: %v", err)
		}
		for j, h := range more {
			stored[tlog.StoredHashIndex(0, int64(i))+int64(j)] = h
		}
	}
	computed, err := tlog.TreeHash(size, stored)
	if err != nil {
		fail("TreeHash: %v", err)
	}
	if computed != root {
		fail("the signed root %v is not the root of the entries, %v", root, computed)
	}
	leafRaw, _ := base64.StdEncoding.DecodeString(c.Leaves[c.Index])
	if err := tlog.CheckRecord(proof(c.Inclusion), size, root, c.Index, tlog.RecordHash(leafRaw)); err != nil {
		fail("CheckRecord (inclusion of entry %d): %v", c.Index, err)
	}
	if err := tlog.CheckTree(proof(c.Consistency), size, root, c.OldSize, hash(c.OldRoot)); err != nil {
		fail("CheckTree (consistency %d -> %d): %v", c.OldSize, size, err)
	}
	fmt.Println("OK")
}
