"""Build, check and scaffold commands (called by tasks.py).

A build writes into a temporary folder beside ``output/`` and swaps it in only when
everything succeeded, so a failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import gc
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings

from domain import templates
from domain.defaults import apply_defaults, setting
from domain.document import read_document
from domain.problems import ERROR, ContentError, Problem, ProblemList
from domain.report_data import skeleton as report_skeleton
from domain.site import Site
from domain.validate import validate_collection

from . import private_api, record, run, signals, swap
from .background import collect, fork_call
from .bodies import prepare
from .cache import BuildCache, digest
from .content import changed_files, content_files
from .pages import site_digest
from .tree import OUTPUT_DIGEST_KEY, OUTPUT_ID_KEY, files_in, same_bytes, spare_path


@dataclass
class Outcome:
    ok: bool
    problems: ProblemList = field(default_factory=ProblemList)
    output: Path | None = None
    failure: str = ""  # a non-content failure (template, plugin), in Chinese
    documents: int = 0  # how many documents were read
    recorded: int = 0  # of those, how many came from the last build's record (files unchanged)
    checked_only: bool = False  # from `check`: nothing was to be written
    unchanged: bool = False  # nothing the site is made from changed: output/ was left as it is
    pages: tuple[int, int] = (
        0,
        0,
    )  # pages rendered, pages reused unchanged from the previous build
    notes: list[str] = field(default_factory=list)  # what happened besides (a swap completed…)
    whole_list: str = ""  # in a flood of problems, the file that lists every one

    def report(self) -> str:
        text = "".join(note + "\n" for note in self.notes)
        text += f"已检查 {self.documents} 个文件。\n" + self.problems.report()
        if self.whole_list:
            text += f"\n完整清单：{self.whole_list}"
        if self.failure:
            text += "\n" + self.failure
        if self.ok:
            if self.unchanged:
                text += f"\n内容与上次生成时相同：{self.pages[1]} 个页面全部沿用上次生成的结果。"
            elif self.output and sum(self.pages):
                text += f"\n生成页面 {self.pages[0]} 个，沿用未改动的页面 {self.pages[1]} 个。"
            return text + (f"\n网站已生成：{self.output}" if self.output else "")
        if self.output is None and self.checked_only:
            return text + "\n请按提示修改后再提交。"
        return text + "\n网站没有生成，原有的 output/ 保持不变。"


def load_settings(settings_file: str | os.PathLike, overrides: dict | None = None) -> dict:
    return apply_defaults(read_settings(str(settings_file), override=overrides or {}))


def build(
    settings_file="pelicanconf.py", overrides: dict | None = None, fresh: bool = False
) -> Outcome:
    """Validate and build the site; swap the new output in only on success (:func:`_build`)."""
    outcome = _build(settings_file, overrides, fresh)
    if outcome.problems.flood:
        _keep_whole_list(outcome, load_settings(settings_file, overrides))
    return outcome


def _keep_whole_list(outcome: Outcome, settings: dict) -> None:
    """A flood of problems is reported by kind; every one of them goes to reports/problems.txt
    beside the output folder."""
    path = Path(settings["OUTPUT_PATH"]).resolve().parent / "reports" / "problems.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(outcome.problems.report(whole=True) + "\n", encoding="utf-8")
    outcome.whole_list = str(path)


def _build(settings_file, overrides: dict | None, fresh: bool) -> Outcome:
    """Validate and build the site; swap the new output in only on success.

    ``fresh``: build from nothing. The build cache is dropped first, so nothing is taken from the
    previous build (no cached document, no reused page); the previous output stays until the new one
    is ready, as always. (Deleting output/ first would also leave nothing if the build failed.)"""
    init_logging(level=logging.WARNING, fatal="errors")
    settings = load_settings(settings_file, overrides)
    final = Path(settings["OUTPUT_PATH"]).resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    notes = _remove_abandoned_staging(final)
    if not fresh:
        outcome = _unchanged(settings, final)
        if outcome is not None:
            outcome.notes[:0] = notes
            return outcome
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-new-{os.getpid()}-", dir=final.parent))
    settings["OUTPUT_PATH"] = str(staging)
    settings["PREVIOUS_OUTPUT_PATH"] = str(final)
    settings["BUILD_CACHE_PATH"] = _cache_folder(settings, final)
    if fresh and settings["BUILD_CACHE_PATH"]:
        shutil.rmtree(settings["BUILD_CACHE_PATH"], ignore_errors=True)
    logged = _ErrorRecords()
    logging.getLogger().addHandler(logged)
    recorder = None
    try:
        try:
            Pelican(settings).run()
            # Every page is written: the record of documents is written by a forked helper while
            # the build waits for its other helpers and swaps the new output in.
            recorder = _record_documents(run.of(settings), settings)
            for job in run.of(settings).background:
                job.wait()
        finally:
            gc.unfreeze()  # what the run froze (plugin.settle) is the collector's again
            logging.getLogger().removeHandler(logged)
    except ContentError as exc:
        _cancel_background(run.of(settings))
        _discard_record(recorder)
        shutil.rmtree(staging, ignore_errors=True)
        return Outcome(False, exc.problems, documents=len(run.of(settings).documents), notes=notes)
    except Exception as exc:
        state = run.of(settings)
        _cancel_background(state)
        _discard_record(recorder)
        shutil.rmtree(staging, ignore_errors=True)
        problems = state.problems if state else ProblemList()
        return Outcome(
            False,
            problems,
            failure=failure_message(logged.cause(exc), final.parent),
            documents=len(state.documents) if state else 0,
            notes=notes,
        )
    state = run.of(settings)
    tree = state.kept_tree
    try:
        if tree is not None:  # the files written go into the previous output's copy
            tree.merge(str(staging), state.linked)
            shutil.rmtree(staging, ignore_errors=True)
            staging = Path(tree.target)
        else:
            keep_unchanged_times(staging, final)
        old = _swap(staging, final)
    except (OSError, RuntimeError) as exc:  # nothing was swapped: output/ is the old site
        _discard_record(recorder)
        if tree is not None:
            tree.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        return Outcome(
            False,
            state.problems,
            failure=failure_message(exc, final.parent),
            documents=len(state.documents),
            notes=notes,
        )
    # The old tree goes while the cache is written; after a rebuild that kept the previous files it
    # is kept as the next rebuild's spare (tree.py).
    if old and tree is not None:
        spare = spare_path(str(final))
        shutil.rmtree(spare, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.rename(old, spare)
            old = None
    remover = threading.Thread(target=shutil.rmtree, args=(old, True)) if old else None
    if remover:
        remover.start()
    try:
        if state.record_digest:  # what the next build may keep of this output (tree.KeptTree)
            state.page_fingerprints[OUTPUT_DIGEST_KEY] = state.record_digest
            state.page_fingerprints[OUTPUT_ID_KEY] = _output_id(final)
        state.cache.replace("pages", state.page_fingerprints, state.previous_pages or None)
        state.cache.prune()
        if recorder is not None:
            recorder, helper = None, recorder
            record.put_in_place(collect(helper))
        state.cache.close()
    except (OSError, sqlite3.Error) as exc:
        # The site is built and in place; a cache that may not describe it must not be trusted.
        notes.append(_drop_cache(state.cache, settings["BUILD_CACHE_PATH"], exc))
    finally:
        _discard_record(recorder)  # the cache failed first: the record goes with it
        if remover:
            remover.join()
    return Outcome(
        True,
        state.problems,
        final,
        documents=len(state.documents),
        recorded=len(state.recorded),
        pages=(state.pages_rendered, state.pages_reused),
        notes=notes,
    )


def _record_documents(state, settings):
    """What the next build takes the unchanged documents from (:mod:`.record`), written by a
    forked helper: its ``fork_call``, to collect (the file it wrote, not yet the record); None
    when there is nothing to write."""
    folder = settings["BUILD_CACHE_PATH"]
    if not folder:
        return None
    if not state.record_digest or not setting(settings, "DOCUMENT_RECORD"):
        record.forget(folder)
        return None
    return fork_call(
        record.save,
        folder,
        state.record_digest,
        state.articles,
        state.content_stats,
        state.text_lengths,
        state.document_keys,
        {
            "warnings": state.problems.warnings,
            "documents": len(state.documents),
            "pages": state.pages_rendered + state.pages_reused,
        },
    )


def _unchanged(settings, final: Path) -> Outcome | None:
    """When nothing the site is made from changed since the last build (the content folder as
    its record says, the site digest, and output/ the tree that build put there), output/ is that
    build's, as it stands: the outcome it had, told again. None: the build runs."""
    folder = _cache_folder(settings, final)
    if not folder or not setting(settings, "DOCUMENT_RECORD") or not final.is_dir():
        return None
    if not os.path.isfile(os.path.join(folder, record.RECORD)):
        return None
    site = Site.from_settings(settings)
    if any(problem.is_error for problem in site.problems):
        return None
    recorded = record.header(folder, site_digest(settings, site.today, site.config_digest))
    if recorded is None or "pages" not in recorded:
        return None
    cache = BuildCache(folder)
    try:
        if cache.get("pages", OUTPUT_ID_KEY) != _output_id(final):
            return None  # another tree was put in its place (a backup restored…), or files went
    finally:
        cache.close()
    refused: list[Problem] = []
    now: dict = {}
    settings["CONTENT_WALK"] = (content_files(settings, refused, now), refused, now)  # the run's
    if changed_files(settings["PATH"], recorded["stats"], now):
        return None
    del settings["CONTENT_WALK"]
    problems = ProblemList()
    problems.extend(recorded["warnings"])
    return Outcome(
        True,
        problems,
        final,
        documents=recorded["documents"],
        pages=(0, recorded["pages"]),
        unchanged=True,
    )


