"""Sources turn what a platform shows into ``Event`` values (spec/events.md)."""
