"""pyqtgraph charts over the domain arrays, sharing one look (base.Chart)."""
