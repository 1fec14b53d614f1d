"""Django's Redis cache, keeping one Redis client per server.

Django's own backend builds a new ``redis.Redis`` client object, over the
same connection pool, for every cache operation. A page makes about ten
cache operations (session, site, page, view restrictions, outline,
progress), and under the load test building those clients took a tenth of a
lesson page's time in Python. The client is thread-safe and holds nothing
but its pool, so one per server is kept and reused; everything else is
Django's backend unchanged.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._client(connection_pool=self._pools[index])
            self._clients[index] = client
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
