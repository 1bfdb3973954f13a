"""Pages of the committees app, one module per family of pages."""
