"""Background work that survives a restart: imports and scheduled jobs as Django tasks."""
