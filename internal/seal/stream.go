package seal

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Encrypted backups are a stream of chunks (the STREAM construction):
//
//	magic "XINLUBK1" ‖ suite length (1 byte) ‖ suite ‖ nonce prefix (7 bytes)
//	then chunks: length (4 bytes, big-endian) ‖ AEAD(chunk)
//
// Chunk i is sealed under the backup key with nonce prefix ‖ i (4 bytes) ‖
// last flag (1 byte) and the header as associated data, so chunks cannot be
// reordered, dropped or cut off at the end, and the header cannot be changed.
// The backup key is derived from the master key of the key file.
const (
	streamMagic = "XINLUBK1"
	chunkSize   = 64 << 10
)

// IsEncryptedBackup reports whether head (the first bytes of a file)
// starts an encrypted backup.
func IsEncryptedBackup(head []byte) bool { return bytes.HasPrefix(head, []byte(streamMagic)) }

// ErrBadBackup means an encrypted backup does not decrypt: wrong key file,
// altered or truncated.
var ErrBadBackup = errors.New("encrypted backup does not decrypt: wrong key file, or the file was altered or cut short")

func streamNonce(prefix []byte, i uint32, last bool) []byte {
	n := make([]byte, 12)
	copy(n, prefix)
	binary.BigEndian.PutUint32(n[7:], i)
	if last {
		n[11] = 1
	}
	return n
}

// EncryptStream writes src encrypted under the backup key to dst.
func (k *Keys) EncryptStream(dst io.Writer, src io.Reader) error {
	a, err := k.suite.aead(k.derive("backup", k.suite.KeySize()))
	if err != nil {
		return err
	}
	header := []byte(streamMagic)
	header = append(header, byte(len(k.suite)))
	header = append(header, k.suite...)
	prefix := make([]byte, 7)
	if _, err := rand.Read(prefix); err != nil {
		return err
	}
	header = append(header, prefix...)
	w := bufio.NewWriter(dst)
	if _, err := w.Write(header); err != nil {
		return err
	}
	r := bufio.NewReaderSize(src, chunkSize)
	buf := make([]byte, chunkSize)
	var lenBuf [4]byte
	for i := uint32(0); ; i++ {
		if i == ^uint32(0) {
			return errors.New("seal: backup too large")
		}
		n, err := io.ReadFull(r, buf)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return err
		}
		// The chunk is the last when nothing follows it.
		last := n < chunkSize
		if !last {
			if _, perr := r.Peek(1); perr == io.EOF {
				last = true
			} else if perr != nil {
				return perr
			}
		}
		ct := a.Seal(nil, streamNonce(prefix, i, last), buf[:n], header)
		binary.BigEndian.PutUint32(lenBuf[:], uint32(len(ct)))
		if _, err := w.Write(lenBuf[:]); err != nil {
			return err
		}
		if _, err := w.Write(ct); err != nil {
			return err
		}
		if last {
			return w.Flush()
		}
	}
}

// DecryptStream reads an encrypted backup from src and writes the plain
// bytes to dst. On error dst holds a partial result that must be discarded.
func (k *Keys) DecryptStream(dst io.Writer, src io.Reader) error {
	r := bufio.NewReader(src)
	magic := make([]byte, len(streamMagic)+1)
	if _, err := io.ReadFull(r, magic); err != nil || !IsEncryptedBackup(magic) {
		return fmt.Errorf("not an encrypted xinlu backup")
	}
	suiteName := make([]byte, int(magic[len(streamMagic)]))
	if _, err := io.ReadFull(r, suiteName); err != nil {
		return ErrBadBackup
	}
	if Suite(suiteName) != k.suite {
		return fmt.Errorf("the backup was encrypted with %s, the key file is for %s: %w", suiteName, k.suite, ErrBadBackup)
	}
	prefix := make([]byte, 7)
	if _, err := io.ReadFull(r, prefix); err != nil {
		return ErrBadBackup
	}
	header := append(append(magic, suiteName...), prefix...)
	a, err := k.suite.aead(k.derive("backup", k.suite.KeySize()))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(dst)
	var lenBuf [4]byte
	ct := make([]byte, 0, chunkSize+a.Overhead())
	for i := uint32(0); ; i++ {
		if _, err := io.ReadFull(r, lenBuf[:]); err != nil {
			return ErrBadBackup // ended before the last chunk
		}
		n := binary.BigEndian.Uint32(lenBuf[:])
		if n < uint32(a.Overhead()) || n > uint32(chunkSize+a.Overhead()) {
			return ErrBadBackup
		}
		ct = ct[:n]
		if _, err := io.ReadFull(r, ct); err != nil {
			return ErrBadBackup
		}
		plain, err := a.Open(nil, streamNonce(prefix, i, false), ct, header)
		last := false
		if err != nil {
			if plain, err = a.Open(nil, streamNonce(prefix, i, true), ct, header); err != nil {
				return ErrBadBackup
			}
			last = true
		}
		if _, err := w.Write(plain); err != nil {
			return err
		}
		if last {
			if _, err := r.Peek(1); err != io.EOF {
				return ErrBadBackup // data after the last chunk
			}
			return w.Flush()
		}
	}
}
