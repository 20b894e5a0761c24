"""Several replicas on one PostgreSQL store: who is alive (``members``), who owns which page (``leases``), and
the fencing that keeps a replica that lost a page from writing as its owner. A single daemon (SQLite, or one
replica on PostgreSQL) owns everything and needs none of it: ``Ownership.everything()``. See docs/replicas.md."""
