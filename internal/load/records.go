package load

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/espeks/espeks/internal/db"
)

// Record is one row of the load list.
type Record struct {
	ID        int64
	Kind      string
	FileName  string
	Hash      string
	Status    string
	Rows      int
	Added     int
	Replaced  int
	Updated   int
	Duration  time.Duration
	Via       string
	ByLogin   string
	CreatedAt time.Time
	Errors    Errors
}

// ErrNoRecord means no load has that ID.
var ErrNoRecord = errors.New("no such load")

const recordColumns = `l.id, l.kind, l.file_name, l.content_hash, l.status, l.row_count, l.added, l.replaced, l.updated,
	l.duration_ms, l.via, COALESCE(u.login_id, ''), l.created_at, l.errors`

func scanRecord(sc interface{ Scan(...any) error }) (Record, error) {
	var r Record
	var ms, created int64
	var errJSON string
	if err := sc.Scan(&r.ID, &r.Kind, &r.FileName, &r.Hash, &r.Status, &r.Rows, &r.Added, &r.Replaced, &r.Updated,
		&ms, &r.Via, &r.ByLogin, &created, &errJSON); err != nil {
		return r, err
	}
	r.Duration, r.CreatedAt = time.Duration(ms)*time.Millisecond, db.Time(created)
	if errJSON != "" {
		if err := json.Unmarshal([]byte(errJSON), &r.Errors); err != nil {
			return r, err
		}
	}
	return r, nil
}

// Records lists loads, newest first, with the total count.
func (l *Loader) Records(ctx context.Context, limit, offset int) ([]Record, int, error) {
	var total int
	if err := l.DB.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM loads`).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := l.DB.Q(ctx).QueryContext(ctx, `SELECT `+recordColumns+` FROM loads l LEFT JOIN users u ON u.id = l.loaded_by
		ORDER BY l.id DESC LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// Record returns one load with its errors.
func (l *Loader) Record(ctx context.Context, id int64) (Record, error) {
	r, err := scanRecord(l.DB.Q(ctx).QueryRowContext(ctx, `SELECT `+recordColumns+` FROM loads l LEFT JOIN users u ON u.id = l.loaded_by WHERE l.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNoRecord
	}
	return r, err
}
