"""Renderers: charts, HTML, Excel and plain tables. Renderers never compute."""
