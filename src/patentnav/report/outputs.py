"""Write one report model in the requested formats (shared by ``patentnav landscape`` and
``patentnav warn``), safely.

* Everything is written into a fresh staging folder next to ``--out`` (inside its parent;
  inside ``--out`` itself when the parent is not writable) and moved into place at the end,
  so an interrupted run leaves the previous report whole, never new HTML beside old PNGs.
* ``--out`` holds a manifest (:data:`MANIFEST`) of the files patentnav wrote there, with
  their SHA-256. Files not in it, or changed since, belong to the user: they are never
  overwritten or deleted (the run stops before moving anything, naming them). Files of an
  earlier report that this run does not write again are removed, so no mix remains.
* Symbolic links are never followed: ``--out`` itself, or anything inside it that the run
  would write through (``report.json -> ../x/config.ini``, ``tables -> ../elsewhere``), stops
  the run.
* Every folder the files move into is checked for write permission first: a read-only
  ``images/`` ends the run with an error, not with a report whose charts are missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..i18n import LocalizedError, Phrase, join_items, t

__all__ = ["FORMATS", "MANIFEST", "OutputError", "OutputPlan", "parse_formats", "plan_outputs", "write_outputs"]

#: Output formats: the HTML page, Markdown with PNG charts, the JSON model, CSV tables.
FORMATS = ("html", "md", "json", "csv")

#: The manifest of what patentnav wrote into an output folder.
MANIFEST = ".patentnav-manifest.json"
_STAGING_PREFIX = ".patentnav-staging-"


class OutputError(LocalizedError):
    """The output folder cannot be written safely (user files in the way, symlinks, permissions);
    the message is a catalog entry (``err.out_*``), said in the session's language."""


