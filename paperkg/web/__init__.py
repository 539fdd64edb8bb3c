"""`paperkg serve`: a local, read-only explorer of a knowledge graph in the browser.

`reads` answers what the pages need beyond the named queries (a paper's abstract and edge evidence, an entity's
family, pairs of entities linked through papers) on either backend; `pages` assembles each page's data from the
named queries and those reads; `app` serves the pages (Jinja2 templates) and the same data as JSON under `/api`.
"""
