"""The one way pitchcraft writes a file or a folder: whole, beside its target, renamed into place
under an exclusive lock on the folder that holds it.

A reader never sees half a file, a failure leaves nothing behind but a hidden temporary name that
is removed on the way out, and two pitchcraft processes writing into one folder decide and rename
one after the other (``flock`` on the folder's directory handle; no lock file is left behind).
Without ``fcntl`` (Windows) there are no locks; renames are still atomic.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


# --- locks -------------------------------------------------------------------------------------


@contextlib.contextmanager
def dir_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` among pitchcraft processes, held for the ``with`` block."""
    fd = lock_fd(folder, blocking=True)
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)  # closing drops the lock


def lock_fd(folder: Path, *, blocking: bool) -> int | None:
    """An open handle on ``folder`` holding an exclusive lock; None where locks are not available.
    Raises BlockingIOError when ``blocking`` is false and another process holds the lock."""
    if fcntl is None:
        return None
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        raise
    except OSError:  # a file system without locks (some network mounts): go on without
        pass
    return fd


# --- files -------------------------------------------------------------------------------------


def durable_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a file nobody else sees yet (inside a staging folder), flushed to disk."""
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (a power cut after it keeps it); not possible on every system."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def default_mode() -> int:
    """The mode of an ordinary new file under the process's umask (mkstemp's files are private)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_file(path: Path, data: bytes | Callable[[Path], None], *, replace: bool = True,
               mode: int | None = None, check: Callable[[Path], object] | None = None, lock: bool = True) -> Path:
    """Write ``path`` atomically and return it.

    ``data`` is the bytes, or a function that saves into the temporary path it is given (for
    libraries that write files themselves). ``check(temporary path)`` may raise to refuse what was
    written (nothing is left behind). With ``replace=False`` an existing ``path`` is never replaced:
    :class:`FileExistsError`, decided under the folder's lock. ``mode`` defaults to an ordinary
    file's under the umask; caches pass 0o600. ``lock=False`` inside a :class:`Staging` folder,
    which its writer already holds locked.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        if callable(data):
            os.close(fd)
            data(tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, default_mode() if mode is None else mode)
        if check is not None:
            check(tmp)
        with dir_lock(folder) if lock else contextlib.nullcontext():
            if not replace and (path.exists() or path.is_symlink()):
                raise FileExistsError(path)
            os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename in (None, tmp_name):
            exc.filename = str(path)  # a full disk said of the file asked for, not of nothing or the temporary
        raise
    fsync_dir(folder)
    return path


def write_text(path: Path, text: str, *, encoding: str = "utf-8", **options) -> Path:
    """:func:`write_file` for text (``encoding="utf-8-sig"`` for a CSV that Excel opens as UTF-8)."""
    return write_file(path, text.encode(encoding), **options)


# --- folders -----------------------------------------------------------------------------------


class Staging:
    """A hidden folder beside a target folder, locked by this process while it is written, so a
    cleaner (``write.clean_stale``) can tell it from one left by a process that died."""

    def __init__(self, parent: Path, name: str):
        parent.mkdir(parents=True, exist_ok=True)
        with dir_lock(parent):  # a cleaner never sees it before it is locked
            self.path = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=parent))
            self.fd = lock_fd(self.path, blocking=False)

    def close(self) -> None:
        if self.path.exists():
            shutil.rmtree(self.path, ignore_errors=True)
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
