"""The editors' desk: Django's admin site under the newsroom's name."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class DeskAdminSite(admin.AdminSite):
    site_header = "Editors' desk"
    site_title = "Editors' desk"
    index_title = "Desk"


class DeskAdminConfig(AdminConfig):
    default_site = "reviews.admin_site.DeskAdminSite"
