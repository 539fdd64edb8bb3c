// paper_catalogue: every paper's id, title and date (feeds the paper lookup: a paper by id or title).
// Parameters: none.
// Rows: id, title, date; by id.
MATCH (p:Paper)
RETURN p.id AS id, coalesce(p.title, '') AS title, p.date AS date
ORDER BY id
