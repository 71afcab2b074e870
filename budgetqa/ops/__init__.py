"""ops: what keeps an index safe to run — one writer at a time, bounded work per file, a health check."""
