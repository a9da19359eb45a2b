"""Page script (registered in app.py): renders dashboard.views.tone for this rerun's view."""

from dashboard.views import tone
from dashboard.views.common import current_view

tone.render(current_view())
