"""Django's Redis cache backend, keeping one client per connection pool.

Django's RedisCacheClient makes a new redis.Redis object for every cache operation, and
redis-py's constructor fills a table of some 160 response callbacks each time: that was most of
the time of a careers page served from the cache. A client only wraps its connection pool and
is safe to share between threads, so one per pool is enough.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
