"""accessible_body: accessible document bodies (heading order, table captions and scopes, image
alt checks). Safety (the raw-HTML allow-list) is the engine's own: ``disclosure.safe_html``.

It runs as a body step of the disclosure reader (see ``disclosure.bodies``), so its work is done
once per body, in parallel with the others, and cached with the rendered HTML.
"""

from disclosure.bodies import add_body_step
from disclosure.quick import declare_safe

from .body import AccessibleBodyExtension, improve


def register():
    declare_safe("accessible_body")  # its rules run on every body as it is rendered, quick or not
    add_body_step("accessible_body", improve, AccessibleBodyExtension)
