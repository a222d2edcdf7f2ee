"""URLs for competency profiles, team and unit heatmaps."""

urlpatterns = []
