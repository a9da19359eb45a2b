"""Page script (registered in app.py): renders dashboard.views.map_view for this rerun's view."""

from dashboard.views import map_view
from dashboard.views.common import current_view

map_view.render(current_view())
