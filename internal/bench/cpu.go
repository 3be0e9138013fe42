package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// cpuSnap is the CPU time used so far by the machine and by some processes, in clock
// ticks (USER_HZ, 100 a second on Linux).
type cpuSnap struct {
	at        time.Time
	busy, all uint64
	procs     []uint64
	ok        bool
}

const userHZ = 100

// pgMaster, when not 0, adds the PostgreSQL server on this machine: its postmaster and
// every child, with the children that ended (the postmaster's cutime and cstime).
func snapCPU(pgMaster int, pids ...int) cpuSnap {
	s := cpuSnap{at: time.Now(), procs: make([]uint64, len(pids))}
	if pgMaster > 0 {
		s.procs = append(s.procs, pgTicks(pgMaster))
	}
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return s
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return s
	}
	for i, v := range f[1:] {
		n, _ := strconv.ParseUint(v, 10, 64)
		if i >= 8 { // guest time is already in user
			break
		}
		s.all += n
		if i != 3 && i != 4 { // idle, iowait
			s.busy += n
		}
	}
	for i, pid := range pids {
		st, ok := procStat(pid)
		if !ok {
			return s
		}
		s.procs[i] = st.utime + st.stime
	}
	s.ok = true
	return s
}

type pstat struct {
	ppid                         int
	utime, stime, cutime, cstime uint64
}

// procStat reads /proc/PID/stat.
func procStat(pid int) (pstat, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return pstat{}, false
	}
	// The command name may hold spaces: fields count from after its ")".
	rest := string(b)
	if j := strings.LastIndexByte(rest, ')'); j >= 0 {
		rest = rest[j+1:]
	}
	g := strings.Fields(rest)
	if len(g) < 15 {
		return pstat{}, false
	}
	var st pstat
	st.ppid, _ = strconv.Atoi(g[1])
	st.utime, _ = strconv.ParseUint(g[11], 10, 64)
	st.stime, _ = strconv.ParseUint(g[12], 10, 64)
	st.cutime, _ = strconv.ParseUint(g[13], 10, 64)
	st.cstime, _ = strconv.ParseUint(g[14], 10, 64)
	return st, true
}

// pgTicks is the CPU time of a PostgreSQL server: the postmaster, its children and
// its ended children.
func pgTicks(master int) uint64 {
	m, ok := procStat(master)
	if !ok {
		return 0
	}
	total := m.utime + m.stime + m.cutime + m.cstime
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == master {
			continue
		}
		if st, ok := procStat(pid); ok && st.ppid == master {
			total += st.utime + st.stime
		}
	}
	return total
}

// postmasterOf finds the postmaster of a backend running on this machine (0 if not).
func postmasterOf(backend int) int {
	st, ok := procStat(backend)
	if !ok || st.ppid <= 1 {
		return 0
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", st.ppid)); err != nil || strings.TrimSpace(string(b)) != "postgres" {
		return 0
	}
	return st.ppid
}

// cpuSplit says how many cores each process used between two snapshots, and the rest
// of the machine (the database server, other work).
func cpuSplit(a, b cpuSnap, names ...string) string {
	text, _ := cpuCores(a, b, names...)
	return text
}

// cpuCores is cpuSplit with the cores of each process (PostgreSQL's after them, when
// measured) and, last, of the rest of the machine.
func cpuCores(a, b cpuSnap, names ...string) (string, []float64) {
	if !a.ok || !b.ok || b.all <= a.all {
		return "", nil
	}
	secs := b.at.Sub(a.at).Seconds()
	if secs <= 0 {
		return "", nil
	}
	var list []float64
	cores := func(ticks uint64) float64 { return float64(ticks) / userHZ / secs }
	busy := cores(b.busy - a.busy)
	var parts []string
	var mine float64
	if len(a.procs) > len(names) {
		names = append(names, "PostgreSQL")
	}
	for i, n := range names {
		c := cores(b.procs[i] - a.procs[i])
		list = append(list, c)
		mine += c
		parts = append(parts, fmt.Sprintf("%s %.2f", n, c))
	}
	rest := max(0, busy-mine)
	list = append(list, rest)
	parts = append(parts, fmt.Sprintf("the rest of the machine %.2f", rest))
	total := float64(b.all-a.all) / userHZ / secs
	return fmt.Sprintf("CPU cores used: %s, of %.0f (%.0f%% busy)", strings.Join(parts, ", "), total, 100*busy/max(total, 1e-9)), list
}
