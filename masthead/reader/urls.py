from django.urls import path, re_path

from masthead.reader import faces, feeds, sitemaps, views

app_name = "reader"

LANG = r"(?P<lang>[a-z]{2,3}(?:-[a-z]{2,4})?)"
# A section name is at most 100 characters (Section.name), never a NUL byte (PostgreSQL refuses
# it in a string) nor a slash; anything else is looked up and answers 404 when it is no
# section. Longer is 404 at once: a 50,000-character name made SQLite's LIKE give up (500).
SECTION = r"(?P<section>[^/.\x00]{1,100})"
ARTICLE_SECTION = r"(?P<section>[^/\x00]{1,100})"
# Archives and sitemaps start in 1900: year 1 in a zone east of UTC is before datetime.min.
YEAR = r"(?P<year>(?:19|2[0-9])[0-9]{2})"

urlpatterns = [
    path("", views.root, name="root"),
    path("robots.txt", sitemaps.robots, name="robots"),
    path("ticker.json", views.ticker_json, name="ticker-json"),
    path("favicon.svg", faces.favicon_svg, name="favicon-svg"),
    path("favicon.png", faces.favicon_png, name="favicon-png"),
    path("favicon.ico", faces.favicon_ico, name="favicon-ico"),
    path("apple-touch-icon.png", faces.apple_touch_icon, name="apple-touch-icon"),
    path("logo.svg", faces.logo_svg, name="logo-svg"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-sections.xml", sitemaps.sitemap_sections, name="sitemap-sections"),
    path("sitemap-news.xml", sitemaps.sitemap_news, name="sitemap-news"),
    re_path(
        rf"^sitemap-articles-{YEAR}-(?P<month>[0-9]{{2}})\.xml$",
        sitemaps.sitemap_month,
        name="sitemap-month",
    ),
    re_path(rf"^{LANG}/feed/rss\.xml$", feeds.rss_feed, name="feed-rss"),
    re_path(rf"^{LANG}/feed/atom\.xml$", feeds.atom_feed, name="feed-atom"),
    re_path(rf"^{LANG}/{SECTION}/feed/rss\.xml$", feeds.rss_feed, name="section-rss"),
    re_path(rf"^{LANG}/{SECTION}/feed/atom\.xml$", feeds.atom_feed, name="section-atom"),
    # A site's home; on a host no site answers on, the network page in that language.
    re_path(rf"^{LANG}/$", views.language_root, name="home"),
    re_path(rf"^{LANG}/search$", views.search, name="search"),
    re_path(rf"^{LANG}/archive/$", views.archive_today, name="archive-today"),
    re_path(
        rf"^{LANG}/archive/{YEAR}/(?P<month>[0-9]{{2}})/(?P<day>[0-9]{{2}})/$",
        views.archive_day,
        name="archive",
    ),
    re_path(
        rf"^{LANG}/{ARTICLE_SECTION}/(?P<story_id>[0-9]{{1,18}})-(?P<slug>[^/]*)\.html$",
        views.article,
        name="article",
    ),
    re_path(rf"^{LANG}/{SECTION}/$", views.section_front, name="section"),
]
