"""Role groups beyond Wagtail's own Editors and Moderators."""

REVIEWERS = "Рецензенти НАДС"
ORGANISERS = "Організатори"
EDITORS = "Editors"  # created by Wagtail's migrations
MODERATORS = "Moderators"  # created by Wagtail's migrations
