// Package report builds what xinlu hands out and takes in as workbooks —
// the ledgers, registers, publication lists and payrolls, and the project
// ledger import — and the text of notifications. Both faces, the pages and
// the JSON API, call it; it imports neither.
package report

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"xinlu/internal/httpx"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// shanghai is where the zone's dates are reckoned.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// zoneName is the name of the zone a report is made for, "" when unknown.
func zoneName(ctx context.Context, st *store.Store, zoneID int64) string {
	if z, err := st.ZoneByID(ctx, zoneID); err == nil {
		return z.Name
	}
	return ""
}

// Send answers rep as an .xlsx download named name, after auditing it as
// action on entity id with detail and the row count. Nothing is written to
// w when it fails: the caller answers the error in its face's way.
func Send(ctx context.Context, w http.ResponseWriter, st *store.Store, a xinlu.Actor, rep *xlsx.Report, action, entity string, id int64, detail map[string]any, name string) error {
	var buf bytes.Buffer
	if err := rep.Write(&buf); err != nil {
		return xinlu.Internal(err)
	}
	if detail == nil {
		detail = map[string]any{}
	}
	detail["rows"] = len(rep.Rows)
	if err := st.Audit(ctx, a, action, entity, id, detail); err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", httpx.Attachment(name))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}