def _output_id(folder: Path) -> str:
    """Which tree ``folder`` is (device and inode: a swap puts a new one there) and the names of
    its files (one removed by hand is made again)."""
    st = os.stat(folder)
    names = "\n".join(sorted(files_in(str(folder))))
    return f"{st.st_dev}:{st.st_ino}:{digest(names)}"


def _discard_record(recorder) -> None:
    """The record a helper was writing for a build that did not succeed goes."""
    if recorder is None:
        return
    with contextlib.suppress(Exception):
        os.remove(collect(recorder))


class _ErrorRecords(logging.Handler):
    """The errors logged during a build. Pelican logs a failure (a file it could not write…) and
    then stops with a RuntimeError of its own: the logged exception is the cause to report."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record):
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])

    def cause(self, exc: BaseException) -> BaseException:
        full = [e for e in self.errors if _disk_full(e)]
        return full[-1] if full else exc


def _disk_full(exc: BaseException) -> bool:
    return (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)) or (
        isinstance(exc, sqlite3.OperationalError) and "full" in str(exc)
    )


def failure_message(exc: BaseException, folder: Path | None = None) -> str:
    """A failure that is not the content's, in Chinese; a full disk said as such."""
    low = folder is not None and shutil.disk_usage(folder).free < 1024 * 1024
    if _disk_full(exc) or low:
        return "磁盘空间不足：请清理磁盘（或删除 cache/ 文件夹）后重新生成。"
    return f"生成过程出错：{type(exc).__name__}: {exc}"


