"""The REST API's views: thin, each one parses (with the browser's form), calls a
selector or the workflow, and serializes. Access is decided only by
``institutions.access`` and the selectors built on it."""
