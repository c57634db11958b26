"""Admin pieces the apps share."""

from django.contrib import admin


class ReadOnlyInline(admin.TabularInline):
    """Rows a service writes (seats, ratings, approvals, audit events), shown and never
    edited in the admin, where an edit would bypass the service's rules and emails."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
