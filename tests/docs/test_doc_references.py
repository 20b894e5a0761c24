"""Every reference in the user docs resolves, and the docs read as docs, not as a work log.

Checked: Markdown links (files and ``#anchors``) in README.md and docs/, and repository paths cited in
README.md, docs/ and the comments and strings of ``sentinel/**/*.py`` (``docs/events.md``,
``sentinel/detectors/surge.py``, ``bench/nab_spike.py``, ...). A path under ``spec/`` is always an error:
the contracts are restated in docs/ (docs/events.md, docs/replay.md) and the repository has no spec/.
"""

from __future__ import annotations

import io
import re
import tokenize
import unicodedata
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKDOWN = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
PYTHON = sorted((ROOT / "sentinel").rglob("*.py"))

# A cited repository path: one of these top-level folders, then at least one name. Not preceded by a path or
# word character, so ``../shared/x``, ``/var/lib/sentinel/sentinel.db`` and ``twilio.com/docs/x`` are not taken.
CITED = re.compile(r"(?<![\w./*-])((?:docs|bench|sentinel|deploy|examples|rules|tests|spec)/[\w.*-][\w./*-]*)")
LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$")
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
HTML_ID = re.compile(r"""<a\s+(?:id|name)=["']([^"']+)["']""")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")


def markdown_lines(path: Path) -> Iterator[tuple[int, str, bool]]:
    """(line number, text, inside a fenced code block) of a Markdown file."""
    fence = ""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = FENCE.match(line)
        if m and (not fence or (m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence))):
            fence = "" if fence else m.group(1)
            yield n, line, True
            continue
        yield n, line, bool(fence)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text, lower case, punctuation dropped, spaces as hyphens."""
    text = INLINE_CODE.sub(lambda m: m.group(2), heading)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link's text only
    text = re.sub(r"<[^>]+>", "", text)
    out = []
    for ch in text.lower():
        if ch in " -_" or unicodedata.category(ch)[0] in "LNM":
            out.append("-" if ch == " " else ch)
    return "".join(out)


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for _, line, in_code in markdown_lines(path):
        found.update(HTML_ID.findall(line))
        m = HEADING.match(line)
        if in_code or not m:
            continue
        base = slug(m.group(2))
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def markdown_links(path: Path) -> Iterator[tuple[int, str]]:
    for n, line, in_code in markdown_lines(path):
        if in_code:
            continue
        plain = INLINE_CODE.sub("", line)
        for target in LINK.findall(plain):
            yield n, target
        m = REF_DEF.match(plain)
        if m:
            yield n, m.group(1)


def broken_link(source: Path, target: str) -> str | None:
    """Why ``target``, linked from ``source``, does not resolve (None when it does)."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto:, ...
        return None
    file_part, _, anchor = target.partition("#")
    dest = (source.parent / file_part).resolve() if file_part else source
    if not dest.exists():
        return "no such file"
    if file_part and ROOT not in dest.parents:
        return "outside the repository"
    if anchor and dest.suffix == ".md" and anchor not in anchors(dest):
        return f"no heading #{anchor} in {dest.name}"
    return None


