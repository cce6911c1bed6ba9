"""The reviewer's pages: the queue, the claim with its report, the review form with its sources."""

urlpatterns: list = []
