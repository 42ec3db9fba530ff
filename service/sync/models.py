"""The sync feature has no tables of its own: it reads sites (registry) and checklists."""
