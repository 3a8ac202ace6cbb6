"""Zhaokao (招考): the shared package of every function — domain, storage, adapters, api."""
