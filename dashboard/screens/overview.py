"""Page script (registered in app.py): renders dashboard.views.overview for this rerun's view."""

from dashboard.views import overview
from dashboard.views.common import current_view

overview.render(current_view())
