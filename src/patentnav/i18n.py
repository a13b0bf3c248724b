"""Bilingual labels (English / 简体中文) for terminal output and reports.

Every user-facing label goes through :func:`t`; a missing key raises in tests (see
``tests/test_i18n.py``), so the two languages never drift apart.
"""

from __future__ import annotations

import os

__all__ = ["t", "LANGS", "default_lang"]

LANGS = ("en", "zh")

_MESSAGES: dict[str, tuple[str, str]] = {
    # ingest
    "ingest.title": ("Ingest report", "导入报告"),
    "ingest.file": ("File", "文件"),
    "ingest.format": ("Format", "格式"),
    "ingest.rows_read": ("Rows read", "读取行数"),
    "ingest.kept": ("Kept", "保留"),
    "ingest.merged": ("Merged duplicates", "合并重复"),
    "ingest.rejected": ("Rejected", "拒绝"),
    "ingest.warnings": ("Value warnings", "字段警告"),
    "ingest.issues": ("Problems found (first {n})", "发现的问题（前 {n} 条）"),
    "ingest.line": ("Line", "行"),
    "ingest.field": ("Field", "字段"),
    "ingest.reason": ("Reason", "原因"),
    "ingest.value": ("Value", "值"),
    "ingest.kind": ("Kind", "类别"),
    "ingest.reading": ("Reading", "正在读取"),
    "ingest.written": ("Wrote {n} documents to {path}", "已将 {n} 件文献写入 {path}"),
    "ingest.issues_written": ("Wrote all {n} problems to {path}", "已将全部 {n} 条问题写入 {path}"),
    "ingest.strict_failed": ("{n} rows were rejected (--strict)", "有 {n} 行被拒绝（--strict）"),
    # info
    "info.title": ("Corpus overview", "专利数据概览"),
    "info.documents": ("Documents", "文献数"),
    "info.jurisdiction": ("Jurisdiction", "公开国家/组织"),
    "info.document_type": ("Document type", "文献类型"),
    "info.year": ("Publication year", "公开年"),
    "info.count": ("Count", "数量"),
    "info.share": ("Share", "占比"),
    "info.top_ipc": ("Top IPC subclasses", "主要IPC小类"),
    "info.top_applicants": ("Top applicants (raw names)", "主要申请人（原始名称）"),
    "info.code": ("Code", "分类号"),
    "info.title_col": ("Title", "名称"),
    "info.applicant": ("Applicant", "申请人"),
    "info.coverage": ("Field coverage", "字段覆盖"),
    "info.field": ("Field", "字段"),
    "info.with": ("Documents with it", "含该字段的文献"),
    "info.sample_note": ("No corpus given: showing the bundled Lens.org drone sample.", "未指定数据：显示内置的 Lens.org 无人机样本数据。"),
    # ipc
    "ipc.level": ("Level", "层级"),
    "ipc.code": ("Code", "分类号"),
    "ipc.title": ("Title", "名称"),
    "ipc.wipo": ("WIPO technology field", "WIPO技术领域"),
    "ipc.sei": ("Strategic emerging industry fields", "战略性新兴产业分类"),
    "ipc.none": ("none", "无"),
    "ipc.invalid": ("not a valid IPC/CPC code", "不是有效的IPC/CPC分类号"),
    "ipc.cpc_only": ("CPC-only code (no IPC title)", "仅CPC分类号（无IPC名称）"),
    # industries
    "sei.title": ("Strategic emerging industries (CNIPA 2021 SEI-IPC concordance)", "战略性新兴产业分类（国家知识产权局2021年参照关系表）"),
    "sei.code": ("Code", "代码"),
    "sei.name": ("Name", "名称"),
    "sei.rules": ("Rules", "规则数"),
    "sei.ipc_codes": ("IPC codes", "IPC分类号数"),
    # names
    "names.title": ("Largest merged applicant groups", "合并最多的申请人组"),
    "names.canonical": ("Canonical name", "标准名称"),
    "names.variants": ("Variants", "变体数"),
    "names.documents": ("Mentions", "出现次数"),
    "names.examples": ("Raw variants", "原始名称"),
    "names.summary": ("{raw:,} raw names -> {groups:,} applicants ({merged:,} merged; {persons:,} individuals)",
                      "{raw:,} 个原始名称 -> {groups:,} 个申请人（合并 {merged:,} 个；个人 {persons:,} 个）"),
    "names.written": ("Wrote the raw -> canonical mapping to {path}", "已将原始名称 -> 标准名称对照表写入 {path}"),
    # levels
    "level.section": ("section", "部"),
    "level.class": ("class", "大类"),
    "level.subclass": ("subclass", "小类"),
    "level.main_group": ("main group", "大组"),
    "level.subgroup": ("subgroup", "小组"),
    # errors
    "error": ("Error", "错误"),
}


def default_lang() -> str:
    """``PATENTNAV_LANG`` if set to a known language, else English."""
    lang = os.environ.get("PATENTNAV_LANG", "en").lower()[:2]
    return lang if lang in LANGS else "en"


def t(key: str, lang: str | None = None, **fmt) -> str:
    """The label ``key`` in ``lang`` (``en`` or ``zh``), formatted with ``fmt``."""
    lang = lang or default_lang()
    en, zh = _MESSAGES[key]
    text = zh if lang == "zh" else en
    return text.format(**fmt) if fmt else text
