"""URLs for evidence entry: self-assessment, rating reports and peers, the needs survey."""

urlpatterns = []
