package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/espeks/espeks/internal/app"
	"github.com/espeks/espeks/internal/config"
	"github.com/espeks/espeks/internal/db"
)

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// serve runs the portal until ctx ends (SIGTERM or Ctrl-C), then stops accepting,
// lets requests in flight and the email in flight finish, and exits.
func serve(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) error {
	cfg, _, err := config.Load("espeks serve", args, getenv, nil)
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)
	gogc, limit := tuneGC()
	a, err := app.New(ctx, cfg, app.Options{Logger: log})
	if err != nil {
		return err
	}
	defer a.DB.Close()
	a.Worker.Backoff = mailBackoff(cfg.MailRetryBase)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	bg, stopBG := context.WithCancel(context.Background())
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		if err := a.Worker.Run(bg); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("mail worker stopped", "err", err)
		}
	}()
	go a.RunHousekeeping(bg, 5*time.Minute)

	dbName := "sqlite " + a.DB.Path
	if a.DB.Dialect == db.Postgres {
		dbName = "postgres"
	}
	log.Info("eSPEKS ready", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "database", dbName,
		"smtp", cfg.SMTPURL != "", "gogc", gogc, "memory_limit_mib", limit)
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case err := <-serveErr:
		stopBG()
		<-workerDone
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	stopBG()
	<-workerDone
	log.Info("stopped")
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// mailBackoff waits base after an email's first failed try, then twice as long after
// each further one, at most an hour (ESPEKS_MAIL_RETRY_BASE; 30s is mail.DefaultBackoff).
func mailBackoff(base time.Duration) func(attempt int) time.Duration {
	return func(attempt int) time.Duration {
		d := base
		for i := 1; i < attempt && d < time.Hour; i++ {
			d *= 2
		}
		return min(d, time.Hour)
	}
}

func migrate(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) error {
	cfg, _, err := config.Load("espeks migrate", args, getenv, nil)
	if err != nil {
		return err
	}
	d, err := db.Open(ctx, db.Options{URL: cfg.DatabaseURL, DataDir: cfg.DataDir, MaxConns: cfg.DatabaseMaxConns})
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "espeks migrate: schema is up to date")
	return nil
}
