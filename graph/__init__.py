"""Schema and graph stores (NetworkX embedded default; Neo4j and FalkorDB servers)."""
