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
    # landscape
    "written": ("Wrote {path}", "已写入 {path}"),
    "graph.summary": ("{field} co-classification graph at {level} level: {nodes} codes, {edges} links",
                      "{field} 共分类网络（{level}层级）：{nodes} 个分类号，{edges} 条关联"),
    "graph.top": ("Most frequent links", "最常见的关联"),
    "graph.code_a": ("Code", "分类号"),
    "graph.code_b": ("Co-occurring code", "共现分类号"),
    "graph.count": ("Documents", "文献数"),
    "graph.strength": ("Association strength", "关联强度"),
    "clusters.working": ("Clustering technology fields (Leiden)...", "正在聚类技术领域（Leiden算法）……"),
    "clusters.quality": ("{n} fields; modularity {modularity}; coverage {coverage}; stability (ARI across seeds) {stability}",
                         "{n} 个技术领域；模块度 {modularity}；覆盖率 {coverage}；稳定性（不同随机种子的调整兰德指数）{stability}"),
    "clusters.title": ("Technology fields", "技术领域"),
    "clusters.field": ("Field", "领域"),
    "clusters.size": ("Documents", "文献数"),
    "clusters.share": ("Share", "占比"),
    "clusters.growth": ("Growth/yr", "年增长"),
    "clusters.codes": ("Characteristic codes", "特征分类号"),
    "clusters.terms": ("Characteristic terms", "特征词"),
    "clusters.applicants": ("Top applicants", "主要申请人"),
    "trends.title": ("Documents per {by} year", "按{by}年统计的文献量"),
    "trends.by.priority": ("priority", "优先权"),
    "trends.by.filing": ("filing", "申请"),
    "trends.by.publication": ("publication", "公开"),
    "trends.year": ("Year", "年份"),
    "trends.applicants": ("Applicants", "申请人数"),
    "trends.incomplete": ("incomplete*", "不完整*"),
    "trends.incomplete_note": ("* incomplete: within the publication lag before the cut-off {cutoff}; left out of growth and the fit",
                               "* 不完整：截止日 {cutoff} 之前的公开滞后期内；不计入增长率与拟合"),
    "trends.cagr": ("Compound annual growth {start}-{end}: {cagr}", "{start}-{end} 年复合增长率：{cagr}"),
    "trends.fit": ("Logistic fit: saturation K {K}, midpoint {tm}, 10-90% duration {dt} years, R² {r2}; now at {share} of K: {stage}",
                   "Logistic拟合：饱和量 K {K}，中点 {tm} 年，10%-90% 历时 {dt} 年，R² {r2}；当前达到 K 的 {share}：{stage}"),
    "trends.nofit": ("No logistic fit:", "无法进行Logistic拟合："),
    "mainpath.none": ("No citations between documents of this corpus ({citing} of {docs} documents list cited patents), so there is no citation network to trace. Read an export with cited patents inside the corpus (USPTO XML, PatentsView, Lens with cited patents).",
                      "该数据集中文献之间没有引用关系（{docs} 件文献中有 {citing} 件列出引证专利），无法构建引用网络。请导入包含引证信息的数据（USPTO XML、PatentsView、含引证专利的Lens导出）。"),
    "mainpath.summary": ("{nodes} documents, {arcs} citation arcs ({removed} removed to break cycles); {kind} main path by {weight}: {n} arcs",
                         "{nodes} 件文献，{arcs} 条引用弧（为消除环删除 {removed} 条）；{weight} 权重的 {kind} 主路径：{n} 条弧"),
    "mainpath.title": ("Main path", "主路径"),
    "mainpath.cited": ("Cited", "被引文献"),
    "mainpath.citing": ("Citing", "施引文献"),
    "gaps.summary": ("Region {region}: {docs} documents in scope, {techs} technologies; {fill} to fill now, {strength} strengths",
                     "区域 {region}：范围内 {docs} 件文献，{techs} 个技术方向；近期补链 {fill} 个，优势 {strength} 个"),
    "gaps.title": ("Technology gaps of {region}, ranked", "{region} 技术短板排序"),
    "gaps.technology": ("Technology", "技术方向"),
    "gaps.cat.fill_now": ("fill now", "近期补链"),
    "gaps.cat.long_term": ("long-term bet", "长期布局"),
    "gaps.cat.declining": ("declining", "衰退领域"),
    "gaps.cat.strength": ("strength", "优势巩固"),
    "gaps.category": ("Category", "类别"),
    "gaps.rca": ("RCA", "显示性技术优势"),
    "gaps.density": ("Relatedness", "关联密度"),
    "gaps.world": ("World docs", "全球文献"),
    "gaps.growth": ("World growth/yr", "全球年增长"),
    "gaps.holders": ("Main holders", "主要权利人"),
    "gaps.local": ("Closest local firms", "最相关的本地企业"),
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
