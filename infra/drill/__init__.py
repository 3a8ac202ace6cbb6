"""`make drill`: whole seasons walked through the public HTTP API (issue 23)."""
