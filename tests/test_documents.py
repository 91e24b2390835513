"""Documentation as publishers have it: each format read by its parser into the text a reader sees."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import askback
import askback.api
from askback import CorpusError
from askback.cli import main
from askback.corpus.chunking import split_passages
from askback.corpus.files import read_document
from conftest import FakeEmbedder

# The markup hygiene's measure calls markup: none of it may reach a stored body.
MARKUP = re.compile(
    r"`|\*\*|\{[a-z][\w:+-]*\}|^\s*\.\. [\w:-]+::|^\s*:[\w-]+:\s|^\(.+\)=\s*$|<a\s|</?(?:kbd|br|sup|code)\b|"
    r"&lt;|&gt;|&amp;|&#\d+;|\]\(|<!--|^\s*\[[^\]]+\]:\s",
    re.M,
)

MYST = """(configuration)=

# Configuration

% a comment for the authors
pip allows you to set all command line option defaults in a standard ini
style config file. See {ref}`the user guide <user-guide>` and
{file}`requirements.txt`; this is **NOT** hard.

```{caution}
Doing so can
significantly slow down pip.
```

```{versionadded} 20.1
The `--fast` flag.
```

To install the requirements, run:

```shell
$ pip install -r requirements.txt
# Collecting tea
Proceed (Y/n)? y
```

```{toctree}
:maxdepth: 2

topics/caching
```

## Boolean options

- One item that is hard
  wrapped over two lines.
