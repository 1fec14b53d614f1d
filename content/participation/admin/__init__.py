"""The organisers' screens for applications to pilots and events.

- ``scope``: which pilots and events an organiser manages;
- ``permissions``: the permission policy of applications (view and decide,
  never add, edit or delete);
- ``records``: the course record of each applicant now, in SQL, so a page of
  the listing or a chunk of an export costs the same queries at any size;
- ``views`` and ``viewsets``: the listing, inspect and history views, the
  overview of places;
- ``bulk_actions``: select, wait-list, decline and mark attendance;
- ``log_actions``: the audit log in words.

``content/wagtail_hooks.py`` registers them.
"""
