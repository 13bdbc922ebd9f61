"""geo: protest and strike events from news articles, on a map.

Modules, each with one job: ``model`` (records), ``taxonomy`` (event types),
``placedata`` and ``gazetteer`` (places), ``documents`` (reading articles),
``timex`` (dates), ``events`` (event mentions), ``pipeline`` (article to events),
``store`` (SQLite), ``export`` (GeoJSON/CSV), ``evaluate`` (scoring against gold).
"""

__version__ = "0.1.0"