def parse_formats(text: str) -> list[str]:
    """``"html, md"`` -> ``["html", "md"]``; unknown names raise a :class:`LocalizedError`
    (a ValueError) naming the choices."""
    fmts = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in fmts if f not in FORMATS]
    if bad or not fmts:
        raise LocalizedError("err.bad_formats", bad=", ".join(bad) or repr(text), choices=", ".join(FORMATS))
    return fmts


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _files_under(root: Path) -> list[str]:
    """Relative POSIX paths of the files and links under ``root`` (links are not followed)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(dirpath)
        for name in filenames + [d for d in dirnames if (base / d).is_symlink()]:
            out.append((base / name).relative_to(root).as_posix())
    return sorted(out)


@dataclass
class OutputPlan:
    """What writing into ``out`` will do, found before any work.

    Attributes
    ----------
    out : Path
    exists : bool
        Whether ``out`` exists already.
    ours : dict
        Files of an earlier patentnav report (from the manifest): relative path -> SHA-256.
    changed : list of str
        Files in the manifest that were changed since (treated as the user's).
    others : list of str
        Files in ``out`` patentnav did not write (left alone).
    interrupted : bool
        The manifest says an earlier write was interrupted while moving files.
    """

    out: Path
    exists: bool = False
    ours: dict[str, str] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    interrupted: bool = False

    def is_ours(self, rel: str) -> bool:
        return rel in self.ours and rel not in self.changed

    def describe(self) -> dict:
        """Counts and examples for a message (the CLI words it in the report's language)."""
        return {"out": str(self.out), "new": not self.exists or not (self.ours or self.others),
                "replaced": len(self.ours) - len(self.changed), "others": len(self.others) + len(self.changed),
                "examples": ", ".join((self.others + self.changed)[:3]), "interrupted": self.interrupted}


def _refuse_links(out: Path, rel: str) -> None:
    """Stop when ``out/rel`` or a folder on the way to it inside ``out`` is a symbolic link."""
    p = out
    for part in Path(rel).parts:
        p = p / part
        if p.is_symlink():
            raise OutputError("err.out_link", path=str(p), target=os.readlink(p))


def plan_outputs(out_dir, expected: list[str] | tuple[str, ...] = ()) -> OutputPlan:
    """Look at ``out_dir`` before the work: links, the manifest, files in the way.

    ``expected`` are relative paths the run will certainly write (``report.html`` ...); a
    file there that patentnav did not write stops the run now rather than after the work.

    Raises
    ------
    OutputError
        ``out_dir`` is a link or not a folder; a link inside it is on the way of an output;
        an expected output would overwrite a file patentnav did not write.
    """
    out = Path(out_dir)
    if out.is_symlink():
        raise OutputError("err.out_is_link", out=str(out), target=os.readlink(out))
    if out.exists() and not out.is_dir():
        raise OutputError("err.out_is_file", out=str(out))
    plan = OutputPlan(out, exists=out.exists())
    if not plan.exists:
        return plan
    manifest = out / MANIFEST
    if manifest.is_symlink():
        raise OutputError("err.out_manifest_link", path=str(manifest))
    recorded: dict[str, str] = {}
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            recorded = {str(k): str(v) for k, v in (data.get("files") or {}).items()}
            plan.interrupted = not data.get("complete", True)
        except (ValueError, OSError, AttributeError) as e:
            raise OutputError("err.out_manifest", path=str(manifest), detail=str(e)) from e
    for rel in _files_under(out):
        if rel == MANIFEST or rel.startswith(_STAGING_PREFIX) or Path(rel).parts[0].startswith(_STAGING_PREFIX):
            continue
        p = out / rel
        if rel in recorded and not p.is_symlink() and p.is_file():
            if _sha256(p) == recorded[rel]:
                plan.ours[rel] = recorded[rel]
            else:
                plan.ours[rel] = recorded[rel]
                plan.changed.append(rel)
        else:
            plan.others.append(rel)
    for rel in expected:
        _refuse_links(out, rel)
    _check_conflicts(plan, expected)
    return plan


def _check_conflicts(plan: OutputPlan, rels) -> None:
    clash = [r for r in rels if (plan.out / r).exists() or (plan.out / r).is_symlink()]
    clash = [r for r in clash if not plan.is_ours(r)]
    if clash:
        why = "what.out.changed" if all(r in plan.changed for r in clash) else \
            "what.out.foreign" if not any(r in plan.changed for r in clash) else "what.out.mixed"
        listed = Phrase(render=lambda lang: join_items(clash, lang) if len(clash) <= 5 else
                        t("what.out.more", lang, listed=join_items(clash[:5], lang), n=len(clash) - 5))
        raise OutputError("err.out_clash", out=str(plan.out), listed=listed, why=Phrase(why))


def _staging_dir(out: Path) -> Path:
    parent = out.parent if str(out.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    try:
        d = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX + out.name + "-", dir=parent))
    except PermissionError:
        if not out.is_dir():
            raise
        d = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=out))  # a writable --out in a read-only parent
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(d, 0o777 & ~mask)  # mkdtemp makes 0700; the folder may become --out itself
    return d


def _write_manifest(folder: Path, files: dict[str, str], complete: bool) -> None:
    from .. import __version__

    tmp = folder / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps({"tool": "patentnav", "version": __version__, "complete": complete,
                               "files": dict(sorted(files.items()))}, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def _writable(d: Path) -> bool:
    return os.access(d, os.W_OK | os.X_OK)


def _commit(staging: Path, plan: OutputPlan) -> None:
    """Move the staged files into ``plan.out`` (see the module doc for the rules)."""
    out = plan.out
    new = {rel: _sha256(staging / rel) for rel in _files_under(staging)}
    if not out.exists():
        _write_manifest(staging, new, complete=True)
        os.rename(staging, out)
        return
    for rel in new:
        _refuse_links(out, rel)
    _check_conflicts(plan, list(new))
    dirs = {(out / rel).parent for rel in new}
    for d in sorted(dirs):
        probe = d
        while not probe.exists():
            probe = probe.parent
        if not probe.is_dir() or not _writable(probe):
            raise OutputError("err.out_no_write", path=str(probe), out=str(out))
    stale = [rel for rel in plan.ours if rel not in new and plan.is_ours(rel)]
    for rel in stale:
        d = (out / rel).parent
        if not _writable(d):
            raise OutputError("err.out_no_remove", path=str(out / rel), out=str(out))
    _write_manifest(out, {**{r: h for r, h in plan.ours.items() if plan.is_ours(r)}, **new}, complete=False)
    for rel in stale:
        (out / rel).unlink()
    for rel in new:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)
    for rel in stale:  # folders the earlier report made and nothing fills any more
        d = (out / rel).parent
        while d != out and d.is_dir() and not any(d.iterdir()):
            d.rmdir()
            d = d.parent
    _write_manifest(out, new, complete=True)


