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
	// Mirror, when set, is a directory holding the log as c2sp.org/tlog-tiles (tile/<L>/<N>,
	// tile/entries/<N>): Go's TileHashReader checks its tiles against the checkpoint instead of Leaves.
	Mirror string `json:"mirror"`
}

// mirrorTiles reads a tlog-tiles directory for Go's tlog. Go names tiles tile/<H>/<L>/<N> and entry
// tiles tile/<H>/data/<N>; c2sp.org/tlog-tiles fixes H at 8 and leaves it out, and says entries.
type mirrorTiles struct{ dir string }

func (m mirrorTiles) Height() int { return 8 }

func (m mirrorTiles) path(t tlog.Tile) string {
	p := strings.TrimPrefix(t.Path(), "tile/8/")
	if strings.HasPrefix(p, "data/") {
		p = "entries/" + strings.TrimPrefix(p, "data/")
	}
	return m.dir + "/tile/" + p
}

func (m mirrorTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := os.ReadFile(m.path(t))
		if err != nil && t.W < 256 {
			// a log may delete a partial tile once the full one exists; take its first W hashes
			full := t
			full.W = 256
			if data, err = os.ReadFile(m.path(full)); err == nil && len(data) >= t.W*tlog.HashSize {
				data = data[:t.W*tlog.HashSize]
			}
		}
		if err != nil {
			return nil, err
		}
		out[i] = data
	}
	return out, nil
}

func (m mirrorTiles) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

// entries reads the entry bundles of a tree of the given size: big-endian uint16 length-prefixed entries.
func (m mirrorTiles) entries(size int64) [][]byte {
	var out [][]byte
	for n := int64(0); n*256 < size; n++ {
		w := size - n*256
		if w > 256 {
			w = 256
		}
		t := tlog.Tile{H: 8, L: -1, N: n, W: int(w)}
		data, err := os.ReadFile(m.path(t))
		if err != nil {
			fail("entry bundle: %v", err)
		}
		for len(data) > 0 {
			if len(data) < 2 {
				fail("entry bundle %s is cut short", m.path(t))
			}
			length := int(data[0])<<8 | int(data[1])
			if len(data) < 2+length {
				fail("entry bundle %s is cut short", m.path(t))
			}
			out = append(out, data[2:2+length])
			data = data[2+length:]
		}
	}
	return out
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
	if c.Mirror != "" {
		checkMirror(mirrorTiles{c.Mirror}, size, root, c.Index, c.OldSize)
		fmt.Println("OK")
		return
	}
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

// checkMirror lets Go's TileHashReader authenticate the mirror's tiles against the signed tree,
// recomputes the root from them, proves and checks an entry's inclusion and a consistency, and
// checks that every entry in the bundles hashes to its level-0 tile hash.
func checkMirror(m mirrorTiles, size int64, root tlog.Hash, index int64, oldSize int64) {
	tree := tlog.Tree{N: size, Hash: root}
	reader := tlog.TileHashReader(tree, m)
	computed, err := tlog.TreeHash(size, reader)
	if err != nil {
		fail("TileHashReader/TreeHash: %v", err)
	}
	if computed != root {
		fail("the tiles give root %v, the checkpoint %v", computed, root)
	}
	entries := m.entries(size)
	if int64(len(entries)) != size {
		fail("the entry bundles hold %d entries, the checkpoint covers %d", len(entries), size)
	}
	indexes := make([]int64, size)
	for i := range indexes {
		indexes[i] = tlog.StoredHashIndex(0, int64(i))
	}
	leafHashes, err := reader.ReadHashes(indexes)
	if err != nil {
		fail("TileHashReader/ReadHashes: %v", err)
	}
	for i, entry := range entries {
		if tlog.RecordHash(entry) != leafHashes[i] {
			fail("entry %d does not hash to its level-0 tile hash", i)
		}
	}
	proof, err := tlog.ProveRecord(size, index, reader)
	if err != nil {
		fail("ProveRecord: %v", err)
	}
	if err := tlog.CheckRecord(proof, size, root, index, tlog.RecordHash(entries[index])); err != nil {
		fail("CheckRecord (inclusion of entry %d from tiles): %v", index, err)
	}
	oldRoot, err := tlog.TreeHash(oldSize, reader)
	if err != nil {
		fail("TreeHash(%d): %v", oldSize, err)
	}
	consistency, err := tlog.ProveTree(size, oldSize, reader)
	if err != nil {
		fail("ProveTree: %v", err)
	}
	if err := tlog.CheckTree(consistency, size, root, oldSize, oldRoot); err != nil {
		fail("CheckTree (consistency %d -> %d from tiles): %v", oldSize, size, err)
	}
}
