package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/espeks/espeks/internal/bench"
)

const benchUsage = `usage: espeks bench [--quick [--profile]] [--out FILE] [--postgres URL] [--keep]

Measures every figure of the Performance table of QUALITY.md beside its raw baseline, on
SQLite and (with --postgres, or ESPEKS_TEST_DATABASE_URL set) on PostgreSQL, at a small and
a large data set made by the demo generator in a temporary directory, and writes the
results to BENCHMARKS.md. The full run takes about 15 minutes on 2 cores; --quick takes
under two minutes (tiny data sets; writes no file unless --out is given).

`

// runBench is `espeks bench`. The hidden --raw-serve and --raw-load KIND FILE run the
// baselines (child processes of the bench); the hidden --tiny is the smoke test's size.
// ESPEKS_BENCH_CHILD_ENV (tests only) is added to the child processes' environment.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("espeks bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	quick := fs.Bool("quick", false, "small data sets and short tests: under two minutes")
	tiny := fs.Bool("tiny", false, "")
	out := fs.String("out", "", "Markdown file to write (default BENCHMARKS.md; none with --quick)")
	pg := fs.String("postgres", "", "postgres:// URL of a database to run the PostgreSQL pass in (default $ESPEKS_TEST_DATABASE_URL)")
	keep := fs.Bool("keep", false, "keep the temporary data directory")
	profile := fs.Bool("profile", false, "with --quick: also profile the missed targets (the full run always does)")
	rawServe := fs.Bool("raw-serve", false, "")
	rawLoad := fs.String("raw-load", "", "")
	rawBare := fs.Bool("raw-bare", false, "")
	fs.Usage = func() {
		fmt.Fprint(stderr, benchUsage)
		fs.VisitAll(func(f *flag.Flag) {
			if f.Usage != "" {
				fmt.Fprintf(stderr, "  --%s\n    \t%s\n", f.Name, f.Usage)
			}
		})
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if *rawLoad != "" && fs.NArg() == 1 {
		return bench.RawLoad(ctx, getenv, *rawLoad, fs.Arg(0), *rawBare, stdout)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if *rawServe {
		return bench.RawServe(ctx, getenv, stdout)
	}
	o := bench.Options{Mode: bench.Full, Out: *out, PostgresURL: *pg, Keep: *keep, Progress: stderr, Profile: *profile}
	command := []string{"espeks bench"}
	switch {
	case *tiny:
		o.Mode = bench.Tiny
		command = append(command, "--tiny")
	case *quick:
		o.Mode = bench.Quick
		command = append(command, "--quick")
	case o.Out == "":
		o.Out = "BENCHMARKS.md"
	}
	if o.PostgresURL == "" {
		o.PostgresURL = getenv("ESPEKS_TEST_DATABASE_URL")
	}
	if o.PostgresURL != "" {
		command = append(command, "--postgres URL") // never the URL itself: it may hold a password
	}
	o.Command = strings.Join(command, " ")
	if env := getenv("ESPEKS_BENCH_CHILD_ENV"); env != "" {
		o.ExeEnv = strings.Fields(env)
	}
	rep, err := bench.Run(ctx, o)
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, rep.Markdown())
	if o.Out != "" {
		fmt.Fprintf(stderr, "espeks bench: wrote %s\n", o.Out)
	}
	return nil
}
