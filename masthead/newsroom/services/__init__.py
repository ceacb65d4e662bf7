"""Newsroom services: every change to stories, articles and pictures goes through here."""
