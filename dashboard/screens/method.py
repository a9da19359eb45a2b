"""Page script (registered in app.py): renders dashboard.views.method for this rerun's view."""

from dashboard.views import method
from dashboard.views.common import current_view

method.render(current_view())
