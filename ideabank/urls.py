from django.urls import path

from . import views

app_name = "ideabank"

urlpatterns = [
    path("lignende/", views.similar, name="similar"),
    path("kvittering/<str:token>/", views.receipt, name="receipt"),
    path("status/<str:token>/", views.status, name="status"),
    path("status/<str:token>/trekk-tilbake/", views.withdraw, name="withdraw"),
    path("status/<str:token>/slett-kontaktinfo/", views.erase, name="erase"),
]
