"""Page script (registered in app.py): renders dashboard.views.upload for this rerun's view."""

from dashboard.views import upload
from dashboard.views.common import current_view

upload.render(current_view())
