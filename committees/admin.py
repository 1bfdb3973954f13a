from django.contrib import admin

from .models import Expert


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "committee", "specialty", "title", "employer_name", "active_until"]
    list_filter = ["committee", "specialty"]
    search_fields = ["name", "employer_name"]
