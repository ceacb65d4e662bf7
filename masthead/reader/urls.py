from django.urls import path, re_path

from masthead.reader import views

app_name = "reader"

LANG = r"(?P<lang>[a-z]{2,3}(?:-[a-z]{2,4})?)"

urlpatterns = [
    path("", views.root, name="root"),
    re_path(rf"^{LANG}/$", views.home, name="home"),
    re_path(rf"^{LANG}/search$", views.search, name="search"),
    re_path(rf"^{LANG}/archive/$", views.archive_today, name="archive-today"),
    re_path(
        rf"^{LANG}/archive/(?P<year>[0-9]{{4}})/(?P<month>[0-9]{{2}})/(?P<day>[0-9]{{2}})/$",
        views.archive_day,
        name="archive",
    ),
    re_path(
        rf"^{LANG}/(?P<section>[^/]+)/(?P<story_id>[0-9]{{1,18}})-(?P<slug>[^/]*)\.html$",
        views.article,
        name="article",
    ),
    re_path(rf"^{LANG}/(?P<section>[^/.]+)/$", views.section_front, name="section"),
]
