"""The journalist's pages: submit a report and its claims, follow them, fix one while it is still submitted."""

urlpatterns: list = []
