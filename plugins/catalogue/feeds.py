"""What the feeds need beyond Pelican's feed writer."""

from __future__ import annotations

import contextlib
import html


@contextlib.contextmanager
def titles_as_html(items):
    """Pelican's feed writer reads a title as HTML and strips its tags; ours are plain text (名称
    “关于<某某>的通知” keeps its brackets): escaped for the writer, as they were after."""
    titles = [article.title for article in items]
    for article, title in zip(items, titles):
        article.title = html.escape(title, quote=False)
    try:
        yield
    finally:
        for article, title in zip(items, titles):
            article.title = title
