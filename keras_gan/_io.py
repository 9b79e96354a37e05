"""Atomic file writes: a reader (or a resumed run) never sees a half-written file."""

import contextlib
import os


@contextlib.contextmanager
def atomic_path(path):
    """Yields a temporary path next to `path` (same extension, so writers that
    check it accept it); on success it replaces `path` in one rename, on
    failure it is removed."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    stem, extension = os.path.splitext(os.path.basename(path))
    temporary = os.path.join(directory, f".{stem}.tmp-{os.getpid()}{extension}")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
