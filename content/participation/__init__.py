"""Pilots and events of the initiative, and people's applications to them."""
