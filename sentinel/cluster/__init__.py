"""Several replicas on one PostgreSQL store: who is alive (``members``), who owns which page (``leases``), and
the fencing that keeps a replica that lost a page from writing as its owner. A single daemon on SQLite owns every
page and needs none of it. See docs/replicas.md."""
