"""Retrieval over the published course content: embedder, document store, indexing, search.

Everything here is synchronous and thread-safe; the slow parts (loading the model, embedding,
indexing) are meant to be called from a worker thread, never on the event loop.

Haystack and Hugging Face read these switches from the environment when they are imported, so
they are set here, before any module of this package imports them: the model is loaded from
the bundled package (no hub look-ups, unless the environment says otherwise) and nothing is
ever reported to Haystack's telemetry.
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ["HAYSTACK_TELEMETRY_ENABLED"] = "False"
