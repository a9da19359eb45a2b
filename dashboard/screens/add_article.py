"""Page script (registered in app.py): renders dashboard.views.add_article for this rerun's view."""

from dashboard.views import add_article
from dashboard.views.common import current_view

add_article.render(current_view())
