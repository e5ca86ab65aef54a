"""The build cache: one SQLite file beside ``output/`` (``cache/build.sqlite``).

Tables hold pickled values by content key (a hash of everything the value depends on), so a stale
entry can never be served: changed inputs make a different key. Entries a build did not use are
pruned at the end of that build, so the file stays the size of one site.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import pickle
import sqlite3
from pathlib import Path

# files: stat record -> digest of the bytes; texts: body key -> the body's plain text (UTF-8, not
# pickled)
TABLES = ("files", "documents", "bodies", "texts", "pages")
logger = logging.getLogger(__name__)


def stable(value):
    """A repr-able form whose text does not depend on hash seeds (sets become sorted lists)."""
    if isinstance(value, (set, frozenset)):
        return sorted(map(stable, value), key=repr)
    if isinstance(value, dict):
        return sorted(((stable(k), stable(v)) for k, v in value.items()), key=repr)
    if isinstance(value, (list, tuple)):
        return [stable(v) for v in value]
    return value


def digest(*parts) -> str:
    """A hash of ``parts``: equal parts, equal digest, in any process.

    Plain values (str, bytes, int, float, bool, None and tuples, lists, dicts of them) are
    serialised by ``marshal`` in one C call: version 2 writes no references, so the bytes do not
    depend on which objects happen to be shared or interned. Anything else (dataclasses, paths, str
    subclasses such as Markup) goes through :func:`_feed`. The two streams cannot meet: this one
    starts with a zero byte."""
    try:
        data = marshal.dumps(parts, 2)
    except ValueError:
        h = hashlib.blake2b(digest_size=20)
        _feed(h, parts, 3)
        return h.hexdigest()
    return hashlib.blake2b(b"\0" + data, digest_size=20).hexdigest()


def _feed(h, part, depth: int) -> None:
    """Strings and bytes go in as they are (repr() of a long Chinese text is slow), and so do the
    items of tuples and lists ``depth`` levels down, each tagged with its type and length; anything
    else (and anything deeper, where texts are short) as its repr()."""
    kind = type(part)
    if kind is str:
        data = part.encode("utf-8", "surrogatepass")
        h.update(b"s%d:" % len(data))
        h.update(data)
    elif kind is bytes:
        h.update(b"b%d:" % len(part))
        h.update(part)
    elif (kind is tuple or kind is list) and depth:
        h.update(b"t%d(" % len(part) if kind is tuple else b"l%d(" % len(part))
        for item in part:
            _feed(h, item, depth - 1)
        h.update(b")")
    else:
        data = repr(part).encode("utf-8", "surrogatepass")
        h.update(b"r%d:" % len(data))
        h.update(data)


def read_texts(folder: str, keys) -> dict[str, str]:
    """Body key -> plain text, from the "texts" table of the cache in ``folder`` (in another
    process)."""
    keys = list(dict.fromkeys(keys))
    found = {}
    # Read-only; as_uri() escapes a folder name with "#", "?" or "%" in it.
    db = sqlite3.connect(
        (Path(folder).resolve() / "build.sqlite").as_uri() + "?mode=ro", uri=True, timeout=60
    )
    try:
        for start in range(0, len(keys), 900):
            chunk = keys[start : start + 900]
            for key, value in db.execute(
                f"SELECT key, value FROM texts WHERE key IN ({','.join('?' * len(chunk))})", chunk
            ):
                found[key] = value.decode("utf-8", "surrogatepass")
    finally:
        db.close()
    missing = [key for key in keys if key not in found]
    if missing:
        raise LookupError(f"{len(missing)} texts are missing from the build cache in {folder}")
    return found


class BuildCache:
    """A damaged cache file (a crash, a full disk, a bad copy) is never fatal: it is discarded with
    a warning and the build goes on with an empty one, as if it were the first build."""

    def __init__(self, folder: str | Path | None):
        self.db = None
        self.folder = str(folder) if folder else ""
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            try:
                self._open()
            except sqlite3.DatabaseError as exc:
                self._discard(exc)
        self.used: dict[str, set[str]] = {table: set() for table in TABLES}

    @property
    def path(self) -> Path:
        return Path(self.folder) / "build.sqlite"

    def _open(self) -> None:
        self.db = sqlite3.connect(self.path, timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        for table in TABLES:
            self.db.execute(
                f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value BLOB)"
            )
        for table in TABLES:  # a damaged file fails here rather than in the middle of the build
            self.db.execute(f"SELECT key FROM {table} LIMIT 1").fetchall()

    def _discard(self, exc: Exception) -> None:
        logger.warning("构建缓存 %s 已损坏（%s），已丢弃，本次完整生成并重建缓存", self.path, exc)
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
        self.db = None
        for suffix in ("", "-wal", "-shm"):
            try:
                os.remove(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass
        self._open()

    def get_many(self, table: str, keys) -> dict:
        keys = list(dict.fromkeys(keys))
        self.used[table].update(keys)
        if self.db is None or not keys:
            return {}
        found = {}
        try:
            for start in range(0, len(keys), 900):  # SQLite's bound-parameter limit
                chunk = keys[start : start + 900]
                query = (
                    f"SELECT key, value FROM {table} WHERE key IN ({','.join('?' * len(chunk))})"
                )
                rows = self.db.execute(query, chunk).fetchall()
                self._load_into(found, rows)
        except sqlite3.DatabaseError as exc:
            self._discard(exc)
            return {}
        return found

    @staticmethod
    def _load_into(found: dict, rows) -> None:
        for key, value in rows:
            try:
                found[key] = pickle.loads(value)
            except Exception:
                pass

    def all(self, table: str) -> dict:
        if self.db is None:
            return {}
        found = {}
        try:
            self._load_into(found, self.db.execute(f"SELECT key, value FROM {table}").fetchall())
        except sqlite3.DatabaseError as exc:
            self._discard(exc)
            return {}
        return found

    def get(self, table: str, key: str):
        return self.get_many(table, [key]).get(key)

    def put_many(self, table: str, items: dict) -> None:
        self.used[table].update(items)
        if self.db is None or not items:
            return
        with self.db:
            self.db.executemany(
                f"INSERT OR REPLACE INTO {table} VALUES (?, ?)",
                ((key, pickle.dumps(value, protocol=5)) for key, value in items.items()),
            )

    def keep(self, table: str, keys) -> None:
        """Keep these entries through :meth:`prune` (others read them: the search jobs' texts)."""
        self.used[table].update(keys)

    def put_raw(self, table: str, blobs: dict[str, bytes]) -> None:
        """Like :meth:`put_many`, for values pickled already."""
        self.used[table].update(blobs)
        if self.db is None or not blobs:
            return
        with self.db:
            self.db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", blobs.items())

    def replace(self, table: str, items: dict, previous: dict | None = None) -> None:
        """Make the table hold exactly ``items``. ``previous``, what it holds now when the caller
        knows (read with :meth:`all`), limits the writes to what changed."""
        if previous is None:
            if self.db is not None:
                with self.db:
                    self.db.execute(f"DELETE FROM {table}")
            self.put_many(table, items)
            return
        self.used[table].update(items)
        if self.db is None:
            return
        gone = [(key,) for key in previous if key not in items]
        changed = {
            key: value
            for key, value in items.items()
            if key not in previous or previous[key] != value
        }
        with self.db:
            self.db.executemany(f"DELETE FROM {table} WHERE key = ?", gone)
        self.put_many(table, changed)

    def prune(self) -> None:
        """Forget what this build did not use (deleted documents, old versions of edited ones)."""
        if self.db is None:
            return
        with self.db:
            for table, keys in self.used.items():
                # The keys are short; listing them is cheaper than matching the table against a
                # temporary table of the 10,000 used ones.
                stale = [
                    (key,)
                    for (key,) in self.db.execute(f"SELECT key FROM {table}")
                    if key not in keys
                ]
                self.db.executemany(f"DELETE FROM {table} WHERE key = ?", stale)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