- Another [item](https://example.org/item).

| Option | Meaning |
|---|---|
| `--user` | install into the user's folder |
"""

RST = """=============
Caching Guide
=============

:Author: Ann Smith

.. _caching:

How the cache works
===================

pip keeps downloaded files in :file:`~/.cache/pip` and reads
:ref:`the cache docs <cache>` before it downloads **anything**.

.. code-block:: console

   $ pip cache dir
   # Proceed with care

.. note::

   The cache is safe to delete.

.. versionchanged:: 23.1
   Wheels are cached too.

.. toctree::

   other
"""

DOCS_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>Thread safety | Example Manual</title>
<meta name="generator" content="makeinfo">
</head><body>
<div class="nav-panel"><p>Next: <a href="x.html">Using libffi</a>, Previous: <a href="y.html">libffi</a>,
Up: <a href="z.html">libffi</a> [<a href="i.html">Index</a>]</p></div>
<nav class="breadcrumbs"><a href="/">Home</a> / <a href="/docs">Docs</a></nav>
<div role="main">
<h1>Thread safety</h1>
<p>The library is thread safe when two rules
are kept:</p>
<ul><li>Never share a closure between threads.</li>
<li>Call <code>ffi_prep_cif</code> once per signature.</li></ul>
<pre><code>ffi_status ffi_prep_cif(ffi_cif *cif, ffi_abi abi);
# not a heading</code></pre>
<p>Copyright &copy; 2001, 2002 Example Authors</p>
</div>
<footer>Copyright 2024 Example. All rights reserved.</footer>
</body></html>"""


def _markup(body: str) -> list[str]:
    """Markup in a stored body, its code (between fence lines) set aside."""
    prose = re.sub(r"^```\n.*?^```$", "", body, flags=re.M | re.S)
    return MARKUP.findall(prose)


@pytest.fixture(autouse=True)
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(askback.api, "_EMBEDDER", FakeEmbedder())


def _added(tmp_path: Path, name: str, text: str | bytes) -> tuple[askback.AddReport, str]:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    report = askback.add_documents([path], tmp_path / "corpus", tmp_path / "ix")
    doc = read_document(Path(report.added[0].corpus_file))
    return report, doc.text[doc.body_start :]


def _index(tmp_path: Path) -> askback.Index:
    return askback.load_index(tmp_path / "ix", embedder=FakeEmbedder())


def test_myst_markdown_is_stored_as_a_reader_sees_it(tmp_path: Path) -> None:
    report, body = _added(tmp_path, "configuration.md", MYST)
    a = report.added[0]
    assert a.title == "Configuration" and not _markup(body)
    # A hard-wrapped paragraph is one line, its roles read as their text, emphasis without asterisks.
    assert (
        "pip allows you to set all command line option defaults in a standard ini style config file. "
        "See the user guide and requirements.txt; this is NOT hard.\n" in body
    )
    assert "Caution: Doing so can significantly slow down pip." in body
    assert "New in version 20.1: The --fast flag." in body
    assert "topics/caching" not in body and "a comment" not in body and "(configuration)=" not in body
    assert "- One item that is hard wrapped over two lines.\n- Another item.\n" in body
    assert "| --user | install into the user's folder |" in body
    assert dict(a.left_out_kinds)["labels"] == 1 and a.code_blocks == 1


def test_code_is_never_a_heading_and_is_quoted_only_when_asked_for(tmp_path: Path) -> None:
    _, body = _added(tmp_path, "configuration.md", MYST)
    assert "```\n$ pip install -r requirements.txt\n# Collecting tea\nProceed (Y/n)? y\n```" in body
    doc = read_document(next((tmp_path / "corpus").glob("*.txt")))
    spans = split_passages(doc.text, doc.body_start)
    code = [s for s in spans if s.code]
    assert [doc.text[s.start : s.end] for s in code] == [
        "$ pip install -r requirements.txt\n# Collecting tea\nProceed (Y/n)? y"
    ]
    assert not any("Collecting tea" in s.heading for s in spans)
    index = _index(tmp_path)
    assert all(q.kind != "code" for q in index.ask("how do I install the requirements?").quotes)
    asked = index.ask("what command shows Collecting tea and Proceed")
    code = next(q for q in asked.quotes if q.kind == "code")
    assert code.text == "$ pip install -r requirements.txt\n# Collecting tea\nProceed (Y/n)? y"  # whole
    assert "> ```\n> $ pip install -r requirements.txt\n> # Collecting tea" in asked.markdown  # shown as code
    for q in asked.quotes:
        assert Path(q.article.path).read_text(encoding="utf-8")[q.start : q.end] == q.text


def test_restructuredtext_sections_roles_and_directives(tmp_path: Path) -> None:
    report, body = _added(tmp_path, "caching.rst", RST)
    a = report.added[0]
    assert (a.title, a.author) == ("Caching Guide", "Ann Smith") and not _markup(body)
    assert "## How the cache works" in body
    assert "pip keeps downloaded files in ~/.cache/pip and reads the cache docs before it downloads anything." in body
    assert "```\n$ pip cache dir\n# Proceed with care\n```" in body
    assert "Note: The cache is safe to delete." in body
    assert "Changed in version 23.1: Wheels are cached too." in body
    assert "other" not in body.split("Wheels are cached too.")[1]


def test_a_documentation_page_keeps_its_content_and_leaves_its_navigation(tmp_path: Path) -> None:
    report, body = _added(tmp_path, "thread-safety.html", DOCS_PAGE)
    a = report.added[0]
    stored = read_document(Path(a.corpus_file)).article
    assert stored.title == "Thread safety" and not stored.published  # a copyright year is not a publication date
    assert "The library is thread safe when two rules are kept:" in body
    assert "- Never share a closure between threads.\n- Call ffi_prep_cif once per signature." in body
    assert "```\nffi_status ffi_prep_cif(ffi_cif *cif, ffi_abi abi);\n# not a heading\n```" in body
    for furniture in ["Next:", "Previous", "Home", "Copyright", "rights reserved"]:
        assert furniture not in body
    assert {"navigation", "copyright"} <= dict(a.left_out_kinds).keys()
    answer = _index(tmp_path).ask("when is the library thread safe?")
    assert "Never share a closure" in " ".join(q.text for q in answer.quotes)


def test_a_gz_and_a_folder_are_read_and_a_page_of_links_is_skipped(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "guide" / "caching.rst").write_text(RST, encoding="utf-8")
    (docs / "configuration.md.gz").write_bytes(gzip.compress(MYST.encode()))
    links = "".join(f'<li><a href="p{n}.html">Page {n}</a></li>' for n in range(6))
    (docs / "index.html").write_text(f"<html><body><main><ul>{links}</ul></main></body></html>", encoding="utf-8")
    (docs / "logo.png").write_bytes(b"\x89PNG")
    (docs / ".hidden.md").write_text("# Hidden\n\nNot a page.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "bot"), str(docs)])
    assert result.exit_code == 0, result.output
    assert "“Configuration”" in result.output and "“Caching Guide”" in result.output
    assert "skipped" in result.output and "index.html" in result.output
    assert "words kept" in result.output and "left out" in result.output
    titles = sorted(read_document(p).article.title for p in (tmp_path / "bot" / "corpus").glob("*.txt"))
    assert titles == ["Caching Guide", "Configuration"]


def test_adding_an_edited_file_again_updates_its_article(tmp_path: Path) -> None:
    page = tmp_path / "caching.rst"
    page.write_text(RST, encoding="utf-8")
    corpus, index = tmp_path / "corpus", tmp_path / "ix"
    first = askback.add_documents([page], corpus, index).added[0]
    page.write_text(RST.replace("safe to delete", "safe to delete at any time"), encoding="utf-8")
    second = askback.add_documents([page], corpus, index).added[0]
    assert second.updated and second.corpus_file == first.corpus_file and second.replaced
    assert len(list(corpus.glob("*.txt"))) == 1
    answer = _index(tmp_path).ask("can I delete the cache?")
    assert "at any time" in answer.quotes[0].text
    again = askback.add_documents([page], corpus, index).added[0]
    assert again.unchanged and not again.replaced


def test_titles_are_never_labels_or_markup(tmp_path: Path) -> None:
    report, _ = _added(tmp_path, "repeatability.md", "(repeatability)=\n\n`pip` keeps builds *repeatable*.\n")
    a = read_document(Path(report.added[0].corpus_file)).article
    assert a.title == "Repeatability" and a.title_inferred  # the file's name, made readable, and said so
    report, _ = _added(tmp_path, "b.md", "---\ntitle: Secure installs\n---\n# Other heading\n\nText here.\n")
    assert report.added[0].title == "Secure installs"


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("bad.md", b"# Title\n\n\xff\xfe broken bytes\n", "not UTF-8"),
        ("bomb.md.gz", gzip.compress(b"a" * 60_000_000), "unpacks to over"),
        ("broken.md.gz", b"\x1f\x8bnot really gzip", "not a readable .gz"),
        ("binary.html", b"<html>\x00\x00\x00</html>", "not text"),
    ],
)
def test_bad_documents_are_one_line_errors_that_write_nothing(
    tmp_path: Path, name: str, data: bytes, says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CorpusError, match=says):
        askback.add_documents([path], tmp_path / "corpus", tmp_path / "ix")
    assert not list((tmp_path / "corpus").glob("*.txt")) if (tmp_path / "corpus").exists() else True
    assert not (tmp_path / "ix").exists()


