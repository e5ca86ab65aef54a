"""Property tests: whatever an editor saves, the reader reports problems instead of crashing."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from domain.document import read_document
from domain.schema import FIELDS
from domain.site import Site
from domain.validate import validate_collection
from helpers import FIXTURES

pytestmark = pytest.mark.slow  # `invoke test --fast` leaves it out

KEYS = [f.label for f in FIELDS] + [f.name for f in FIELDS] + ["索 引 号", "未知键", "Title"]
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "2015-03-09",
            "2015年3月9日",
            "２０１５－０３－０９",
            "2015-02-30",
            "003186648/201503-00001",
            "news",
            "部门预算",
            "是",
            "否",
            "有效",
            "../x",
            "",
            "皖外办〔2014〕12号",
        ]
    ),
)
LINES = st.lists(
    st.tuples(st.sampled_from(KEYS), st.sampled_from([":", "：", " :\t"]), VALUES), max_size=12
)


def _site() -> tuple[Site, Path]:
    root = Path(tempfile.mkdtemp())
    shutil.copytree(FIXTURES / "base", root / "content")
    settings = {"PATH": str(root / "content")}
    return Site.from_settings(settings), root


SITE, TMP = _site()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=LINES,
    body=st.text(max_size=200),
    fenced=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    bom=st.booleans(),
)
def test_reader_never_crashes(header, body, fenced, newline, bom):
    lines = [f"{k}{sep} {v}".replace("\n", " ").replace("\r", " ") for k, sep, v in header]
    text = newline.join(
        (["---"] if fenced else []) + lines + (["---"] if fenced else []) + ["", body]
    )
    path = SITE.content_root / "news" / "doc.md"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8", "surrogatepass"))
    result = read_document(path, SITE)
    for problem in result.problems:
        assert problem.path == "news/doc.md" and problem.message
        problem.format()
    validate_collection([result.document])
    if not any(p.is_error for p in result.problems):
        assert result.document.title and result.document.date and result.document.column


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=300))
def test_any_bytes_are_read_or_reported(raw):
    path = SITE.content_root / "news" / "bytes.md"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(raw)
    result = read_document(path, SITE)
    assert all(p.path == "news/bytes.md" for p in result.problems)
    if not raw.strip():
        assert any("空" in p.message for p in result.problems)


# Markdown that exercises every inline pattern, block structure, raw HTML and abbreviations.
MARKDOWN_PIECES = st.sampled_from(
    [
        "预算公开",
        "部门决算",
        "abc",
        " ",
        "  \n",
        "\n",
        "\n\n",
        "*",
        "**",
        "_",
        "__",
        "`",
        "``",
        "\\",
        "[",
        "]",
        "(",
        ")",
        "!",
        "<",
        ">",
        "&",
        "&amp;",
        "&#20013;",
        "#",
        "## ",
        "- ",
        "1. ",
        "> ",
        "|",
        "---",
        ":",
        "{: .x}",
        "[^1]",
        "[^1]: 注",
        "*[HTML]: 超文本",
        "HTML",
        "<b>粗</b>",
        "<span>字</span>",
        "<div>\n块\n</div>",
        "http://a.cn",
        "<http://a.cn>",
        "a@b.cn",
        "[链接](x.html)",
        "![图](a.png)",
        "    代码",
        "~~",
        "==",
        "。",
        "，",
        # block starts: setext underlines, rules, lists, definitions, references, indentation,
        # full-width
        "{",
        "}",
        "{#a}",
        " {: .y}",
        "=",
        "+ ",
        "* ",
        "_ _ _",
        ": 定义",
        "[a]: http://a.cn",
        "\t",
        "　",
        "１. ",
        "2) ",
        "\x02",
        '<div markdown="1">\n*块*\n</div>',
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(MARKDOWN_PIECES, max_size=40),
    st.sampled_from(["标题", "关于{: .x}的通知", "预算 {#a}"]),
)
@example(
    [
        "|",
        "表头",
        "|",
        "列",
        "|",
        "\n",
        "|",
        "---",
        "|",
        "---",
        "|",
        "\n",
        "|",
        "甲",
        "|",
        "乙",
        "|",
    ],
    "标题",
)  # a table, "|" first
@example(
    ["前文", "\n\n", '<div markdown="1">\n*块*\n</div>', "\n\n", "后文"], "标题"
)  # raw HTML the md_in_html processor takes
@example(["| a | b |\n| --- | --- |\n| 1 | 2 |", "\n\n", "### 小标题 {#x}"], "关于{: .x}的通知")
def test_fast_paths_render_byte_identical_html(pieces, title):
    """Skipping the inline pass on text no pattern matches, the block processors on a plain
    paragraph, and attribute lists without a brace, never changes a body's HTML (the title goes into
    table captions)."""
    import markdown

    from accessible_body import body_step
    from disclosure import safe_html
    from disclosure.bodies import make_converter, render_body

    config = {
        "extensions": ["markdown.extensions.extra", "markdown.extensions.sane_lists"],
        "output_format": "html5",
    }
    steps = (body_step({}),)  # the site's body step and its extension, on both converters
    fast = make_converter(config, steps)
    plain = markdown.Markdown(**config)
    plain.registerExtensions([step.extension() for step in steps], {})
    plain.gk_steps = steps
    safe_html.register(plain)  # the engine's own pass, on every converter
    source = "".join(pieces)
    assert render_body(fast, title, source) == render_body(plain, title, source)
    assert "gk_mark_plain" in fast.treeprocessors
    assert "gk_plain_paragraph" in fast.parser.blockprocessors


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MARKDOWN_PIECES, min_size=1, max_size=12))
@example(["|", "表头", "|", "列", "|", "\n", "|", "---", "|", "---", "|"])
def test_a_block_the_shortcut_gives_the_paragraph_processor_no_other_processor_claims(pieces):
    """The shortcut before the block processors: for a block it passes straight to the paragraph
    processor, every other processor's test is false, or its run declines and leaves the blocks as
    they were."""
    import copy
    import xml.etree.ElementTree as etree

    import markdown

    from disclosure.fast_block import MAY_BE_CLAIMED

    block = "".join(pieces).strip("\n")  # a block never holds a blank line
    block = block.replace("\n\n", "\n")
    if MAY_BE_CLAIMED.search(block):
        return
    md = markdown.Markdown(
        extensions=["markdown.extensions.extra", "markdown.extensions.sane_lists"]
    )
    for state in ([], ["list"], ["detabbed"], ["looselist"]):
        for parent_tag, child_tag in (
            ("div", None),
            ("li", None),
            ("div", "ul"),
            ("div", "ol"),
            ("div", "dl"),
        ):
            for processor in md.parser.blockprocessors:
                if type(processor).__name__ == "ParagraphProcessor":
                    continue
                md.parser.state[:] = state
                parent = etree.Element(parent_tag)
                if child_tag:
                    etree.SubElement(parent, child_tag)
                before = copy.deepcopy(parent)
                if not processor.test(parent, block):
                    continue
                blocks = [block, "后一段"]
                assert processor.run(parent, blocks) is False, (type(processor).__name__, block)
                assert blocks == [block, "后一段"] and etree.tostring(parent) == etree.tostring(
                    before
                )


def test_the_block_shortcut_is_off_when_a_block_processor_is_not_known():
    import markdown
    from markdown.blockprocessors import BlockProcessor

    from disclosure.bodies import make_converter, render_body
    from disclosure.fast_block import PlainParagraphProcessor

    class Shout(BlockProcessor):  # a plugin's processor: claims blocks starting with "！"
        def test(self, parent, block):
            return block.startswith("！")

        def run(self, parent, blocks):
            import xml.etree.ElementTree as etree

            etree.SubElement(parent, "strong").text = blocks.pop(0)[1:]

    config = {"extensions": ["markdown.extensions.extra"], "output_format": "html5"}
    fast = make_converter(config)
    fast.parser.blockprocessors.register(Shout(fast.parser), "shout", 50)
    html = render_body(fast, "标题", "！注意\n\n正文").html
    assert html == "<strong>注意</strong><p>正文</p>"  # with the shortcut on: "<p>！注意</p>"
    shortcut = next(
        p for p in fast.parser.blockprocessors if isinstance(p, PlainParagraphProcessor)
    )
    assert shortcut._paragraph is False
    plain = markdown.Markdown(**config)
    assert (
        render_body(make_converter(config), "标题", "第一段\n\n第二段").html
        == render_body(plain, "标题", "第一段\n\n第二段").html
    )


REGEX_PIECES = st.sampled_from(
    [
        "a",
        "b",
        "\\[",
        "`",
        "\\\\",
        "x?",
        "[ab]",
        "[a-c]",
        "[^a]",
        ".",
        "\\d",
        "\\s",
        "(?=b)",
        "(?<!a)",
        "(?<=b)",
        "(?!x)",
        "a+",
        "(?:ab|c)",
        "(a|)",
        "b*",
        "(?i:a)",
        "^",
        "$",
        "(b)\\1",
        "a{2}",
        "a{0,2}",
        "(?>ab)",
        "c++",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(REGEX_PIECES, min_size=1, max_size=6),
    st.lists(st.sampled_from("abcx[`\\ 1\n"), max_size=12),
)
def test_required_characters_are_in_every_text_a_pattern_matches(pieces, chars):
    """The shortcut before the inline pass: when a pattern matches a text, the text holds one of the
    characters found required for it (or none were found, and the pattern is always tried)."""
    import re

    from disclosure.fast_inline import required_characters

    regex = re.compile("".join(pieces))
    text = "".join(chars)
    required = required_characters(regex)
    if required is not None and regex.search(text):
        assert required & set(text), (regex.pattern, text, required)


def test_required_characters_of_markdown_s_own_patterns():
    import re

    import markdown

    from disclosure.fast_inline import required_characters

    md = markdown.Markdown(extensions=["markdown.extensions.extra"])
    found = {
        type(p).__name__: required_characters(p.getCompiledRegExp()) for p in md.inlinePatterns
    }
    assert found["LinkInlineProcessor"] == {"["}
    assert found["BacktickInlineProcessor"] == {"\\", "`"}
    assert found["DelimiterProcessor"] == {"*", "_"}
    assert found["SubstituteTagInlineProcessor"] == {
        "\n"
    }  # "  \n", a line break: not the commoner space
    assert required_characters(re.compile("(?i)apec")) is None  # case folding: always tried
    assert required_characters(re.compile("[^x]+")) is None
    assert required_characters(re.compile("a?b*")) is None


PLAIN_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.binary(max_size=8)
    | st.builds(list)
    | st.builds(tuple)
    | st.builds(dict),
    # Non-empty containers here (the empty ones are leaves): Hypothesis takes an extension that can
    # make a value without its argument for one that ignores it, and warns.
    lambda children: (
        st.lists(children, min_size=1, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=4), children, min_size=1, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(PLAIN_VALUES)
def test_cache_digest_depends_on_values_not_on_which_objects_hold_them(value):
    """Cache keys and page fingerprints: an equal value made of other objects (as the next build
    makes them) has the same digest; wrapping it, or a str subclass, gives another."""
    import pickle

    from markupsafe import Markup

    from disclosure.cache import digest

    assert digest(value) == digest(pickle.loads(pickle.dumps(value)))
    assert digest(value, value) == digest(value, pickle.loads(pickle.dumps(value)))
    assert digest(value) != digest([value])
    if isinstance(value, str):
        assert digest(value) != digest(Markup(value))


def test_cache_digest_is_the_same_in_another_process():
    import subprocess
    import sys

    from disclosure.cache import digest

    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from disclosure.cache import digest; "
        "print(digest('索引号', 3, [1.5, None], {'a': b'x'}, ('t',)))"
    )
    plugins = str(Path(__file__).resolve().parents[1] / "plugins")
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code, plugins],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PYTHONUTF8": "1"},
        ).stdout.strip()
        assert out == digest("索引号", 3, [1.5, None], {"a": b"x"}, ("t",))


def test_a_document_survives_the_build_cache_with_every_field_and_extra_attributes():
    import copy
    import datetime as dt
    import pickle

    from domain.model import Attachment, Document

    doc = Document(
        source="news/a.md",
        title="通知",
        date=dt.datetime(2015, 3, 1),
        keywords=("预算",),
        attachments=(Attachment("附件", "news/a.pdf", 10),),
        lines={"名称": 2},
    )
    doc.report_stats = {"total": 3}  # a plugin's own attribute
    again = pickle.loads(pickle.dumps(doc, protocol=5))
    assert again == doc and again.report_stats == {"total": 3} and again.line("名称") == 2
    assert copy.deepcopy(doc) == doc
    assert (
        pickle.loads(pickle.dumps(Document(source="b.md"))).__dict__.keys()
        == Document(source="b.md").__dict__.keys()
    )


FORMAT_PIECES = st.sampled_from(
    ["%", "-", "Y", "m", "d", "H", "M", "e", "F", "a", "b", "%%", "年", " ", ":", "/", "x"]
)


@settings(max_examples=400, deadline=None)
@given(
    moment=st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    pieces=st.lists(FORMAT_PIECES, max_size=12),
)
@example(moment=dt.datetime(2015, 3, 9), pieces=["%", "Y", "-", "%", "m", "-", "%", "d"])
@example(moment=dt.datetime(2015, 3, 9), pieces=["%", "-", "d"])
@example(moment=dt.datetime(2015, 3, 9), pieces=["%", "F"])
@example(moment=dt.datetime(2015, 3, 9), pieces=["%"])
def test_document_dates_format_as_pelican_formats_them(moment, pieces):
    """An article's date formats exactly as Pelican's SafeDatetime does (its "-" flag, the
    directives it leaves alone, non-ASCII text), whatever the format; only the plain ones take the
    short way."""
    from zoneinfo import ZoneInfo

    from pelican.utils import SafeDatetime, set_date_tzinfo

    from disclosure.reader import DocumentDate

    fmt = "".join(pieces)
    ours = DocumentDate(*moment.timetuple()[:6], moment.microsecond, ZoneInfo("Asia/Shanghai"))
    pelicans = set_date_tzinfo(
        SafeDatetime(*moment.timetuple()[:6], moment.microsecond), "Asia/Shanghai"
    )
    assert ours == pelicans

    def formatted(date):
        try:
            return date.strftime(fmt)
        except Exception as exc:
            return type(exc)

    assert formatted(ours) == formatted(pelicans)
