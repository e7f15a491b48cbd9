"""X (Twitter): text rules, and later the API v2 client."""