def _drop_cache(cache, folder: str, exc: Exception) -> str:
    with contextlib.suppress(Exception):
        cache.close()
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
    return (
        f"注意：网站已生成并替换了 output/，但构建缓存没能写入（{failure_message(exc)}）："
        "已删除缓存，下次生成会完整重建。"
    )


def _cancel_background(state) -> None:
    for job in state.background if state else ():
        job.cancel()
    if state is not None and state.kept_tree is not None:
        state.kept_tree.cancel()


def _cache_folder(settings, final: Path | None = None) -> str:
    """``cache/`` beside ``output/`` unless BUILD_CACHE_PATH says otherwise ("" turns caching
    off)."""
    if "BUILD_CACHE_PATH" in settings:
        return settings["BUILD_CACHE_PATH"]
    final = final or Path(settings["OUTPUT_PATH"]).resolve()
    return str(final.parent / "cache")


def keep_unchanged_times(new: Path, old: Path) -> None:
    """A file whose bytes did not change keeps the old modification time (rsync then skips it)."""
    if old.is_dir():
        _keep_times(str(new), str(old))


def _keep_times(new: str, old: str) -> None:
    for entry in os.scandir(new):
        before = os.path.join(old, entry.name)
        if entry.is_dir(follow_symlinks=False):
            if os.path.isdir(before):
                _keep_times(entry.path, before)
            continue
        try:
            now, then = entry.stat(follow_symlinks=False), os.stat(before)
        except OSError:
            continue
        if (
            now.st_ino == then.st_ino
            or now.st_size != then.st_size
            or now.st_mtime_ns == then.st_mtime_ns
        ):
            continue  # linked from the previous build, or changed for sure, or the same time anyway
        if same_bytes(entry.path, before):
            os.utime(entry.path, ns=(then.st_atime_ns, then.st_mtime_ns))


