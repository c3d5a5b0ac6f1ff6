"""Reading and writing files.  Kept apart from the model (geopandas keeps ``io/`` apart too)."""
