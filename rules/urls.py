from django.urls import path

from . import views

app_name = "rules"

urlpatterns = [
    path("calendar/", views.calendar_years, name="calendar"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar_year"),
    path("calendar/<int:year>/preview/", views.calendar_preview, name="calendar_preview"),
    path("calendar/<int:year>/save/", views.calendar_save, name="calendar_save"),
]
