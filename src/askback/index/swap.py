"""Putting a finished build in place of the index folder: one build at a time, and never a moment
without a whole index.

On Linux the new build and the old index trade places in one atomic step (``renameat2`` with
``RENAME_EXCHANGE``). Elsewhere it takes two renames; a crash between them leaves the old index in
``.NAME.old-PID`` beside the target, and ``recover`` (run by every load and build) puts it back.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from askback.errors import BuildError

__all__ = ["build_lock", "leftovers", "publish", "recover", "staging_folder"]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def staging_folder(target: Path) -> Path:
    return target.parent / f".{target.name}.building-{os.getpid()}"


def _retired(target: Path) -> Path:
    return target.parent / f".{target.name}.old-{os.getpid()}"


def leftovers(target: Path) -> list[Path]:
    """Staging and retired folders that builds of ``target`` left behind (killed, or crashed)."""
    prefixes = (f".{target.name}.building-", f".{target.name}.old-")
    if not target.parent.is_dir():
        return []
    return sorted(p for p in target.parent.iterdir() if p.name.startswith(prefixes) and p.is_dir())


@contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """Hold the build lock of the target's folder; a second build says another is running instead of
    interleaving. The lock is on the parent folder itself, so it leaves no lock file behind."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another askback build is writing into {target.parent}; wait for it to finish") from None
        recover(target)
        for folder in leftovers(target):  # ours now: the lock says no other build is alive
            shutil.rmtree(folder, ignore_errors=True)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def recover(target: Path) -> bool:
    """Put the newest retired index back when a crash left ``target`` missing; True if it did."""
    if target.exists():
        return False
    retired = [p for p in leftovers(target) if ".old-" in p.name and (p / "manifest.json").is_file()]
    if not retired:
        return False
    newest = max(retired, key=lambda p: (p / "manifest.json").stat().st_mtime_ns)
    try:
        newest.rename(target)
    except OSError:
        return target.exists()  # another process recovered it first
    return True


def publish(staging: Path, target: Path) -> None:
    """Replace ``target`` by the complete build in ``staging``."""
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the old index
        return
    retired = _retired(target)
    target.rename(retired)
    try:
        staging.rename(target)
    except OSError:
        retired.rename(target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically; False where the system cannot (then the caller renames twice)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))