def python_text(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every comment and string literal of a Python file: where docstrings cite paths."""
    source = path.read_text(encoding="utf-8")
    kinds = {tokenize.COMMENT, tokenize.STRING}
    kinds.update(t for t in (getattr(tokenize, "FSTRING_MIDDLE", None),) if t is not None)
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in kinds:
            for i, line in enumerate(tok.string.splitlines()):
                yield tok.start[0] + i, line


def cited_paths(lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Paths cited in ``lines``: in code spans (``docs/events.md``) any path; in prose only what reads as a file
    or a folder (``docs/events.md``, ``deploy/``, ``bench/*.py``), not a phrase such as "rules/detectors"."""
    for n, line in lines:
        spans = [m.span(2) for m in INLINE_CODE.finditer(line)]
        for m in CITED.finditer(line):
            p = m.group(1).rstrip(".,;:")
            in_code = any(a <= m.start() < b for a, b in spans)
            if in_code or p.endswith("/") or "*" in p or "." in p.rsplit("/", 1)[-1]:
                yield n, p


def missing_path(cited: str) -> str | None:
    if cited.startswith("spec/"):
        return "the repository has no spec/: cite docs/events.md or docs/replay.md"
    if "*" in cited:
        return None if any(ROOT.glob(cited)) else "no file matches"
    if not (ROOT / cited).exists():
        return "no such file or folder"
    return None


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_markdown_links_in_readme_and_docs_resolve_to_files_and_headings() -> None:
    problems = [
        f"{rel(md)}:{n}: ({target}): {why}"
        for md in MARKDOWN
        for n, target in markdown_links(md)
        if (why := broken_link(md, target))
    ]
    assert problems == [], "broken links:\n" + "\n".join(problems)


def test_repository_paths_cited_in_readme_docs_and_package_exist() -> None:
    texts = [(md, ((n, line) for n, line, _ in markdown_lines(md))) for md in MARKDOWN]
    texts += [(py, python_text(py)) for py in PYTHON]
    problems = [
        f"{rel(path)}:{n}: {cited}: {why}"
        for path, lines in texts
        for n, cited in cited_paths(lines)
        if (why := missing_path(cited))
    ]
    assert problems == [], "cited paths that do not exist:\n" + "\n".join(problems)


# A work-log heading carries the day the work was done ("## 2026-11-23", "### Session 9 (23 Nov 2026)"); a checksum
# is a run of 32, 40 or 64 hex digits (md5, sha1, sha256), whatever words surround it.
DATE = r"(?:\d{4}-\d{2}-\d{2}|\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4})"
WORK_LOG = [
    (re.compile(rf"^\s{{0,3}}#{{1,6}}\s.*{DATE}"), "a dated heading"),
    (re.compile(r"\bsession \d+\b", re.I), "session narration"),
    (re.compile(r"(?<![0-9a-fA-F])(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64})(?![0-9a-fA-F])"), "a checksum"),
]


def test_docs_have_no_dated_work_log_headings_session_narration_or_checksums() -> None:
    problems = [
        f"{rel(md)}:{n}: {what}: {line.strip()[:100]}"
        for md in MARKDOWN
        for n, line, _ in markdown_lines(md)
        for pattern, what in WORK_LOG
        if pattern.search(line)
    ]
    assert problems == [], "work-log material in the docs:\n" + "\n".join(problems)


def test_the_checker_finds_what_it_is_meant_to_find(tmp_path: Path) -> None:
    md = tmp_path / "a.md"
    md.write_text("# Crisis: `surge` & more\n## Twice\n## Twice\n```\n# not a heading\n```\n")
    assert anchors(md) == {"crisis-surge--more", "twice", "twice-1"}
    assert broken_link(md, "#twice-1") is None
    assert broken_link(md, "#not-a-heading") is not None
    assert broken_link(md, "missing.md") is not None
    assert broken_link(md, "https://example.com/x.md") is None
    line = (
        "see `docs/events.md`, spec/replay.md, `sentinel/sources/graph*.py`, rules/detectors, /var/lib/sentinel/x.db."
    )
    found = [p for _, p in cited_paths(iter([(1, line)]))]
    assert found == ["docs/events.md", "spec/replay.md", "sentinel/sources/graph*.py"]
    assert missing_path("sentinel/sources/graph*.py") is None
    assert missing_path("spec/replay.md") is not None
    assert missing_path("docs/nonexistent.md") is not None
    assert [p for p, _ in WORK_LOG if p.search("### Session 9 (2026-11-23)")] != []
    assert [p for p, _ in WORK_LOG if p.search("md5 of the records: 01ad442a5c03b4eb8119a5c69bb27a83")] != []
    assert [p for p, _ in WORK_LOG if p.search("druvan 2025-08-27 14:22, a false warning")] == []
    assert [p for p, _ in WORK_LOG if p.search("the store keeps the SHA-256 of the token only")] == []
