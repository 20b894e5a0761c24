"""Sources turn what a platform shows into ``Event`` values (docs/events.md)."""
