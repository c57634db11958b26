"""Receivers that keep interviews in step with the apps below, which cannot import this one."""
