package bench

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes a child process end if the bench dies first (no orphan servers
// left listening).
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