def _remove_abandoned_staging(final: Path) -> list[str]:
    """A build killed mid-write leaves its staging folder behind (never output/ itself), the copy
    of the previous output it was filling, or the old tree it was removing: tidy them up. A swap
    that was interrupted is completed first, before anything is removed. Returns what the report
    should say of it."""
    notes = [swap.recover(final)]
    # .output-new-PID-random (mkdtemp) and its .kept copy, .output-old-PID: the PID is in the name.
    for pattern, pid_at in ((f".{final.name}-new-*", -2), (f".{final.name}-old-*", -1)):
        for folder in final.parent.glob(pattern):
            pid = folder.name.split("-")[pid_at]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)
    return [note for note in notes if note]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _swap(staging: Path, final: Path) -> Path | None:
    """Replace ``final`` by ``staging`` in one atomic step where the file system allows
    (:mod:`.swap`); returns where the old tree is, for the caller to remove."""
    os.chmod(staging, 0o755)  # mkdtemp makes it 0700; a web server must read it
    old = final.with_name(f".{final.name}-old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    return swap.swap_in(staging, final, old)


def check(settings_file="pelicanconf.py", overrides: dict | None = None) -> Outcome:
    """Validate all content exactly as a build would, writing nothing but, in a flood of
    problems, their whole list."""
    settings = load_settings(settings_file, overrides)
    site = Site.from_settings(settings)
    problems = ProblemList()
    problems.extend(site.problems)
    _register_plugins(
        settings
    )  # plugins add their own checks (annual-report tables…) and body steps
    folder = _cache_folder(settings)
    cache = BuildCache(
        folder if folder and Path(folder).is_dir() else None
    )  # uses, never creates, the cache
    documents = []
    refused: list[Problem] = []
    files = content_files(settings, refused)
    problems.extend(refused)
    for prepared in prepare(files, site, settings, cache).values():
        problems.extend(prepared.problems)
        problems.extend(prepared.body_files(site)[1])
        documents.append(prepared.result.document)
    cache.close()
    problems.extend(validate_collection(documents))
    problems.extend(signals.collection_problems(documents, site, {}))
    outcome = Outcome(not problems.errors, problems, documents=len(documents), checked_only=True)
    if problems.flood:
        _keep_whole_list(outcome, settings)
    return outcome


def _register_plugins(settings) -> list[str]:
    """Register the settings' plugins (as Pelican would); returns their names."""
    return private_api.register_plugins(settings)


def new_document(
    settings_file="pelicanconf.py",
    column="",
    title="",
    publisher="",
    today: dt.date | None = None,
    overrides: dict | None = None,
    category: str = "",
) -> tuple[Path | None, list[Problem]]:
    """Scaffold a document with every field, today's date and the next free 索引号."""
    settings = load_settings(settings_file, overrides)
    site = Site.from_settings(settings)
    today = today or site.today
    node = site.catalogue.resolve(column) if column else None
    problems = list(site.problems)
    if node is None or not node.holds_documents:
        hint = "可用栏目：" + "、".join(
            f"{n.code}（{n.name}）" for n in site.catalogue.document_columns()
        )
        problems.append(
            Problem("", 0, ERROR, "栏目", "请用 --column 指定一个文档栏目", column, hint)
        )
    owner = (
        site.publishers.find(publisher) if publisher else (site.publishers.publishers or [None])[0]
    )
    if owner is None:
        problems.append(
            Problem(
                "",
                0,
                ERROR,
                "发布机构",
                "找不到这个发布机构",
                publisher,
                "可用：" + "、".join(p.name for p in site.publishers.publishers),
            )
        )
    if not title.strip():
        problems.append(Problem("", 0, ERROR, "名称", "请用 --title 写上文件标题"))
    scheme = owner.scheme if owner else None
    category = category.strip().upper()
    if scheme and "{category}" in scheme.pattern and not category:
        category = scheme.categories[0] if len(scheme.categories) == 1 else ""
        if not category:
            problems.append(
                Problem(
                    "",
                    0,
                    ERROR,
                    "索引号",
                    "本机构的索引号有分类段，请用 --category 指定分类",
                    "",
                    "可用：" + "、".join(scheme.categories) if scheme.categories else "",
                )
            )
    if scheme and category and scheme.categories and category not in scheme.categories:
        problems.append(
            Problem(
                "",
                0,
                ERROR,
                "索引号",
                "不是本机构索引号规则中的分类",
                category,
                "可用：" + "、".join(scheme.categories),
            )
        )
    if any(p.is_error for p in problems):
        return None, problems
    period = scheme.make(owner.code, today.year, today.month, 0, category).period
    serials = [0]
    for path in content_files(settings):
        parsed = scheme.parse(read_document(path, site).document.index_number or "")
        if parsed and parsed.period == period:
            serials.append(parsed.serial)
    number = scheme.make(owner.code, today.year, today.month, max(serials) + 1, category)
    target = site.content_root / node.code / f"{number.slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    kind = templates.document_kind(node, setting(settings, "ANNUAL_REPORT_COLUMN"))
    target.write_text(
        templates.template(
            kind,
            title.strip(),
            number.text,
            node.code,
            owner.name,
            today,
            target.with_suffix(".yml").name,
        ),
        encoding="utf-8",
    )
    report_format = templates.report_format(today.year - 1)
    if kind == "annual-report" and report_format != "legacy":  # its table data, to be filled
        target.with_suffix(".yml").write_text(report_skeleton(report_format), encoding="utf-8")
    return target, []
