"""Region dashboards: rollups kept current from the case event stream, and the figures read from them."""
