"""benchmark: a deterministic synthetic corpus of disclosure documents (not a build plugin).

Used by the scale tests and by ``invoke bench``; the corpus is generated into a temporary folder and
never committed.
"""
