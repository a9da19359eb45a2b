"""Page script (registered in app.py): renders dashboard.views.library for this rerun's view."""

from dashboard.views import library
from dashboard.views.common import current_view

library.render(current_view())
