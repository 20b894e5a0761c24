"""The HTTP API (aiohttp): ingest, health, metrics, and routes other areas mount."""
