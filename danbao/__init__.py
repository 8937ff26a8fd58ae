"""Danbao: management system for policy financing guarantee institutions."""

from danbao.celery import app as celery_app

__all__ = ("celery_app",)
