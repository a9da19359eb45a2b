"""Page script (registered in app.py): renders dashboard.views.evidence for this rerun's view."""

from dashboard.views import evidence
from dashboard.views.common import current_view

evidence.render(current_view())
