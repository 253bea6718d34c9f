"""Every relative link in the README and the docs leads to a file (and heading) that exists."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Hidden folders (the virtual environments, where packages drop their own READMEs) are not ours.
DOCUMENTS = sorted(
    {ROOT / "README.md", *ROOT.glob("docs/**/*.md")}
    | {path for path in ROOT.glob("*/*.md") if not path.parts[-2].startswith(".")}
)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE_PATH = re.compile(r"`([\w./-]+\.md)`")


def anchors(document: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.+)$", document.read_text(), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", title).strip().lower().replace(" ", "-") for title in headings}


def broken_links(document: Path) -> list[str]:
    text = document.read_text()
    broken = []
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:", target):
            continue  # a URL (http:, mailto:) — not checked offline
        path, _, anchor = target.partition("#")
        resolved = (document.parent / path).resolve() if path else document
        if not resolved.exists() or (
            anchor and resolved.suffix == ".md" and anchor not in anchors(resolved)
        ):
            broken.append(target)
    broken += [path for path in CODE_PATH.findall(text) if not (ROOT / path).exists()]
    return broken


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_links_resolve(document):
    assert broken_links(document) == []


def test_a_broken_link_is_found(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# Title\n[gone](missing.md#x) [here](#title) [there](#nowhere)\n`nothing/X.md`\n"
    )
    assert broken_links(page) == ["missing.md#x", "#nowhere", "nothing/X.md"]


def test_the_readme_is_a_front_door():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 150
