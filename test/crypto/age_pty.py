"""Runs an `age` command that reads a passphrase from the terminal (age -p,
age -d of a passphrase file), answering every passphrase prompt through a
pseudo-terminal. Usage: age_pty.py PASSPHRASE age ARGS...  Exit status: age's."""
import os
import pty
import sys

passphrase = sys.argv[1].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
seen = b""
while True:
    try:
        data = os.read(fd, 1024)
    except OSError:
        break
    if not data:
        break
    seen += data
    # One answer per prompt ("Enter passphrase...:", "Confirm passphrase:").
    while b"passphrase" in seen and b":" in seen[seen.index(b"passphrase"):]:
        os.write(fd, passphrase + b"\n")
        seen = seen[seen.index(b"passphrase") + len(b"passphrase"):]
        seen = seen[seen.index(b":") + 1:]
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