def test_a_page_of_50_mb_and_a_markdown_line_of_1_mb(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body>" + b"<p>word</p>" * 4_600_000 + b"</body></html>")  # over 50 MB
    with pytest.raises(CorpusError, match="over askback's limit"):
        askback.add_documents([big], tmp_path / "corpus", tmp_path / "ix")
    line = tmp_path / "line.md"
    line.write_text("# One line\n\n" + "word " * 200_000 + "\n", encoding="utf-8")
    report = askback.add_documents([line], tmp_path / "corpus", tmp_path / "ix")
    assert report.added[0].title == "One line" and report.build.passages > 100


def test_the_topic_comes_from_all_documents_and_suggestions_from_their_headings(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    pages = {
        "caching.md": ("Caching", "Pip keeps a cache of wheels it built.", "Avoiding the cache", "Pass no-cache-dir."),
        "auth.md": ("Authentication", "Pip reads credentials from netrc.", "Keyring support", "A keyring holds them."),
        "config.md": ("Configuration", "Pip reads config files in order.", "Config file locations", "Look in etc."),
    }
    for name, (title, text, section, detail) in pages.items():
        (docs / name).write_text(f"# {title}\n\n{text}\n\n## {section}\n\n{detail}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "bot"), str(docs)])
    assert result.exit_code == 0, result.output
    assert "topic “Pip”" in result.output  # what all three share, not the first one's title
    assert "embedded" in result.output  # a progress line when not in a terminal
    answer = askback.load_index(tmp_path / "bot" / "index", embedder=FakeEmbedder()).ask(
        "what's the capital of France?"
    )
    assert answer.abstained and answer.suggestions
    assert all(s in answer.markdown for s in answer.suggestions)


def test_a_plain_text_page_and_a_docbook_faq_read_as_their_structure(tmp_path: Path) -> None:
    page = (
        "<html><head><title>NEWS</title></head><body><div class='literallayout'><p>"
        "Release 3.19.0 (11 Apr 2022)<br>~~~~~~~~~~~~~~~~~~~~~~~~~~~~<br>This release supports many<br>"
        "platforms.<br><br>* Memcheck now checks<br>  more calls.<br>* Fix Rust name demangling.<br></p></div>"
        "<div class='qandaset'><table><tr class='question'><td><p><b>1.1.</b></p></td>"
        "<td><p><b>How do you pronounce Valgrind?</b></p></td></tr>"
        "<tr class='answer'><td></td><td><p>The Val as in the word value.</p></td></tr></table></div>"
        "</body></html>"
    )
    _, body = _added(tmp_path, "news.html", page)
    assert "### Release 3.19.0 (11 Apr 2022)\n\nThis release supports many platforms.\n" in body
    assert "- Memcheck now checks more calls.\n- Fix Rust name demangling.\n" in body
    assert "#### How do you pronounce Valgrind?\n\nThe Val as in the word value.\n" in body


def test_a_bug_list_an_faq_list_and_a_command_line_read_as_a_reader_sees_them(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Notes</title></head><body><h1>Notes</h1>"
        "<div class='literallayout'><p>Fixed bugs:<br><br>"
        "84978&#160;&#160;&#160;Wrong error resulting from<br>&#160;&#160;&#160;&#160;&#160;&#160;&#160;&#160;sbbl<br>"
        "86254&#160;&#160;&#160;ssort() fails on small ints<br>"
        "(3.12.0.RC1: 20 October 2016)<br>(3.12.0:&#160;&#160;&#160;&#160;21 October 2016)<br><br>"
        "This release supports X86/FreeBSD.&#160;&#160;There is also<br>more.<br></p></div>"
        "<h2>FAQ</h2><ol><li><em>passing parameters doesn't work</em>"
        "<p><code>CFLAGS=`xslt-config --cflags`</code></p>"
        '<p>the param ends up as ""</p><p>Escape it twice.</p></li>'
        "<li><p><code>NAME</code></p><p>A term opening an item stays its text.</p></li></ol></body></html>"
    )
    _, body = _added(tmp_path, "notes.html", page)
    # A two-column line starts an entry (its indented line continues it), as the reader sees the list.
    assert "- 84978 Wrong error resulting from sbbl\n- 86254 ssort() fails on small ints\n" in body
    assert "- (3.12.0.RC1: 20 October 2016)\n- (3.12.0: 21 October 2016)\n" in body
    assert "This release supports X86/FreeBSD. There is also more.\n" in body  # prose stays prose
    # An FAQ's emphasized question heads its answer; a paragraph of code alone is code.
    assert "### passing parameters doesn't work\n\n```\nCFLAGS=`xslt-config --cflags`\n```" in body
    assert "- NAME\n" in body


SPHINX_GUIDE = """(user-guide)=

# User Guide

(installing)=

## Installing packages

Packages are installed with {command}`tool install`, from {pypi}`requests`
or any index. See {doc}`the reference <reference/install>`, {ref}`installing`,
{doc}`reference/lock-files` and {file}`requirements.txt` for pinning.

```{note}
The tool never
removes a package you did not ask it to.
```

```{warning}
Installing as root can break your system.
```

```{admonition} Why a lock file?
:class: tip

A lock file pins every version, so two installs give the same result.
```

```{code-block} console
:caption: Installing from a file

$ tool install -r requirements.txt
# Collecting requests
```

::::{tab-set}

:::{tab} Unix/macOS
Run {command}`python -m tool --version` to check.
:::

:::{tab} Windows
Run {command}`py -m tool --version` to check.
:::

::::

```{eval-rst}
.. note::

   Packages are cached in :file:`~/.cache/tool`.
```

```{versionadded} 22.2
The `--dry-run` option.
```

Requirement specifier
: A name and an optional version, such as `requests>=2`.

| Option | Effect |
| --- | --- |
| `--user` | install into your home folder |
"""


def test_a_sphinx_myst_user_guide_is_stored_and_quoted_as_its_reader_sees_it(tmp_path: Path) -> None:
    report, body = _added(tmp_path, "getting-started.md", SPHINX_GUIDE)
    assert report.added[0].title == "User Guide" and not _markup(body)
    # Roles read as their text; a reference with none shows the heading its label stands over.
    assert (
        "Packages are installed with tool install, from requests or any index. See the reference, "
        "Installing packages, lock files and requirements.txt for pinning.\n" in body
    )
    assert "Note: The tool never removes a package you did not ask it to.\n" in body
    assert "Warning: Installing as root can break your system.\n" in body
    assert "Why a lock file? A lock file pins every version, so two installs give the same result.\n" in body
    assert "```\n$ tool install -r requirements.txt\n# Collecting requests\n```" in body
    assert "Unix/macOS:\n\nRun python -m tool --version to check." in body
    assert "Windows:\n\nRun py -m tool --version to check." in body
    assert "Note: Packages are cached in ~/.cache/tool." in body  # eval-rst read as reStructuredText
    assert "New in version 22.2: The --dry-run option." in body
    assert "- Requirement specifier: A name and an optional version, such as requests>=2." in body
    assert "| --user | install into your home folder |" in body
    for hidden in ("(user-guide)=", "(installing)=", ":class:", ":caption:", "tab-set", "eval-rst"):
        assert hidden not in body
    answer = _index(tmp_path).ask("why use a lock file?")
    assert answer.quotes and not any(_markup(q.text) for q in answer.quotes)
    for q in answer.quotes:
        assert Path(q.article.path).read_text(encoding="utf-8")[q.start : q.end] == q.text


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bad.md", b"# Title\n\n\xff\xfe broken bytes\n"),
        ("bomb.md.gz", gzip.compress(b"a" * 60_000_000)),
        ("big.html", b"<html><body>" + b"<p>word</p>" * 4_600_000 + b"</body></html>"),
    ],
)
def test_bad_input_to_the_command_is_one_line_and_the_bot_loses_nothing(tmp_path: Path, name: str, data: bytes) -> None:
    runner = CliRunner()
    good = tmp_path / "caching.rst"
    good.write_text(RST, encoding="utf-8")
    assert runner.invoke(main, ["init", str(tmp_path / "bot"), str(good)]).exit_code == 0
    bot = tmp_path / "bot"
    before = {p: p.read_bytes() for p in sorted(bot.rglob("*")) if p.is_file()}
    bad = tmp_path / name
    bad.write_bytes(data)
    result = runner.invoke(main, ["add", str(bad), "--corpus", str(bot / "corpus"), "--index", str(bot / "index")])
    assert result.exit_code == 1 and (result.exception is None or isinstance(result.exception, SystemExit))
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and name in lines[0] and "Traceback" not in result.output
    assert {p: p.read_bytes() for p in sorted(bot.rglob("*")) if p.is_file()} == before


def test_a_markdown_line_of_1_mb_is_cut_at_word_boundaries(tmp_path: Path) -> None:
    words = " ".join(f"word{n}" for n in range(120_000))  # about 1 MB on one line
    _, body = _added(tmp_path, "line.md", "# One line\n\n" + words + "\n")
    assert words in body  # every word kept
    doc = read_document(next((tmp_path / "corpus").glob("*.txt")))
    for span in split_passages(doc.text, doc.body_start):
        text = doc.text[span.start : span.end]
        assert len(text) <= 1000 and doc.text[span.start - 1] in " \n" and doc.text[span.end] in " \n"


WRAPPED_HOWTO = """Debugging the tools
===================

Because wrapper scripts are used for the binaries to make sure all library
dependencies are met, you cannot use tools such as gdb or valgrind directly
with them. Set the library path first, as below, and then run the binary.

\t# the path of the shared library found in the sources
\t$> export LD_LIBRARY_PATH=$PWD/lib/.libs/

Now external debugging tools can be run on the binary, and every one of them
reads the library the sources built. Releases are numbered <major>.<minor>.
"""


def test_a_hard_wrapped_text_file_reads_as_its_paragraphs_headings_and_code(tmp_path: Path) -> None:
    report, body = _added(tmp_path, "howto-debug.txt", WRAPPED_HOWTO)
    assert report.added[0].title == "Debugging the tools"
    assert "you cannot use tools such as gdb or valgrind directly with them. Set the library" in body
    assert "```\n# the path of the shared library found in the sources\n$> export" in body
    assert "=====" not in body and "numbered <major>.<minor>." in body  # text, not HTML tags
    doc = read_document(Path(report.added[0].corpus_file))
    headings = [s.heading for s in split_passages(doc.text, doc.body_start)]
    assert headings and not any("shared library" in h for h in headings)  # a shell comment is code


def test_a_text_file_of_one_paragraph_a_line_keeps_its_lines(tmp_path: Path) -> None:
    text = (
        "Who should be careful\n\n"
        + "Caution is advised for a few groups of people, and the article lists them here so that "
        + "readers can check before they book a first session with anyone.\n"
        + "Caution is advised if you:\nHave a pacemaker\nAre pregnant\n"
    )
    report, body = _added(tmp_path, "careful.txt", text)
    assert "Caution is advised if you:\nHave a pacemaker\nAre pregnant\n" in body
    assert report.added[0].title == "Who should be careful"


TEXINFO_PAGE = """<html><head><title>Arrays Unions Enums (libfoo: the portable foo library)</title></head>
<body><div class="subsection-level-extent"><h4 class="subsection">2.3.4 Arrays, Unions, and Enumerations</h4>
<dl><dt id="index-foo_call"><span><strong>void</strong> <em>foo_call (int n)</em>
<a href='#index-foo_call' class='copiable-anchor'> &para;</a></span></dt>
<dd><p>This calls the function with the description given in its argument.</p></dd></dl>
</div></body></html>"""


def test_a_texinfo_page_is_titled_by_its_heading_without_its_anchor_signs(tmp_path: Path) -> None:
    report, body = _added(tmp_path, "Arrays-Unions-Enums.html", TEXINFO_PAGE)
    assert report.added[0].title == "Arrays, Unions, and Enumerations"
    assert "foo_call (int n)" in body and "¶" not in body


def test_a_link_of_any_target_is_stored_as_its_text(tmp_path: Path) -> None:
    _, body = _added(
        tmp_path, "links.md", "# Links\n\nSee [water trough](javascript:alert(2)) and [site](https://example.org).\n"
    )
    assert "See water trough and site." in body and "javascript" not in body


def test_a_wrapped_text_file_opening_with_a_sentence_or_a_label_is_named_by_its_file(tmp_path: Path) -> None:
    prose = (
        "The date routines were written from scratch, basically from first principles, and they\n"
        "handle every calendar the library knows about, with the reform of 1752 included in the\n"
        "default output, which is what most people who print a calendar of that year expect.\n"
    )
    report, _ = _added(tmp_path, "cal-notes.txt", prose)
    assert report.added[0].title == "Cal notes"
    report, _ = _added(tmp_path, "howto-contribute.txt", "CONTENTS\n Sending Patches\n\n" + prose)
    assert report.added[0].title == "Howto contribute"


def test_a_wrapped_text_file_opening_with_a_rule_is_text_not_front_matter(tmp_path: Path) -> None:
    report, body = _added(tmp_path, "notes.txt", "---\n" + WRAPPED_HOWTO.split("\n", 2)[2])
    assert "you cannot use tools such as gdb" in body and report.added[0].title == "Notes"


def test_an_option_a_setting_and_a_glossary_keep_their_names_and_text(tmp_path: Path) -> None:
    myst = (
        "# Command line\n\n```{option} --per-file\nPrint the count of each file as well as the total.\n```\n\n"
        "```{confval} jobs\n:type: int\n\nHow many files are read at once.\n```\n\n"
        "```{glossary}\nworker\n  A separate process that counts lines of the files given to it.\n```\n"
    )
    _, body = _added(tmp_path, "cli.md", myst)
    assert "--per-file: Print the count of each file as well as the total." in body
    assert "jobs: How many files are read at once." in body and ":type:" not in body
    assert "worker: A separate process that counts lines" in body
    rst = "Options\n=======\n\n.. option:: --follow-symlinks\n\n   Follow symbolic links when walking folders.\n"
    _, body = _added(tmp_path, "opts.rst", rst)
    assert "--follow-symlinks: Follow symbolic links when walking folders." in body


def test_a_sentence_introducing_a_sample_is_quoted_with_it_when_a_sample_is_asked_for(tmp_path: Path) -> None:
    page = (
        "# Configuration files\n\n## The format\n\n"
        "The configuration file is read when the tool starts and holds one setting a line.\n\n"
        "A typical tally.toml configuration file looks like this:\n\n"
        '```toml\nexclude = ["vendor/"]\njobs = 4\n```\n\n'
        "Settings given on the command line win over the file.\n"
    )
    _added(tmp_path, "configuration.md", page)
    answer = _index(tmp_path).ask("Show me an example of a tally.toml configuration file")
    texts = [q.text for q in answer.quotes]
    assert "A typical tally.toml configuration file looks like this:" in texts
    lead = texts.index("A typical tally.toml configuration file looks like this:")
    assert texts[lead + 1] == 'exclude = ["vendor/"]\njobs = 4' and answer.quotes[lead + 1].kind == "code"


SITE_PAGE = """<html><head><title>FAQ - brewlog docs</title>
<meta property="og:title" content="Installation - brewlog docs"></head><body>
<header class="md-header"><a href="index.html">brewlog docs</a></header>
<div class="theme-doc-markdown markdown"><header><h1>Installation</h1></header>
<a href="https://example.org/edit/install.md" title="Edit this page" class="md-button">Edit this page</a>
<div class="tabbed-set"><div class="tabbed-labels"><label for="t1">Linux</label><label for="t2">Windows</label></div>
<div class="tabbed-content"><div class="tabbed-block"><p>Install it with the system packages.</p></div>
<div class="tabbed-block"><p>Install it with the installer from the web site.</p></div></div></div>
<details><summary>Why does it say the database is locked?</summary>
<p>Only one process can write to it at a time.</p></details>
<details><summary>How do I move my data?</summary><p>Copy the database file to the new computer.</p></details>
</div></body></html>"""


def test_a_documentation_sites_page_keeps_its_heading_tabs_and_faq_in_order(tmp_path: Path) -> None:
    report, body = _added(tmp_path, "install.html", SITE_PAGE)
    assert report.added[0].title == "Installation"  # og:title without the site's name
    assert body.startswith("# Installation\n") and "Edit this page" not in body
    assert "Linux:\n\nInstall it with the system packages.\n\nWindows:\n\nInstall it with the installer" in body
    assert "LinuxWindows" not in body
    assert "## Why does it say the database is locked?\n\nOnly one process can write to it at a time." in body
    assert "## How do I move my data?\n\nCopy the database file" in body


def test_a_page_titled_home_by_its_site_is_named_by_its_heading(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Home | brewlog</title></head><body><main><h1>Welcome to brewlog</h1>"
        "<p>brewlog logs every batch of beer you brew, from the recipe to the last bottle.</p></main></body></html>"
    )
    report, _ = _added(tmp_path, "index.html", page)
    assert report.added[0].title == "Welcome to brewlog"


def test_a_footnote_mark_goes_and_a_projects_own_directive_keeps_its_command(tmp_path: Path) -> None:
    page = (
        "# Install\n\nReport a bug[^bugs] on the tracker, with the version you use.\n\n"
        "[^bugs]: The tracker is on the project page.\n\nTo install a package:\n\n"
        "```{wheelie-cli} install SomePackage\n```\n\nThe command above prints the version.\n"
    )
    _, body = _added(tmp_path, "install.md", page)
    assert "Report a bug on the tracker" in body and "[^" not in body
    assert "The tracker is on the project page." in body
    assert "To install a package:\n\n```\ninstall SomePackage\n```\n\nThe command above" in body


def test_the_topic_is_what_the_prose_shares_not_a_samples_name() -> None:
    from askback.corpus.topic import guess_topic

    sample = "\n```\n$ wheelie install SomePackage\nCollecting SomePackage\n```\n"
    documents = [
        ("Getting started", "wheelie installs packages from an index." + sample),
        ("Caching", "wheelie keeps a cache of the files it downloads." + sample),
        ("Configuration", "Settings for wheelie live in a file of their own." + sample),
    ]
    assert guess_topic(documents) == "wheelie"


def test_a_reference_to_another_page_added_with_it_reads_as_that_pages_heading(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "resolution.md").write_text(
        "# Dependency resolution\n\n(conflicts)=\n## Reading a conflict report\n\nEach line names a requirement.\n",
        encoding="utf-8",
    )
    (docs / "faq.md").write_text(
        "# FAQ\n\nThe requirements cannot all be satisfied. See {ref}`conflicts`, and {doc}`resolution` for more.\n",
        encoding="utf-8",
    )
    report = askback.add_documents([docs], tmp_path / "corpus", tmp_path / "ix")
    faq = next(a for a in report.added if a.title == "FAQ")
    body = read_document(Path(faq.corpus_file)).text
    assert "See Reading a conflict report, and Dependency resolution for more." in body
