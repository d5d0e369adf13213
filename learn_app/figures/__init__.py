"""Plotly figures built from service results: the Progress charts, the memory charts and the
class dashboard's charts. Plain dictionaries and Plotly objects, no Reflex: states hand them to
`rx.plotly`, benchmarks and tests read them directly."""
