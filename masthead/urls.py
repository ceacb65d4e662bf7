from django.conf import settings
from django.contrib import admin
from django.http import FileResponse, HttpRequest
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve


def media(request: HttpRequest, path: str) -> FileResponse:
    # Read at request time: tests point MEDIA_ROOT elsewhere per test.
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
]
if settings.DEBUG or settings.MASTHEAD_SERVE_MEDIA:
    # Production serves /media/ from granian (masthead serve) or the proxy in front.
    urlpatterns.append(re_path(r"^media/(?P<path>.+)$", media))
urlpatterns.append(path("", include("masthead.api.urls")))
urlpatterns.append(path("", include("masthead.reader.urls")))

handler404 = "masthead.reader.views.page_not_found"
handler500 = "masthead.reader.views.server_error"
