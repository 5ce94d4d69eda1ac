package store

import (
	"context"
	"strconv"

	"xinlu/internal/xinlu"
)

// ScoreBinWidth is the width of a score distribution's bins, in hundredths
// of a point (5 points).
const ScoreBinWidth = 500

// ScoreBin is how many members of one band scored in one bin: from From
// (hundredths, a multiple of ScoreBinWidth) below From+ScoreBinWidth.
type ScoreBin struct {
	From  int64
	Band  xinlu.Band
	Count int
}

// ScoreDistribution is a period's scores in a scope, counted by bin and
// band, with the band boundaries: the lowest score placed in the top band
// and the highest placed in the bottom band (HasTop, HasBottom say whether
// there are any).
type ScoreDistribution struct {
	Bins              []ScoreBin // by bin, then band
	Members           int
	TopMin, BottomMax int64
	HasTop, HasBottom bool
}

// ScoreDistribution counts a period's results within scope by score bin
// and band in one GROUP BY read, and reads the band boundaries in another.
func (s *Store) ScoreDistribution(ctx context.Context, periodID int64, scope xinlu.ScopeFilter) (*ScoreDistribution, error) {
	cond, args := memberScope(scope)
	args = append([]any{periodID}, args...)
	from := ` FROM appraisal_results r JOIN members m ON m.id = r.member_id WHERE r.period_id = ? AND ` + cond
	bin := strconv.Itoa(ScoreBinWidth)
	rows, err := s.query(ctx, `SELECT (r.score / `+bin+`) * `+bin+`, r.band, COUNT(*)`+from+` GROUP BY 1, 2 ORDER BY 1, 2`, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	out := &ScoreDistribution{}
	out.Bins, err = collect(rows, func(sc scanner) (ScoreBin, error) {
		var b ScoreBin
		var band string
		err := sc.Scan(&b.From, &band, &b.Count)
		b.Band = xinlu.Band(band)
		return b, err
	})
	if err != nil {
		return nil, err
	}
	for _, b := range out.Bins {
		out.Members += b.Count
	}
	var top, bottom *int64
	err = s.queryRow(ctx, `SELECT MIN(CASE WHEN r.band = 'top' THEN r.score END), MAX(CASE WHEN r.band = 'bottom' THEN r.score END)`+from, args...).
		Scan(&top, &bottom)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	if top != nil {
		out.TopMin, out.HasTop = *top, true
	}
	if bottom != nil {
		out.BottomMax, out.HasBottom = *bottom, true
	}
	return out, nil
}
