package store

import (
	"context"
	"database/sql"
	"time"

	"xinlu/internal/xinlu"
)

// TakeToken takes one token from the bucket key, which holds burst tokens
// and refills at perMin a minute, in one statement that every server on
// the database sees: it answers whether a token was there, and if not, how
// long until one is. A bucket seen for the first time is full.
func (s *Store) TakeToken(ctx context.Context, key string, burst, perMin float64) (bool, time.Duration, error) {
	now := float64(s.now().UnixMicro()) / 1e6
	// What the bucket holds now: its tokens refilled since it was last
	// taken from, at most burst.
	refilled := `CASE WHEN b.tokens + (? - b.at_unix) / 60.0 * ? < ? THEN b.tokens + (? - b.at_unix) / 60.0 * ? ELSE ? END`
	took := false
	err := s.inTx(ctx, func(tx *Tx) error {
		var left float64
		err := tx.queryRow(ctx, `INSERT INTO rate_buckets AS b (key, tokens, at_unix) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET tokens = `+refilled+` - 1, at_unix = ?
			WHERE `+refilled+` >= 1
			RETURNING tokens`,
			key, burst-1, now, now, perMin, burst, now, perMin, burst, now, now, perMin, burst, now, perMin, burst).Scan(&left)
		if err == sql.ErrNoRows {
			return nil // empty: nothing taken
		}
		took = err == nil
		return err
	})
	if err != nil {
		return false, 0, xinlu.Internal(err)
	}
	if took {
		return true, 0, nil
	}
	var tokens, at float64
	if err := s.queryRow(ctx, `SELECT tokens, at_unix FROM rate_buckets WHERE key = ?`, key).Scan(&tokens, &at); err != nil {
		return false, 0, xinlu.Internal(err)
	}
	have := min(burst, tokens+(now-at)/60*perMin)
	return false, time.Duration((1 - have) / perMin * float64(time.Minute)), nil
}

// ExpireRateBuckets removes the buckets untouched since before.
func (s *Store) ExpireRateBuckets(ctx context.Context, before time.Time) error {
	return s.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM rate_buckets WHERE at_unix < ?`, float64(before.UnixMicro())/1e6)
		return tx.s.translate(err)
	})
}