def _rmtree(path: Path) -> None:
    def onerror(func, p, exc):  # read-only files inside the staging folder
        os.chmod(p, stat.S_IWRITE | stat.S_IREAD | stat.S_IEXEC)
        func(p)

    if path.exists():
        shutil.rmtree(path, onerror=onerror)


def expected_files(formats, stem: str = "report") -> list[str]:
    """The files a run certainly writes for ``formats`` (CSV tables and images vary)."""
    return [f"{stem}.{ext}" for fmt, ext in (("html", "html"), ("md", "md"), ("json", "json")) if fmt in formats]


def write_outputs(report: dict, out_dir, formats, stem: str = "report",
                  extra: Callable[[Path], list[tuple[str, str]]] | None = None,
                  plan: OutputPlan | None = None, pngs=None) -> list[tuple[str, str]]:
    """Write ``report`` to ``out_dir`` as ``<stem>.html``, ``<stem>.md`` (+ ``images/``),
    ``<stem>.json`` and ``tables/*.csv``, for the ``formats`` asked; returns (format, path).

    ``extra(folder)`` may write more files into the staging folder and return their
    (format, path) pairs. ``plan``: from :func:`plan_outputs` (made here when None).
    Files are staged and moved into place as the module doc describes. ``pngs``: a
    :class:`~patentnav.report.markdown.PngExport` fed with the report's charts while it was
    built (closed; its figures are reused by the HTML page); made here when None.
    """
    from .charts import Figures
    from .html import write_html
    from .json_csv import write_csv_tables, write_json
    from .markdown import PngExport, write_markdown

    out = Path(out_dir)
    plan = plan or plan_outputs(out, expected_files(formats, stem))
    staging = _staging_dir(out)
    written: list[tuple[str, str]] = []
    lang = "zh" if (report.get("meta") or {}).get("lang") == "zh" else "en"
    if pngs is not None and (pngs.figures.lang != lang or "md" not in formats):
        pngs.close()  # made for another language or not needed: not used
        pngs = None
    figures = pngs.figures if pngs is not None else Figures(lang)  # each chart built once, for HTML and PNGs
    if "md" in formats and pngs is None:  # kaleido renders in its own process while the other writers run
        pngs = PngExport(report, figures.build_all(report))
    try:
        if "json" in formats:
            written.append(("json", str(write_json(report, staging / f"{stem}.json"))))
        if "csv" in formats:
            files = write_csv_tables(report, staging / "tables")
            written.append(("csv", t("out.csv_files", lang, path=staging / "tables", n=len(files))))
        if "html" in formats:
            path = staging / f"{stem}.html"
            written.append(("html", str(write_html(report, path, figures=figures) or path)))
        if "md" in formats:
            written.append(("md", str(write_markdown(report, staging, name=f"{stem}.md", figures=figures, pngs=pngs))))
        if extra is not None:
            written += extra(staging)
        _commit(staging, plan)
    finally:
        _rmtree(staging)
    return [(fmt, path.replace(str(staging), str(out), 1)) for fmt, path in written]
