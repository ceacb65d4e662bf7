"""Getting pages to readers fast: the page cache in front of Django, the HTTP caching headers
and surrogate keys every public page carries, and the purgers of caches or CDNs in front.
Kept apart from the pages themselves, as Wagtail keeps its frontend cache."""
