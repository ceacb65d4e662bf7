"""Where wire copy comes from on its own: drop folders and HTTP feeds, polled by the worker."""
