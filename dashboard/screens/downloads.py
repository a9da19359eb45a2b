"""Page script (registered in app.py): renders dashboard.views.downloads for this rerun's view."""

from dashboard.views import downloads
from dashboard.views.common import current_view

downloads.render(current_view())
