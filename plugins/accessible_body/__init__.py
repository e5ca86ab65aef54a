"""accessible_body: accessible document bodies (heading order, table captions and scopes, image
alt checks). Safety (the raw-HTML allow-list) is the engine's own: ``disclosure.safe_html``.

It runs as a body step of the disclosure reader (see ``disclosure.bodies``), so its work is done
once per body, in parallel with the others, and cached with the rendered HTML.
"""

from disclosure import signals
from disclosure.bodies import BodyStep

from .body import AccessibleBodyExtension, improve


def body_step(settings) -> BodyStep:
    return BodyStep("accessible_body", improve, AccessibleBodyExtension)


def register():
    signals.body_steps.connect(body_step)
