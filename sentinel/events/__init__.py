"""The event contract: how an event (``sentinel.model.Event``) is read from and written to JSON.

Sources, the store, rules and enrichment import this package; it imports none of them.
"""
