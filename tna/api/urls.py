"""URLs of the tna API that are not plain router viewsets (me/…, gaps/summary)."""

urlpatterns = []
