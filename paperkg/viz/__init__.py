"""Pictures of the graph: an offline interactive HTML page, static PNG/SVG, and a paper with its entities."""
