from django.urls import path, re_path

from masthead.reader import feeds, sitemaps, views

app_name = "reader"

LANG = r"(?P<lang>[a-z]{2,3}(?:-[a-z]{2,4})?)"

urlpatterns = [
    path("", views.root, name="root"),
    path("robots.txt", sitemaps.robots, name="robots"),
    path("ticker.json", views.ticker_json, name="ticker-json"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-sections.xml", sitemaps.sitemap_sections, name="sitemap-sections"),
    path("sitemap-news.xml", sitemaps.sitemap_news, name="sitemap-news"),
    re_path(
        r"^sitemap-articles-(?P<year>[0-9]{4})-(?P<month>[0-9]{2})\.xml$",
        sitemaps.sitemap_month,
        name="sitemap-month",
    ),
    re_path(rf"^{LANG}/feed/rss\.xml$", feeds.rss_feed, name="feed-rss"),
    re_path(rf"^{LANG}/feed/atom\.xml$", feeds.atom_feed, name="feed-atom"),
    re_path(rf"^{LANG}/(?P<section>[^/.]+)/feed/rss\.xml$", feeds.rss_feed, name="section-rss"),
    re_path(rf"^{LANG}/(?P<section>[^/.]+)/feed/atom\.xml$", feeds.atom_feed, name="section-atom"),
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
