"""Commands, not build plugins: what ``tasks.py`` runs besides the build. Site inspection
(``site_check``), the benchmark, deployment, the Word import and the web editor's configuration.
They use the domain model and the engine; no plugin imports them."""
