"""Page script (registered in app.py): renders dashboard.views.compare for this rerun's view."""

from dashboard.views import compare
from dashboard.views.common import current_view

compare.render(current_view())
