"""The domain model of a government information-disclosure site: pure Python.

Documents and their fields with the official Chinese labels, 索引号 schemes, the catalogue
(信息公开目录), publishers, problems (file, line, field, value, fix) and every content rule
(procurement, data tables, published files), and the project's settings table. Nothing here
imports Pelican, Markdown, Jinja or an HTML library, and nothing here writes a file: the engine
(``disclosure``) and the plugins import it, never the other way round.
"""
