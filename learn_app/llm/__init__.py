"""Language models: providers, the daily budget and call ledger, task pipelines, prompts.

Haystack reads its telemetry switch from the environment when it is imported, so it is set
here, before any module of this package imports it.
"""

import os

os.environ["HAYSTACK_TELEMETRY_ENABLED"] = "False"
