// Command espeks is the eSPEKS portal: one binary with subcommands to serve the portal,
// migrate the database and create the first Pentadbir.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/espeks/espeks/internal/config"
)

const usage = `espeks — the eSPEKS self-service portal of SPEKS

Usage:
  espeks serve [flags]                                   run the portal (migrates the database first)
  espeks migrate [flags]                                 bring the database schema up to date
  espeks load payroll|payments FILE [flags]              load a SPEKS file (DATA.md); exit 1 with the errors when refused
  espeks demo [--staff N --suppliers N --months N]       sample data: writes the CSV files, loads them, makes sample logins
  espeks backup FILE [flags]                             consistent online copy of the SQLite database (never overwrites FILE)
  espeks bench [--quick] [--out FILE] [--postgres URL]   measure the performance targets beside raw baselines; writes BENCHMARKS.md
  espeks admin create --id <No. KP> --name <Nama> --email <Emel>
                                                         create a Pentadbir; password from standard input
Every flag also has an ESPEKS_* environment variable: see docs/configuration.md,
or "espeks serve -h".
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// run is main without the process: it returns the exit code, so tests can call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stderr, getenv)
	case "migrate":
		err = migrate(ctx, args[1:], stderr, getenv)
	case "demo":
		err = runDemo(ctx, args[1:], stdout, stderr, getenv)
	case "load":
		err = loadFile(ctx, args[1:], stdout, stderr, getenv)
	case "bench":
		err = runBench(ctx, args[1:], stdout, stderr, getenv)
	case "backup":
		err = backup(ctx, args[1:], stdout, stderr, getenv)
	case "admin":
		if len(args) < 2 || args[1] != "create" {
			fmt.Fprint(stderr, usage)
			return 2
		}
		err = adminCreate(ctx, args[2:], stdin, stdout, stderr, getenv)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "espeks: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage), errors.Is(err, config.ErrUsage):
		return 2
	case errors.Is(err, errRefused):
		return 1
	default:
		fmt.Fprintf(stderr, "espeks %s: %v\n", args[0], err)
		return 1
	}
}

var errUsage = errors.New("usage")
