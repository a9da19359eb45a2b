"""Page script (registered in app.py): renders dashboard.views.flows for this rerun's view."""

from dashboard.views import flows
from dashboard.views.common import current_view

flows.render(current_view())
