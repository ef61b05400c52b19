"""A region's org chart: units (tree) and positions with local titles and canonical roles."""
