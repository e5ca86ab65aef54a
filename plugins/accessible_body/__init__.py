"""accessible_body: safe and accessible document bodies (raw-HTML allow-list, heading order,
table captions and scopes, image alt checks)."""

from pelican import signals

from disclosure.plugin import current
from disclosure.problems import ERROR, Problem

from .body import improve


def on_content_init(content):
    """Runs once per document as it is created; problems join the build's report."""
    if not getattr(content, "_content", None) or not hasattr(content, "document"):
        return
    try:
        content._content, problems = improve(content._content, content.title)
    except Exception as exc:  # noqa: BLE001 - a bug of ours is reported against the file, never swallowed
        problems = [f"处理正文时程序出错：{type(exc).__name__}: {exc}（请把这条信息告诉技术人员）"]
    state = current()
    if state is not None:
        for message in problems:
            state.problems.add(Problem(content.document.source, 0, ERROR, "正文", message))


def register():
    signals.content_object_init.connect(on_content_init)
